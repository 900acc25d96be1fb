import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Bus, NoRespondersError, RequestTimeoutError } from '@fleetwire/bus';
import {
  type CentralOutcome,
  type ChargerContext,
  type ChargerEvent,
  type CommandOutcome,
  chargerFacts,
  localListUpdates,
  type OcppCallOrder,
} from '@fleetwire/charger';
import { budgetAt, easeeBudget, nextWriteAt } from '@fleetwire/command-rules';
import {
  type ApiReply,
  type ApiRequest,
  type CommandSink,
  type EdgeCallOutcome,
  type EdgeCallRequest,
  type Outgoing,
  retryWithBackoff,
  subjects,
} from '@fleetwire/contracts';
import { encodeCommand } from '@fleetwire/easee';
import { isSecretKey } from '@fleetwire/redaction';
import { compositeSchedule } from '@fleetwire/smart-charging';
import type { Logger } from '@fleetwire/telemetry';
import type { EaseeCommandPolicy } from './actor-host.ts';
import type { ChargerEntry, ChargerRuntime } from './charger-runtime.ts';
import { chargerView } from './charger-view.ts';
import { NotOwnerError } from './errors.ts';

export interface OperatorRequestDeps {
  readonly bus: Bus;
  readonly runtime: ChargerRuntime;
  readonly clock: () => number;
  readonly commands: CommandSink | undefined;
  readonly easeeCommands: EaseeCommandPolicy;
  readonly shardCount: number;
  readonly shardOf: (serial: string) => number;
  readonly logger: Logger;
  /** A charger accepted a new AuthorizationKey: the host keeps its hash (the value never reaches the model). */
  readonly onAuthorizationKeyChanged?: (serial: string, key: string) => Promise<void>;
}

type OcppRequest = Extract<ApiRequest, { op: 'ocpp' }>;
type Settled = Extract<ChargerEvent, { type: 'CS_CALL_SETTLED' }>;
type LimitResult = Readonly<Record<string, unknown>> & { readonly status: string };

/** How long past its own timeout a request waits for an outcome before it is answered 504. */
const outcomeSlackMs = 20_000;

/** Waiters by request id (a retried request may wait beside the first), each given up after a while. */
class Waiters<T> {
  private readonly waiting = new Map<string, ((value: T | undefined) => void)[]>();

  wait(requestId: string, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const waiter = (value: T | undefined) => {
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        const others = (this.waiting.get(requestId) ?? []).filter((candidate) => candidate !== waiter);
        if (others.length === 0) this.waiting.delete(requestId);
        else this.waiting.set(requestId, others);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(requestId, [...(this.waiting.get(requestId) ?? []), waiter]);
    });
  }

  settle(requestId: string, value: T | undefined): void {
    const waiters = this.waiting.get(requestId);
    if (waiters === undefined) return;
    this.waiting.delete(requestId);
    for (const waiter of waiters) waiter(value);
  }
}

/** The API answer for how a central-system command ended. */
function replyOf(serial: string, action: string, requestId: string, outcome: CentralOutcome | undefined): ApiReply {
  if (outcome === undefined) {
    return {
      ok: false,
      status: 504,
      error: `no outcome of ${action} for ${serial} in time; see its requestId ${requestId}`,
    };
  }
  if (outcome.ok) return { ok: true, body: { requestId, response: outcome.response } };
  switch (outcome.error) {
    case 'refused':
      return {
        ok: false,
        status: 409,
        error: outcome.description,
        ...(outcome.rule === undefined ? {} : { rule: outcome.rule }),
      };
    case 'not-connected':
      return { ok: false, status: 503, error: `${serial} is not connected` };
    case 'disconnected':
    case 'moved':
      return { ok: false, status: 503, error: `${serial} disconnected before answering ${action}` };
    case 'busy':
      return { ok: false, status: 503, error: outcome.description };
    case 'timeout':
      return { ok: false, status: 504, error: `${serial} did not answer ${action} in time` };
    case 'unknown':
      return { ok: false, status: 504, error: outcome.description };
    default:
      return {
        ok: false,
        status: 502,
        error: `${serial} answered ${action} with CALLERROR ${outcome.error}: ${outcome.description}`,
      };
  }
}

