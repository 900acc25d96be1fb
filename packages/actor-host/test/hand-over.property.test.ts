import { InProcessBus, NoRespondersError, RemoteError, RequestTimeoutError } from '@fleetwire/bus';
import type { ChargerCallRequest, FleetEvent } from '@fleetwire/contracts';
import { shardOf, subjects } from '@fleetwire/contracts';
import { memoryStores, type SnapshotStore, type SnapshotWrite, type Stores } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActorHost } from '../src/index.ts';

const shardCount = 4;
const serial = 'EHPROP01';
const shard = shardOf(serial, shardCount);
const logger = createLogger({ level: 'silent' });
const clock = () => Date.parse('2026-11-22T10:00:00Z');

type Input =
  | {
      readonly kind: 'session';
      readonly event: 'connected' | 'disconnected';
      readonly sessionId: string;
      readonly at: number;
    }
  | { readonly kind: 'call'; readonly request: ChargerCallRequest };

/** Stands for the transaction id the charger was given: a charger uses the id it got, whatever it is. */
const givenTransactionId = '<transaction id>';

function withGivenTransactionId(input: Input, transactionId: number | undefined): Input {
  if (input.kind !== 'call' || transactionId === undefined) return input;
  const payload = JSON.parse(
    JSON.stringify(input.request.payload).replaceAll(`"${givenTransactionId}"`, String(transactionId)),
  ) as unknown;
  return { kind: 'call', request: { ...input.request, payload } };
}

