import type { CallOutcome, FleetEvent, Outgoing } from '@fleetwire/contracts';
import { type Actor, createActor } from 'xstate';
import {
  type CallLookups,
  type ChargerEvent,
  chargerMachine,
  persistedChargerSnapshot,
  planCall,
} from '../src/index.ts';

/**
 * Drives one charger actor the way the worker does: a simulated clock, lookups answered from plain maps,
 * transaction ids from a counter, and every emitted event collected.
 */
export class ChargerDriver {
  now = Date.parse('2026-11-22T10:00:00.000Z');
  readonly events: Outgoing[] = [];
  readonly idTags = new Map<string, CallLookups['idTagInfo']>([['TAG-OK', { status: 'Accepted' }]]);
  nextTransactionId = 100;
  actor: Actor<typeof chargerMachine>;
  private messageSeq = 0;
  sessionId = 's1';

  constructor(snapshot?: unknown) {
    this.actor = this.start(snapshot);
  }

  private start(snapshot?: unknown): Actor<typeof chargerMachine> {
    const actor = createActor(chargerMachine, {
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

  connect(sessionId = 's1'): void {
    this.sessionId = sessionId;
    this.send({ type: 'SESSION_OPENED', at: this.now, connectedAt: this.now, sessionId, edgeId: 'edge-1' });
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
    this.actor = this.start(persisted);
  }

  eventsOf(type: FleetEvent['type']): FleetEvent[] {
    return this.events.filter((event): event is FleetEvent => event.type === type);
  }

  commands() {
    return this.events.filter((event) => event.type === 'easee-command');
  }
}
