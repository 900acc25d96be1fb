import { randomUUID } from 'node:crypto';
import { type Bus, NoRespondersError, RequestTimeoutError } from '@fleetwire/bus';
import type { CommandOutcome } from '@fleetwire/charger';
import { budgetAt, checkCommand, easeeBudget, nextWriteAt } from '@fleetwire/command-rules';
import {
  type ApiReply,
  type ApiRequest,
  type CommandSink,
  type EdgeCallOutcome,
  type EdgeCallRequest,
  type Outgoing,
  subjects,
} from '@fleetwire/contracts';
import { encodeCommand } from '@fleetwire/easee';
import { compositeSchedule } from '@fleetwire/smart-charging';
import type { EaseeCommandPolicy } from './actor-host.ts';
import { chargerFacts } from './charger-facts.ts';
import type { ChargerEntry, ChargerRuntime } from './charger-runtime.ts';
import { chargerView } from './charger-view.ts';

export interface OperatorRequestDeps {
  readonly bus: Bus;
  readonly runtime: ChargerRuntime;
  readonly clock: () => number;
  readonly commands: CommandSink | undefined;
  readonly easeeCommands: EaseeCommandPolicy;
}

type OcppRequest = Extract<ApiRequest, { op: 'ocpp' }>;

/** A charger heard on the stream this recently is reached over it. */
const streamFreshMs = 15 * 60_000;
/** The one profile id a current limit over OCPP uses, so each new limit replaces the last. */
const currentLimitProfileId = 900_001;

/** What an operator asks of one charger (through `fw.api.<shard>.<serial>`), answered by the charger's worker. */
export class OperatorRequests {
  private readonly deps: OperatorRequestDeps;
  private readonly commandWaiters = new Map<string, (outcome: CommandOutcome) => void>();

  constructor(deps: OperatorRequestDeps) {
    this.deps = deps;
  }

  /** Called with what each commit produced: settles operators waiting for an Easee command's outcome. */
  committed(items: readonly Outgoing[]): void {
    for (const item of items) {
      if (item.type !== 'command' || typeof item.data.requestId !== 'string') continue;
      this.commandWaiters.get(item.data.requestId)?.(item.data as unknown as CommandOutcome);
    }
  }

  handle(entry: ChargerEntry, request: ApiRequest): Promise<ApiReply> {
    switch (request.op) {
      case 'state': {
        const snapshot = entry.actor.getSnapshot();
        return Promise.resolve({ ok: true, body: chargerView(String(snapshot.value), snapshot.context) });
      }
      case 'ocpp':
        return this.centralSystemCall(entry, request);
      case 'easee':
        return this.easeeCommand(entry, request);
      case 'easee-command':
        return Promise.resolve(this.easeeCommandRecord(entry, request.requestId));
      case 'command':
        return Promise.resolve(this.centralCommandRecord(entry, request.requestId));
      case 'charging-schedule':
        return Promise.resolve(this.chargingSchedule(entry, request));
      case 'local-list':
        return this.syncLocalList(entry, request);
      case 'current-limit':
        return this.currentLimit(entry, request);
    }
  }