function script(): Input[] {
  const inputs: Input[] = [];
  let n = 0;
  const call = (sessionId: string, action: string, payload: unknown) =>
    inputs.push({ kind: 'call', request: { sessionId, messageId: `m${++n}`, action, payload, receivedAt: 0 } });
  inputs.push({ kind: 'session', event: 'connected', sessionId: 's1', at: 1 });
  call('s1', 'BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' });
  call('s1', 'StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
  call('s1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: '2026-11-22T10:00:00Z' });
  for (let i = 1; i <= 4; i++) {
    call('s1', 'MeterValues', {
      connectorId: 1,
      transactionId: givenTransactionId,
      meterValue: [{ timestamp: `2026-11-22T10:0${i}:00Z`, sampledValue: [{ value: String(i * 1000) }] }],
    });
  }
  inputs.push({ kind: 'session', event: 'disconnected', sessionId: 's1', at: 2 });
  inputs.push({ kind: 'session', event: 'connected', sessionId: 's2', at: 3 });
  call('s2', 'StatusNotification', { connectorId: 1, status: 'Finishing', errorCode: 'NoError' });
  call('s2', 'StopTransaction', {
    transactionId: givenTransactionId,
    meterStop: 4500,
    timestamp: '2026-11-22T10:05:00Z',
  });
  call('s2', 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  return inputs;
}

type Step =
  | { readonly op: 'deliver' }
  | { readonly op: 'redeliver' }
  | { readonly op: 'parallel' }
  | { readonly op: 'crash-during'; readonly afterTicks: number }
  | { readonly op: 'hand-over' }
  | { readonly op: 'passivate' }
  | { readonly op: 'deliver-while-passivating'; readonly afterTicks: number }
  | { readonly op: 'stall-and-replace'; readonly resumeAfterSteps: number };

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A worker's view of the snapshot store whose writes can be held back, as if the process were paused. */
class StallableSnapshots implements SnapshotStore {
  private readonly store: SnapshotStore;
  private held: (() => void)[] | undefined;

  constructor(store: SnapshotStore) {
    this.store = store;
  }

  stall(): void {
    this.held = [];
  }

  resume(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const release of held) release();
  }

  claim(serials: readonly string[], leaseToken: number) {
    return this.store.claim(serials, leaseToken);
  }

  async write(writes: readonly SnapshotWrite[]): Promise<boolean[]> {
    const held = this.held;
    if (held !== undefined) await new Promise<void>((resolve) => held.push(resolve));
    return this.store.write(writes);
  }

  delete(serial: string) {
    return this.store.delete(serial);
  }
}

/** One charger's shard moving between workers on one bus and one store, as the cluster does it. */
class Shard {
  /** Commits between snapshots (ADR 10): 1 writes a snapshot every commit, more journal the inputs between. */
  private readonly snapshotEvery: number;
  readonly bus = new InProcessBus();
  readonly stores: Stores = memoryStores(shardCount);
  private owner: ActorHost | undefined;
  private ownerSnapshots: StallableSnapshots | undefined;
  private token = 0;
  private readonly hosts: ActorHost[] = [];
  private readonly stalled: { snapshots: StallableSnapshots; resumeAt: number }[] = [];

  constructor(snapshotEvery = 16) {
    this.snapshotEvery = snapshotEvery;
  }

  async newOwner(): Promise<void> {
    const snapshots = new StallableSnapshots(this.stores.snapshots);
    const host = new ActorHost({
      bus: this.bus,
      stores: { ...this.stores, snapshots },
      shardCount,
      heartbeatIntervalS: 300,
      clock,
      logger,
      snapshotEvery: this.snapshotEvery,
    });
    this.ownerSnapshots = snapshots;
    this.hosts.push(host);
    this.token += 1;
    await host.acquire(shard, this.token);
    this.owner = host;
  }

  async crash(): Promise<void> {
    this.owner?.halt();
    await this.newOwner();
  }

  /**
   * The owner stops committing mid-flight (a paused process) and is replaced; the delivery times out on it and is
   * retried on the new owner, as the edge does. The held writes go out `resumeAfterSteps` steps later.
   */
  async stallAndReplace(input: Input, step: number, resumeAfterSteps: number): Promise<unknown> {
    const snapshots = this.ownerSnapshots as StallableSnapshots;
    snapshots.stall();
    const delivery = this.deliver(input);
    await tick();
    this.owner?.halt();
    this.stalled.push({ snapshots, resumeAt: step + resumeAfterSteps });
    await this.newOwner();
    return delivery;
  }

  resumeStalled(step: number): void {
    for (const stalled of this.stalled) if (stalled.resumeAt <= step) stalled.snapshots.resume();
  }

  async handOver(): Promise<void> {
    await this.owner?.release(shard);
    await this.newOwner();
  }

  /**
   * The owner lets go of the charger's actor once it is quiet (ADR 16: its outbox published); its next input loads
   * it from the store again.
   */
  async passivate(): Promise<void> {
    for (let i = 0; i < 10; i++) await tick();
    await this.owner?.passivate(serial);
  }

  /** An input that reaches the owner just as it lets go of the charger's actor. */
  async deliverWhilePassivating(input: Input, afterTicks: number): Promise<unknown> {
    for (let i = 0; i < 10; i++) await tick();
    const passivated = this.owner?.passivate(serial);
    for (let i = 0; i < afterTicks; i++) await tick();
    const [, reply] = await Promise.all([passivated, this.deliver(input)]);
    return reply;
  }

  /** Delivers like the edge does: retried while nobody (or a fenced owner) answers. */
  async deliver(input: Input): Promise<unknown> {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        if (input.kind === 'call') {
          return await this.bus.request(subjects.chargerCall(shard, serial), input.request, { timeoutMs: 50 });
        }
        return await this.bus.request(
          subjects.chargerSession(shard, serial),
          { kind: input.event, sessionId: input.sessionId, edgeId: 'e1', at: input.at },
          { timeoutMs: 50 },
        );
      } catch (error) {
        const retried =
          error instanceof NoRespondersError || error instanceof RemoteError || error instanceof RequestTimeoutError;
        if (!retried) throw error;
        await tick();
      }
    }
    throw new Error('never delivered');
  }

  async outcome(): Promise<{ context: unknown; events: FleetEvent[]; transactions: readonly unknown[] }> {
    this.resumeStalled(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 10; i++) await tick();
    await this.owner?.release(shard);
    for (let i = 0; i < 10; i++) await tick();
    const stored = (await this.stores.snapshots.claim([serial], this.token + 1)).get(serial);
    const events = (await this.stores.events.read(0, 10_000)).map((storedEvent) => storedEvent.event);
    const transactions = (await this.stores.transactions.list({}, { limit: 100 })).items;
    for (const host of this.hosts) host.halt();
    const snapshot = stored?.snapshot as { context: unknown } | undefined;
    return { context: snapshot?.context, events, transactions };
  }
}