function limitReply(result: LimitResult | undefined, serial: string): ApiReply {
  if (result === undefined)
    return { ok: false, status: 504, error: `no outcome of the current limit for ${serial} in time` };
  switch (result.status) {
    case 'accepted':
    case 'pending':
      return { ok: true, body: result };
    case 'refused':
      return {
        ok: false,
        status: 409,
        error: String(result.description),
        ...(typeof result.rule === 'string' ? { rule: result.rule } : {}),
      };
    case 'not-connected':
      return { ok: false, status: 503, error: `${serial} is not connected` };
    case 'timeout':
    case 'no-response':
    case 'expired':
      return { ok: false, status: 504, error: `${serial} did not take the current limit in time (${result.status})` };
    default:
      return {
        ok: false,
        status: 502,
        error: `${serial} did not take the current limit: ${String(result.error ?? result.status)}`,
      };
  }
}

/**
 * What an operator asks of one charger (through `fw.api.<shard>.<serial>`), carried for the charger's model: every
 * decision (the Easee rules, the write budget, the channel of a current limit) is the model's, made in the
 * charger's mailbox; this side sends the CALLs the model ordered once the decision is committed, and reports the
 * outcome back to the model and to the operator waiting for it.
 */
export class OperatorRequests {
  private readonly deps: OperatorRequestDeps;
  private readonly easeeWaiters = new Waiters<CommandOutcome>();
  private readonly callWaiters = new Waiters<CentralOutcome>();
  private readonly limitWaiters = new Waiters<LimitResult>();
  /** Requests being answered and CALLs being carried: a graceful stop lets them finish before the bus closes. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(deps: OperatorRequestDeps) {
    this.deps = deps;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once every request and CALL in flight has ended, or after `maxMs`. */
  async idle(maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), sleep(deadline - Date.now())]);
    }
  }

  /** Called with what each commit produced: settles waiting operators and sends the CALLs the model ordered. */
  committed(serial: string, items: readonly Outgoing[], orders: readonly OcppCallOrder[]): void {
    for (const item of items) {
      if (item.type === 'site-report') continue;
      const requestId = item.data.requestId;
      if (typeof requestId !== 'string') continue;
      if (item.type === 'command' && item.data.channel === 'easee') {
        this.easeeWaiters.settle(requestId, item.data as unknown as CommandOutcome);
      } else if (item.type === 'command' && item.data.channel === 'ocpp') {
        this.callWaiters.settle(requestId, item.data.outcome as CentralOutcome);
      } else if (item.type === 'current-limit' && item.data.status !== 'reapplied' && item.data.status !== 'ended') {
        this.limitWaiters.settle(requestId, item.data as LimitResult);
      }
    }
    for (const order of orders) void this.track(this.dispatch(serial, order));
  }

  handle(entry: ChargerEntry, request: ApiRequest): Promise<ApiReply> {
    return this.track(this.answer(entry, request));
  }

  private answer(entry: ChargerEntry, request: ApiRequest): Promise<ApiReply> {
    switch (request.op) {
      case 'state': {
        const snapshot = entry.actor.getSnapshot();
        return Promise.resolve({
          ok: true,
          body: chargerView(snapshot.context, this.deps.clock()),
        });
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
      case 'call-settled':
        return this.deps.runtime
          .apply(entry, request.settled as Settled)
          .then(() => ({ ok: true as const, body: { recorded: true } }));
    }
  }

  /** A real-time limit: the model picks the channel and clamps it to the cap; this waits for how it went. */
  private async currentLimit(
    entry: ChargerEntry,
    request: Extract<ApiRequest, { op: 'current-limit' }>,
  ): Promise<ApiReply> {
    const requestId = request.requestId ?? randomUUID();
    const waited = Math.max(request.timeoutMs, request.waitMs) + outcomeSlackMs;
    const outcome = this.limitWaiters.wait(requestId, waited);
    const current = await this.deps.runtime.apply(entry, {
      type: 'CURRENT_LIMIT_REQUESTED',
      at: this.deps.clock(),
      requestId,
      amps: request.amps,
      ttlMinutes: request.ttlMinutes,
      rules: request.rules,
      timeoutMs: request.timeoutMs,
      streamCommands: this.deps.commands !== undefined,
      easeeCommands: this.deps.easeeCommands,
    });
    const { dynamicCurrent } = current.actor.getSnapshot().context;
    // Over the stream the response may take a minute: answer 202 after waitMs, the outcome is in the events.
    if (dynamicCurrent?.requestId === requestId && dynamicCurrent.channel === 'easee-stream') {
      const early = await Promise.race([outcome, sleep(request.waitMs)]);
      if (early === undefined) {
        return { ok: true, body: { requestId, channel: 'easee-stream', status: 'pending', amps: dynamicCurrent.amps } };
      }
      return limitReply(early, entry.serial);
    }
    return limitReply(await outcome, entry.serial);
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
    const context = entry.actor.getSnapshot().context;
    const pending = context.outgoingCalls[requestId];
    if (pending !== undefined) return { ok: true, body: { ...pending, status: 'pending' } };
    const command = context.centralCommands.find((candidate) => candidate.requestId === requestId);
    return command === undefined
      ? { ok: false, status: 404, error: `no recent OCPP command ${requestId} for ${entry.serial}` }
      : { ok: true, body: command };
  }

  private chargingSchedule(entry: ChargerEntry, request: Extract<ApiRequest, { op: 'charging-schedule' }>): ApiReply {
    const context = entry.actor.getSnapshot().context;
    const now = this.deps.clock();
    const facts = chargerFacts(context, now);
    const running = context.transactions.find((open) => open.connectorId === request.connectorId);
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
          reservedByPendingCalls: Object.values(context.outgoingCalls).filter((call) => call.reservedWrite).length,
        },
      },
    };
  }

  /** An operator's central-system CALL: the model decides and orders it; this waits for its outcome. */
  async centralSystemCall(entry: ChargerEntry, request: OcppRequest): Promise<ApiReply> {
    const requestId = request.requestId ?? randomUUID();
    const outcome = this.callWaiters.wait(requestId, request.timeoutMs + outcomeSlackMs);
    const current = await this.deps.runtime.apply(entry, {
      type: 'CS_CALL_REQUESTED',
      at: this.deps.clock(),
      requestId,
      action: request.action,
      payload: request.payload,
      rules: request.rules,
      convertToAmps: request.convertToAmps === true,
      timeoutMs: request.timeoutMs,
    });
    const context: ChargerContext = current.actor.getSnapshot().context;
    // Decided before (a retry of the same request): its record says how it ended, or it is still on its way.
    const recorded = context.centralCommands.find((command) => command.requestId === requestId);
    if (recorded !== undefined) {
      this.callWaiters.settle(requestId, recorded.outcome);
      return replyOf(entry.serial, request.action, requestId, recorded.outcome);
    }
    return replyOf(entry.serial, request.action, requestId, await outcome);
  }

  /** Sends a CALL the model ordered to the charger's edge, and gives its answer back to the model. */
  private async dispatch(serial: string, order: OcppCallOrder): Promise<void> {
    const { requestId, action, payload, timeoutMs } = order.data;
    const call: EdgeCallRequest = { serial, action, payload, timeoutMs };
    let outcome: EdgeCallOutcome;
    try {
      // The charger's answer is awaited outside the mailbox: its own CALLs may cross ours (OCPP-J §4.1.1).
      outcome = await this.deps.bus.request<EdgeCallOutcome>(subjects.edgeCall(order.data.edgeId), call, {
        timeoutMs: timeoutMs + 2_000,
      });
      // The charger's session notice from its new edge may not have reached its actor yet: follow it once.
      if (!outcome.ok && outcome.reason === 'moved') {
        outcome = await this.deps.bus.request<EdgeCallOutcome>(subjects.edgeCall(outcome.edgeId), call, {
          timeoutMs: timeoutMs + 2_000,
        });
      }
    } catch (error) {
      outcome =
        error instanceof RequestTimeoutError
          ? { ok: false, reason: 'timeout', description: `no answer to ${action} in time` }
          : {
              ok: false,
              reason: 'disconnected',
              description: error instanceof NoRespondersError ? `${serial} is not connected` : String(error),
            };
    }
    const key = action === 'ChangeConfiguration' ? (payload as { key?: unknown }).key : undefined;
    const secretChanged =
      typeof key === 'string' &&
      isSecretKey(key) &&
      outcome.ok &&
      (outcome.payload as { status?: unknown } | null)?.status === 'Accepted';
    if (secretChanged) {
      await this.deps
        .onAuthorizationKeyChanged?.(serial, String((payload as { value?: unknown }).value))
        .catch((error: unknown) =>
          this.deps.logger.error({ serial, err: error }, 'the new AuthorizationKey could not be kept'),
        );
    }
    await this.settle(serial, {
      type: 'CS_CALL_SETTLED',
      at: this.deps.clock(),
      requestId,
      outcome: outcome.ok
        ? { ok: true, response: outcome.payload }
        : {
            ok: false,
            error: outcome.reason === 'call-error' ? outcome.code : outcome.reason,
            description: outcome.description,
          },
      ...(secretChanged ? { secretChanged } : {}),
    });
  }

  /**
   * Records a CALL's answer with the charger's model. When the charger's shard moved on while its answer was on the
   * way, the answer goes to the new owner, which holds the decision (and the reserved write) in its snapshot.
   */
  private async settle(serial: string, settled: Settled): Promise<void> {
    const entry = this.deps.runtime.entryOf(serial);
    try {
      if (entry === undefined) throw new NotOwnerError(serial, this.deps.shardOf(serial));
      await this.deps.runtime.apply(await entry, settled);
      return;
    } catch (error) {
      if (!(error instanceof NotOwnerError)) {
        this.deps.logger.warn({ serial, requestId: settled.requestId, err: error }, 'command outcome not recorded');
      }
    }
    this.callWaiters.settle(settled.requestId, settled.outcome);
    const request: ApiRequest = { op: 'call-settled', settled };
    const deadline = this.deps.clock() + 60_000;
    try {
      await retryWithBackoff(
        () => this.deps.bus.request(subjects.api(this.deps.shardOf(serial), serial), request, { timeoutMs: 5_000 }),
        { firstMs: 50, maxMs: 2_000 },
        () => this.deps.clock() >= deadline,
      );
    } catch {
      this.deps.logger.warn({ serial, requestId: settled.requestId }, 'command outcome not handed to the new owner');
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
    const { full, differential: change } = localListUpdates(
      entry.actor.getSnapshot().context.localList,
      request.entries,
    );
    const send = (payload: unknown) =>
      this.centralSystemCall(entry, {
        op: 'ocpp',
        action: 'SendLocalList',
        payload,
        timeoutMs: request.timeoutMs,
        rules: request.rules,
      });
    if (change === null) return send(full);
    const differential = await send(change);
    const status = differential.ok
      ? (differential.body as { response: { status: string } }).response.status
      : undefined;
    if (status !== 'Failed' && status !== 'VersionMismatch') return differential;
    const fullAfterwards = await send(full);
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
    const requestId = request.requestId ?? randomUUID();
    const settled = this.easeeWaiters.wait(requestId, request.waitMs);
    const current = await this.deps.runtime.apply(entry, {
      type: 'EASEE_COMMAND_REQUESTED',
      at: now,
      requestId,
      name: request.name,
      args: request.args,
      expiresAt: now + policy.expiresInMs,
      responseTimeoutMs: policy.responseTimeoutMs,
      maxAttempts: policy.maxAttempts,
    });
    const { stream } = current.actor.getSnapshot().context;
    const recorded = stream.recentCommands.find((outcome) => outcome.requestId === requestId);
    if (recorded !== undefined) {
      this.easeeWaiters.settle(requestId, recorded);
      return { ok: true, body: recorded };
    }
    const waited = await settled;
    return waited === undefined ? { ok: true, body: { requestId, status: 'pending' } } : { ok: true, body: waited };
  }
}
