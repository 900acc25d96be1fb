import type { CallOutcome, FleetEvent } from '@fleetwire/contracts';
import { type Actor, createActor } from 'xstate';
import {
  type CallLookups,
  type ChargerEvent,
  chargerLogic,
  chargerMachineVersion,
  type EmittedEvent,
  migrateSnapshot,
  type OcppCallOrder,
  persistedChargerSnapshot,
  planCall,
} from '../src/index.ts';

/**
 * Drives one charger actor the way the worker does: a simulated clock, lookups answered from plain maps,
 * transaction ids from a counter, and every emitted event collected.
 */
export class ChargerDriver {
  now = Date.parse('2026-11-22T10:00:00.000Z');
  readonly events: EmittedEvent[] = [];
  readonly idTags = new Map<string, CallLookups['idTagInfo']>([['TAG-OK', { status: 'Accepted' }]]);
  nextTransactionId = 100;
  actor: Actor<typeof chargerLogic>;
  private messageSeq = 0;
  sessionId = 's1';

  constructor(snapshot?: unknown) {
    this.actor = this.start(snapshot);
  }

  private start(snapshot?: unknown): Actor<typeof chargerLogic> {
    const actor = createActor(chargerLogic, {
      input: { serial: 'EH000001', heartbeatIntervalS: 300 },
      ...(snapshot === undefined ? {} : { snapshot: snapshot as never }),
    });
    actor.on('*', (event) => this.events.push(event));
    actor.start();
    return actor;
  }

  get context() {
    return this.actor.getSnapshot().context;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  send(event: ChargerEvent): void {
    this.actor.send(event);
  }

  connect(sessionId = 's1', rules?: { easee: boolean; txProfile: boolean }): void {
    this.sessionId = sessionId;
    this.send({
      type: 'SESSION_OPENED',
      at: this.now,
      connectedAt: this.now,
      sessionId,
      edgeId: 'edge-1',
      ...(rules === undefined ? {} : { rules }),
    });
  }

  call(action: string, payload: unknown, messageId = `m${++this.messageSeq}`): CallOutcome {
    const plan = planCall(this.context, this.sessionId, messageId, action, payload);
    const idTagInfo =
      plan.idTag === undefined
        ? undefined
        : (this.idTags.get(plan.idTag.toUpperCase()) ?? { status: 'Invalid' as const });
    const lookups: CallLookups = {
      heartbeatIntervalS: 300,
      ...(idTagInfo === undefined ? {} : { idTagInfo }),
      ...(plan.needsTransactionId ? { transactionId: this.nextTransactionId++ } : {}),
    };
    this.send({ type: 'CALL', at: this.now, sessionId: this.sessionId, messageId, action, payload, lookups });
    return this.context.lastCall?.response as CallOutcome;
  }

  /** Persists and restores the actor, as a hand-over to another worker would. */
  restore(): void {
    const persisted = JSON.parse(JSON.stringify(persistedChargerSnapshot(this.actor.getSnapshot())));
    this.actor.stop();
    this.actor = this.start(migrateSnapshot({ machineVersion: chargerMachineVersion, snapshot: persisted }));
  }

  /** An operator's central-system CALL, as the worker hands it to the model; the orders it produced. */
  request(
    action: string,
    payload: unknown,
    options: { requestId?: string; rules?: { easee: boolean; txProfile: boolean }; convertToAmps?: boolean } = {},
  ): string {
    const requestId = options.requestId ?? `r${++this.messageSeq}`;
    this.send({
      type: 'CS_CALL_REQUESTED',
      at: this.now,
      requestId,
      action,
      payload,
      rules: options.rules ?? { easee: true, txProfile: false },
      timeoutMs: 30_000,
      ...(options.convertToAmps === undefined ? {} : { convertToAmps: options.convertToAmps }),
    });
    return requestId;
  }

  /** The charger's answer to an ordered CALL. */
  answer(requestId: string, response: unknown): void {
    this.send({ type: 'CS_CALL_SETTLED', at: this.now, requestId, outcome: { ok: true, response } });
  }

  /** The central-system CALLs the model ordered the host to send. */
  orders(): OcppCallOrder[] {
    return this.events.filter((event): event is OcppCallOrder => event.type === 'ocpp-call');
  }

  /** How an operator's request ended, as the `command` event says. */
  outcomeOf(requestId: string): Record<string, unknown> | undefined {
    return this.eventsOf('command').find((event) => event.data.requestId === requestId)?.data.outcome as
      | Record<string, unknown>
      | undefined;
  }

  eventsOf(type: FleetEvent['type']): FleetEvent[] {
    return this.events.filter((event): event is FleetEvent => event.type === type);
  }

  commands() {
    return this.events.filter((event) => event.type === 'easee-command');
  }
}
