import { InProcessBus } from '@fleetwire/bus';
import type { CallOutcome, ChargerCallRequest } from '@fleetwire/contracts';
import { shardOf, subjects } from '@fleetwire/contracts';
import { memoryStores, type Stores } from '@fleetwire/store';
import { createLogger, FleetwireMetrics } from '@fleetwire/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { ChargerRuntime, type OwnedShard } from '../src/charger-runtime.ts';
import { ActorHost } from '../src/index.ts';

const shardCount = 4;
const logger = createLogger({ level: 'silent' });
const serial = 'EHPASS01';
const shard = shardOf(serial, shardCount);
const passivateAfterMs = 60_000;
const hosts: ActorHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((created) => created.stop()));
});

class Clock {
  now = Date.parse('2026-12-06T10:00:00Z');
  readonly read = () => this.now;
}

async function worker(stores: Stores, clock: Clock, heartbeatIntervalS = 300) {
  const bus = new InProcessBus();
  await stores.chargers.put({ serial, registeredAt: 'now', updatedAt: 'now' });
  await stores.idTags.put({ idTag: 'TAG1', status: 'Accepted', updatedAt: 'now' });
  const metrics = new FleetwireMetrics('worker');
  const host = new ActorHost({
    bus,
    stores,
    shardCount,
    heartbeatIntervalS,
    clock: clock.read,
    logger,
    metrics,
    passivateAfterMs,
  });
  hosts.push(host);
  for (let s = 0; s < shardCount; s++) await host.acquire(s, 1);
  let messageSeq = 0;
  const call = (action: string, payload: unknown): Promise<CallOutcome> => {
    const request: ChargerCallRequest = {
      sessionId: 's1',
      messageId: `m${++messageSeq}`,
      action,
      payload,
      receivedAt: 0,
    };
    return bus.request(subjects.chargerCall(shard, serial), request, { timeoutMs: 1_000 });
  };
  await bus.request(
    subjects.chargerSession(shard, serial),
    // Not an Easee: its silence is judged from HeartbeatInterval, which a test can make short.
    { kind: 'connected', sessionId: 's1', edgeId: 'e1', at: clock.now, rules: { easee: false, txProfile: false } },
    { timeoutMs: 1_000 },
  );
  return { host, call, metrics };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The sweep runs once a second, on the real clock. */
async function untilPassivated(host: ActorHost): Promise<void> {
  await expect.poll(() => host.passivatedCount, { timeout: 5_000, interval: 100 }).toBe(1);
}

describe('passivation (ADR 16)', () => {
  it('lets go of a quiet charger, still counts it, and answers its next CALL from the stored state', async () => {
    const stores = memoryStores(shardCount);
    const clock = new Clock();
    const { host, call, metrics } = await worker(stores, clock);
    const started = await call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG1',
      meterStart: 1_000,
      timestamp: '2026-12-06T10:00:00Z',
    });
    expect(started).toMatchObject({ ok: true, payload: { transactionId: 1 } });
    await call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    await settle();
    expect(host.actorCount).toBe(1);

    clock.now += passivateAfterMs + 1;
    await untilPassivated(host);
    expect(host.actorCount).toBe(0);
    const scraped = await metrics.registry.metrics();
    expect(scraped).toMatch(/fleetwire_chargers\{status="Charging"[^}]*\} 1/);
    expect(scraped).toMatch(/fleetwire_transactions_active\{[^}]*\} 1/);
    expect(scraped).toMatch(/fleetwire_actors_passivated\{[^}]*\} 1/);

    const stopped = await call('StopTransaction', {
      transactionId: 1,
      meterStop: 3_500,
      timestamp: '2026-12-06T10:02:00Z',
    });
    expect(stopped).toEqual({ ok: true, payload: {} });
    expect(host.actorCount).toBe(1);
    await settle();
    expect(await stores.transactions.get(1)).toMatchObject({ status: 'stopped', energyWh: 2_500 });
    const ids = (await stores.events.read(0, 100)).map((stored) => stored.event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fires the deadline of a charger it let go', async () => {
    const stores = memoryStores(shardCount);
    const clock = new Clock();
    // Silent after three heartbeat intervals: 6 s on the real clock, which drives the timers.
    const { host, call } = await worker(stores, clock, 2);
    await call('Heartbeat', {});
    await settle();
    clock.now += passivateAfterMs + 1;
    await untilPassivated(host);
    await expect
      .poll(async () => (await stores.events.read(0, 100)).map((stored) => stored.event.data.kind), {
        timeout: 10_000,
        interval: 200,
      })
      .toContain('charger-silent');
    expect(host.actorCount).toBe(1);
  }, 15_000);

  it('keeps at most maxLiveActors live, letting the least recently used go first', async () => {
    const stores = memoryStores(shardCount);
    const clock = new Clock();
    const bus = new InProcessBus();
    const serials = ['EHLRU001', 'EHLRU002', 'EHLRU003'];
    for (const charger of serials)
      await stores.chargers.put({ serial: charger, registeredAt: 'now', updatedAt: 'now' });
    const host = new ActorHost({
      bus,
      stores,
      shardCount,
      heartbeatIntervalS: 300,
      clock: clock.read,
      logger,
      maxLiveActors: 1,
    });
    hosts.push(host);
    for (let s = 0; s < shardCount; s++) await host.acquire(s, 1);
    for (const charger of serials) {
      await bus.request(
        subjects.chargerSession(shardOf(charger, shardCount), charger),
        { kind: 'connected', sessionId: `s-${charger}`, edgeId: 'e1', at: clock.now },
        { timeoutMs: 1_000 },
      );
      await settle();
    }
    await expect.poll(() => host.actorCount, { timeout: 5_000, interval: 100 }).toBe(1);
    expect(host.passivatedCount).toBe(2);
    expect(await host.passivate('EHLRU003')).toBe(true);
  });

  it('runs an input that held the charger before it was let go on the charger loaded again', async () => {
    const stores = memoryStores(shardCount);
    await stores.chargers.put({ serial, registeredAt: 'now', updatedAt: 'now' });
    const clock = new Clock();
    const owned: OwnedShard = { shard, leaseToken: 1, serials: new Set(), subscriptions: [], releasing: false };
    const runtime = new ChargerRuntime({
      stores,
      commands: undefined,
      heartbeatIntervalS: 300,
      clock: clock.read,
      logger,
      isServing: () => true,
      onFenced: () => {},
      metrics: new FleetwireMetrics('worker'),
    });
    try {
      const held = await runtime.load(serial, owned);
      await runtime.apply(held, {
        type: 'SESSION_OPENED',
        at: clock.now,
        connectedAt: clock.now,
        sessionId: 's1',
        edgeId: 'e1',
      });
      await settle();
      await runtime.passivate(held);
      expect(runtime.passivated.has(serial)).toBe(true);
      const ran = await runtime.apply(held, { type: 'SESSION_CLOSED', at: clock.now, sessionId: 's1' });
      expect(ran).not.toBe(held);
      expect(ran.actor.getSnapshot().context.session).toBeNull();
      await settle();
      const events = (await stores.events.read(0, 100)).map((stored) => stored.event.data.connected);
      expect(events).toEqual([true, false]);
    } finally {
      runtime.stop();
    }
  });
});