/** Transaction ids differ between runs (an id allocated before a crash is never reused); compare by rank. */
function normalized(value: unknown): unknown {
  const ranks = new Map<number, string>();
  const rank = (id: number) => {
    if (!ranks.has(id)) ranks.set(id, `tx#${ranks.size + 1}`);
    return ranks.get(id) as string;
  };
  const text = JSON.stringify(value, (key, field) => {
    if ((key === 'transactionId' || key === 'id') && typeof field === 'number') return rank(field);
    if (key === 'recentStops') return (field as number[]).map(rank);
    if (key === 'transactions' && field !== null && !Array.isArray(field) && typeof field === 'object') {
      return Object.fromEntries(Object.entries(field).map(([id, record]) => [rank(Number(id)), record]));
    }
    if (key === 'key' && typeof field === 'string') return 'start-key';
    return field;
  });
  return JSON.parse(text);
}

async function run(inputs: readonly Input[], steps: readonly Step[], snapshotEvery?: number) {
  const shardUnderTest = new Shard(snapshotEvery);
  await shardUnderTest.stores.chargers.put({ serial, registeredAt: 'now', updatedAt: 'now' });
  await shardUnderTest.stores.idTags.put({ idTag: 'TAG', status: 'Accepted', updatedAt: 'now' });
  await shardUnderTest.newOwner();
  let next = 0;
  let last: Input | undefined;
  let transactionId: number | undefined;
  const inputAt = (i: number) => withGivenTransactionId(inputs[i] as Input, transactionId);
  const learn = (reply: unknown) => {
    const payload = (reply as { ok?: boolean; payload?: { transactionId?: number } } | undefined)?.payload;
    if (typeof payload?.transactionId === 'number') transactionId = payload.transactionId;
  };
  for (const [index, step] of steps.entries()) {
    shardUnderTest.resumeStalled(index);
    if (next >= inputs.length) break;
    const input = inputAt(next);
    switch (step.op) {
      case 'deliver':
        learn(await shardUnderTest.deliver(input));
        next += 1;
        last = input;
        break;
      case 'redeliver':
        if (last !== undefined) await shardUnderTest.deliver(last);
        break;
      case 'parallel':
        for (const reply of await Promise.all([shardUnderTest.deliver(input), shardUnderTest.deliver(input)]))
          learn(reply);
        next += 1;
        last = input;
        break;
      case 'crash-during': {
        const delivery = shardUnderTest.deliver(input);
        for (let i = 0; i < step.afterTicks; i++) await tick();
        await shardUnderTest.crash();
        learn(await delivery);
        next += 1;
        last = input;
        break;
      }
      case 'hand-over':
        await shardUnderTest.handOver();
        break;
      case 'passivate':
        await shardUnderTest.passivate();
        break;
      case 'deliver-while-passivating':
        learn(await shardUnderTest.deliverWhilePassivating(input, step.afterTicks));
        next += 1;
        last = input;
        break;
      case 'stall-and-replace':
        learn(await shardUnderTest.stallAndReplace(input, index, step.resumeAfterSteps));
        next += 1;
        last = input;
        break;
    }
  }
  for (; next < inputs.length; next++) learn(await shardUnderTest.deliver(inputAt(next)));
  return shardUnderTest.outcome();
}

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ op: 'deliver' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'redeliver' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'parallel' as const }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 6 }).map((afterTicks) => ({ op: 'crash-during' as const, afterTicks })),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'hand-over' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'passivate' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 3 })
      .map((afterTicks) => ({ op: 'deliver-while-passivating' as const, afterTicks })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 5 })
      .map((resumeAfterSteps) => ({ op: 'stall-and-replace' as const, resumeAfterSteps })),
  },
);