  /**
   * A real-time limit, set the right way for an Easee charger: over the stream (SetDynamicChargerCurrent,
   * volatile, no flash wear) when the charger is on it, else as a TxDefaultProfile over OCPP, which spends the
   * flash-write budget.
   */
  private async currentLimit(
    entry: ChargerEntry,
    request: Extract<ApiRequest, { op: 'current-limit' }>,
  ): Promise<ApiReply> {
    const now = this.deps.clock();
    const { lastSeenAt } = entry.actor.getSnapshot().context.stream;
    const onStream = this.deps.commands !== undefined && lastSeenAt !== null && now - lastSeenAt < streamFreshMs;
    if (onStream) {
      const reply = await this.easeeCommand(entry, {
        op: 'easee',
        name: 'SetDynamicChargerCurrent',
        args: { current: Math.floor(request.amps), ttlMinutes: request.ttlMinutes },
        waitMs: request.waitMs,
      });
      return reply.ok ? { ok: true, body: { ...(reply.body as object), channel: 'easee-stream' } } : reply;
    }
    const reply = await this.centralSystemCall(entry, {
      op: 'ocpp',
      action: 'SetChargingProfile',
      payload: {
        connectorId: 0,
        csChargingProfiles: {
          chargingProfileId: currentLimitProfileId,
          stackLevel: 1,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Absolute',
          chargingSchedule: {
            startSchedule: new Date(now).toISOString(),
            ...(request.ttlMinutes > 0 ? { duration: request.ttlMinutes * 60 } : {}),
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: Math.floor(request.amps * 10) / 10 }],
          },
        },
      },
      timeoutMs: request.timeoutMs,
      rules: request.rules,
    });
    return reply.ok ? { ok: true, body: { channel: 'ocpp', ...(reply.body as object) } } : reply;
  }

  private easeeCommandRecord(entry: ChargerEntry, requestId: string): ApiReply {
    const { stream } = entry.actor.getSnapshot().context;
    const pending = stream.commands[requestId];
    if (pending !== undefined) return { ok: true, body: { requestId, status: 'pending', pending } };
    const outcome = stream.recentCommands.find((candidate) => candidate.requestId === requestId);
    return outcome === undefined
      ? { ok: false, status: 404, error: `no recent Easee command ${requestId} for ${entry.serial}` }
      : { ok: true, body: outcome };
  }

  private centralCommandRecord(entry: ChargerEntry, requestId: string): ApiReply {
    const command = entry.actor
      .getSnapshot()
      .context.centralCommands.find((candidate) => candidate.requestId === requestId);
    return command === undefined
      ? { ok: false, status: 404, error: `no recent OCPP command ${requestId} for ${entry.serial}` }
      : { ok: true, body: command };
  }

  private chargingSchedule(entry: ChargerEntry, request: Extract<ApiRequest, { op: 'charging-schedule' }>): ApiReply {
    const context = entry.actor.getSnapshot().context;
    const now = this.deps.clock();
    const facts = chargerFacts(context, now);
    const running = Object.values(context.transactions).find((open) => open.connectorId === request.connectorId);
    const scheduleContext = {
      voltage: facts.voltage,
      phases: facts.phases,
      ...(running === undefined ? {} : { transactionStart: Date.parse(running.startedAt) }),
    };
    const { installed } = context.smartCharging;
    const compose = (rule: 'ocpp' | 'easee') =>
      compositeSchedule(installed, request.connectorId, now, request.durationS, request.unit, scheduleContext, rule);
    return {
      ok: true,
      body: {
        connectorId: request.connectorId,
        installedProfiles: installed,
        ocppComposite: compose('ocpp'),
        easeeEffective: compose('easee'),
        reportedByCharger: context.smartCharging.reported,
        writeBudget: {
          remaining: Math.floor(budgetAt(facts.writeBudget, easeeBudget, now).tokens),
          capacity: easeeBudget.capacity,
          perDay: easeeBudget.perDay,
          nextWriteAt: new Date(nextWriteAt(facts.writeBudget, easeeBudget, now)).toISOString(),
        },
      },
    };
  }

  /** Sends a central-system CALL the Easee rules allow, and records what came of it. */
  async centralSystemCall(entry: ChargerEntry, request: OcppRequest): Promise<ApiReply> {
    const { serial } = entry;
    const now = this.deps.clock();
    const verdict = checkCommand(
      { action: request.action, payload: request.payload, convertToAmps: request.convertToAmps === true },
      request.rules,
      chargerFacts(entry.actor.getSnapshot().context, now),
      now,
    );
    if (!verdict.ok) return { ok: false, status: 409, error: verdict.message, rule: verdict.rule };
    const requestId = randomUUID();
    let edgeId = entry.actor.getSnapshot().context.session?.edgeId;
    if (edgeId === undefined) return { ok: false, status: 503, error: `${serial} is not connected` };
    const call: EdgeCallRequest = {
      serial,
      action: request.action,
      payload: verdict.payload,
      timeoutMs: request.timeoutMs,
    };
    let outcome: EdgeCallOutcome;
    try {
      // The charger's answer is awaited outside the mailbox: its own CALLs may cross ours (OCPP-J §4.1.1).
      outcome = await this.deps.bus.request<EdgeCallOutcome>(subjects.edgeCall(edgeId), call, {
        timeoutMs: request.timeoutMs + 2_000,
      });
      // The charger's session notice from its new edge may not have reached its actor yet: follow it once.
      if (!outcome.ok && outcome.reason === 'moved') {
        edgeId = outcome.edgeId;
        outcome = await this.deps.bus.request<EdgeCallOutcome>(subjects.edgeCall(edgeId), call, {
          timeoutMs: request.timeoutMs + 2_000,
        });
      }
    } catch (error) {
      if (error instanceof NoRespondersError) return { ok: false, status: 503, error: `${serial} is not connected` };
      if (error instanceof RequestTimeoutError) {
        return { ok: false, status: 504, error: `${serial} did not answer ${request.action} in time` };
      }
      throw error;
    }
    await this.deps.runtime.apply(entry, {
      type: 'CS_CALL_SETTLED',
      at: this.deps.clock(),
      requestId,
      action: request.action,
      request: verdict.payload,
      profileWrite: verdict.profileWrite,
      outcome: outcome.ok
        ? { ok: true, response: outcome.payload }
        : {
            ok: false,
            error: outcome.reason === 'call-error' ? outcome.code : outcome.reason,
            description: outcome.description,
          },
    });
    if (outcome.ok) return { ok: true, body: { requestId, response: outcome.payload } };
    switch (outcome.reason) {
      case 'call-error':
        return {
          ok: false,
          status: 502,
          error: `${serial} answered ${request.action} with CALLERROR ${outcome.code}: ${outcome.description}`,
        };
      case 'timeout':
        return { ok: false, status: 504, error: `${serial} did not answer ${request.action} in time` };
      case 'disconnected':
      case 'moved':
        return { ok: false, status: 503, error: `${serial} disconnected before answering ${request.action}` };
      case 'busy':
        return { ok: false, status: 503, error: outcome.description };
    }
  }

  /**
   * Brings the charger's local authorization list to `entries`: a Differential update against the list it last
   * acknowledged, or Full when it has none; a Differential answered Failed or VersionMismatch is followed by a Full
   * one (OCPP 1.6 §5.15).
   */
  private async syncLocalList(
    entry: ChargerEntry,
    request: Extract<ApiRequest, { op: 'local-list' }>,
  ): Promise<ApiReply> {
    const known = entry.actor.getSnapshot().context.localList;
    const version = (known?.version ?? 0) + 1;
    const full = {
      listVersion: version,
      updateType: 'Full',
      localAuthorizationList: request.entries.map(({ idTag, idTagInfo }) => ({ idTag, idTagInfo })),
    };
    const send = (payload: unknown) =>
      this.centralSystemCall(entry, {
        op: 'ocpp',
        action: 'SendLocalList',
        payload,
        timeoutMs: request.timeoutMs,
        rules: request.rules,
      });
    if (known === null) return send(full);
    const wanted = new Map(request.entries.map(({ idTag, idTagInfo }) => [idTag, idTagInfo]));
    const changes = [
      ...[...wanted].filter(([idTag, info]) => JSON.stringify(known.entries[idTag]) !== JSON.stringify(info)),
      ...Object.keys(known.entries)
        .filter((idTag) => !wanted.has(idTag))
        .map((idTag) => [idTag, undefined] as const),
    ].map(([idTag, idTagInfo]) => (idTagInfo === undefined ? { idTag } : { idTag, idTagInfo }));
    const differential = await send({
      listVersion: version,
      updateType: 'Differential',
      localAuthorizationList: changes,
    });
    const status = differential.ok
      ? (differential.body as { response: { status: string } }).response.status
      : undefined;
    if (status !== 'Failed' && status !== 'VersionMismatch') return differential;
    const fullAfterwards = await send({ ...full, listVersion: version + 1 });
    return fullAfterwards.ok
      ? { ok: true, body: { ...(fullAfterwards.body as object), resentFull: true, differentialStatus: status } }
      : fullAfterwards;
  }

  async easeeCommand(entry: ChargerEntry, request: Extract<ApiRequest, { op: 'easee' }>): Promise<ApiReply> {
    if (this.deps.commands === undefined) {
      return { ok: false, status: 503, error: 'no Easee operator stream is configured (EASEE_AMQP_URL)' };
    }
    const now = this.deps.clock();
    const checked = encodeCommand(request.name, request.args, now, 1);
    if (!checked.ok) return { ok: false, status: 400, error: checked.reason };
    const policy = this.deps.easeeCommands;
    const requestId = randomUUID();
    const settled = new Promise<CommandOutcome>((resolve) => this.commandWaiters.set(requestId, resolve));
    try {
      await this.deps.runtime.apply(entry, {
        type: 'EASEE_COMMAND_REQUESTED',
        at: now,
        requestId,
        name: request.name,
        args: request.args,
        expiresAt: now + policy.expiresInMs,
        responseTimeoutMs: policy.responseTimeoutMs,
        maxAttempts: policy.maxAttempts,
      });
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        settled,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), request.waitMs);
        }),
      ]);
      clearTimeout(timer);
      return waited === undefined ? { ok: true, body: { requestId, status: 'pending' } } : { ok: true, body: waited };
    } finally {
      this.commandWaiters.delete(requestId);
    }
  }
}