describe('deliver / crash / hand-over / redeliver', () => {
  it('ends in the state, events and transactions of applying every input once, in order', async () => {
    const inputs = script();
    const reference = await run(inputs, []);
    expect(reference.transactions).toHaveLength(1);
    const expected = normalized(reference);
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(1, 2, 5, 16),
        async (steps, snapshotEvery) => {
          expect(normalized(await run(inputs, steps, snapshotEvery))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});

/** The write budget under the same faults: operator profile writes racing crashes, hand-overs and retries. */
describe('flash-write reservations across crash / hand-over / retry', () => {
  const writesLeft = 3;
  const profile = (limit: number) => ({
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 20 + limit,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: '2026-11-22T00:00:00.000Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      },
    },
  });

  type BudgetStep = {
    readonly op: 'request' | 'parallel' | 'crash-during' | 'hand-over' | 'retry';
    readonly ticks: number;
  };

  async function runBudget(steps: readonly BudgetStep[]) {
    const shardUnderTest = new Shard();
    await shardUnderTest.stores.chargers.put({ serial, registeredAt: 'now', updatedAt: 'now' });
    await shardUnderTest.newOwner();
    const reached: unknown[] = [];
    // The charger's edge: answers every CALL Accepted, a few turns later.
    shardUnderTest.bus.serve(subjects.edgeCall('e1'), async (data) => {
      const call = data as { action: string; payload: unknown };
      if (call.action === 'SetChargingProfile') reached.push(call.payload);
      for (let i = 0; i < 3; i++) await tick();
      return { ok: true, payload: { status: 'Accepted' } };
    });
    await shardUnderTest.deliver({ kind: 'session', event: 'connected', sessionId: 's1', at: 1 });
    let limit = 6;
    const ask = async (requestId: string, payload: unknown) => {
      const request = {
        op: 'ocpp',
        requestId,
        action: 'SetChargingProfile',
        payload,
        timeoutMs: 1_000,
        rules: { easee: true, txProfile: false },
      };
      // As the API does: a request nobody owns right now is sent again, with the same id.
      for (let attempt = 0; attempt < 400; attempt++) {
        try {
          return await shardUnderTest.bus.request<{ ok: boolean; status?: number }>(
            subjects.api(shard, serial),
            request,
            {
              timeoutMs: 2_000,
            },
          );
        } catch (error) {
          if (!(error instanceof NoRespondersError || error instanceof RemoteError)) throw error;
          await tick();
        }
      }
      throw new Error('never answered');
    };
    for (let write = 0; write < 25 - writesLeft; write++) await ask(`pre-${write}`, profile(limit++));
    const before = reached.length;
    const accepted = new Set<string>();
    const note = (requestId: string) => (reply: { ok: boolean }) => {
      if (reply.ok) accepted.add(requestId);
    };
    let n = 0;
    for (const step of steps) {
      const requestId = `burst-${n++}`;
      switch (step.op) {
        case 'request':
          note(requestId)(await ask(requestId, profile(limit++)));
          break;
        case 'parallel':
          await Promise.all([
            ask(requestId, profile(limit++)).then(note(requestId)),
            ask(`${requestId}b`, profile(limit++)).then(note(`${requestId}b`)),
          ]);
          break;
        case 'retry': {
          // One request delivered twice (the API's retry): one decision, one write at most.
          const payload = profile(limit++);
          await Promise.all(
            [ask(requestId, payload), ask(requestId, payload)].map((reply) => reply.then(note(requestId))),
          );
          break;
        }
        case 'crash-during': {
          const reply = ask(requestId, profile(limit++));
          for (let i = 0; i < step.ticks; i++) await tick();
          await shardUnderTest.crash();
          note(requestId)(await reply);
          break;
        }
        case 'hand-over': {
          const reply = ask(requestId, profile(limit++));
          for (let i = 0; i < step.ticks; i++) await tick();
          await shardUnderTest.handOver();
          note(requestId)(await reply);
          break;
        }
      }
    }
    const { context } = await shardUnderTest.outcome();
    const tokens = (context as { smartCharging: { writeBudget: { tokens: number } } }).smartCharging.writeBudget.tokens;
    return { reached: reached.length - before, accepted: accepted.size, tokens };
  }

  it('never lets more writes reach the charger than were left, and spends each that did', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            op: fc.constantFrom('request', 'parallel', 'crash-during', 'hand-over', 'retry'),
            ticks: fc.integer({ min: 0, max: 8 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (steps) => {
          const { reached, accepted, tokens } = await runBudget(steps as BudgetStep[]);
          expect(reached).toBeLessThanOrEqual(writesLeft);
          expect(accepted).toBeLessThanOrEqual(reached);
          // A write that reached the charger is spent (once): what is left never exceeds what was not sent.
          expect(Math.floor(tokens)).toBeLessThanOrEqual(writesLeft - reached);
          expect(tokens).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
