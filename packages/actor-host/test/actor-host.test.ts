import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessBus, RemoteError } from '@fleetwire/bus';
import type { CallOutcome, ChargerCallRequest, ShardStreamSource, StreamDelivery } from '@fleetwire/contracts';
import { shardOf, subjects } from '@fleetwire/contracts';
import type { StreamMessage } from '@fleetwire/easee';
import { memoryStores, type Stores } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorHost } from '../src/index.ts';

const shardCount = 4;
const logger = createLogger({ level: 'silent' });
const serial = 'EH000001';
const shard = shardOf(serial, shardCount);
const hosts: ActorHost[] = [];

function host(bus: InProcessBus, stores: Stores, clock = () => Date.parse('2026-11-22T10:00:00Z')): ActorHost {
  const created = new ActorHost({ bus, stores, shardCount, heartbeatIntervalS: 300, clock, logger });
  hosts.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((created) => created.stop()));
});

async function register(stores: Stores): Promise<void> {
  await stores.chargers.put({ serial, registeredAt: 'now', updatedAt: 'now' });
  await stores.idTags.put({ idTag: 'TAG1', status: 'Accepted', updatedAt: 'now' });
}

let messageSeq = 0;
function call(bus: InProcessBus, action: string, payload: unknown, sessionId = 's1'): Promise<CallOutcome> {
  const request: ChargerCallRequest = {
    sessionId,
    messageId: `m${++messageSeq}`,
    action,
    payload,
    receivedAt: 0,
  };
  return bus.request(subjects.chargerCall(shard, serial), request, { timeoutMs: 1_000 });
}

async function connect(bus: InProcessBus, sessionId = 's1'): Promise<void> {
  await bus.request(
    subjects.chargerSession(shard, serial),
    { kind: 'connected', sessionId, edgeId: 'e1', at: 0 },
    { timeoutMs: 1_000 },
  );
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('ActorHost', () => {
  it('answers a charger CALL after the snapshot is durable, then publishes its events and transaction', async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    await register(stores);
    const worker = host(bus, stores);
    for (let s = 0; s < shardCount; s++) await worker.acquire(s, 1);
    await connect(bus);
    const started = await call(bus, 'StartTransaction', {
      connectorId: 1,
      idTag: 'tag1',
      meterStart: 0,
      timestamp: '2026-11-22T10:00:00Z',
    });
    expect(started).toEqual({ ok: true, payload: { transactionId: 1, idTagInfo: { status: 'Accepted' } } });
    const stored = (await stores.snapshots.claim([serial], 1)).get(serial);
    expect(stored?.leaseToken).toBe(1);
    await settle();
    expect((await stores.transactions.get(1))?.status).toBe('active');
    const events = await stores.events.read(0, 10);
    expect(events.map((stored) => stored.event.type)).toEqual(['connection', 'transaction-started']);
  });

  it('refuses inputs for shards it does not own, so the edge retries elsewhere', async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    await register(stores);
    const worker = host(bus, stores);
    await worker.acquire(shard, 1);
    await worker.release(shard);
    await expect(call(bus, 'Heartbeat', {})).rejects.toThrow(/no responders/);
  });

  it('hands a charger over: the next owner restores it and nothing is published twice', async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    await register(stores);
    const first = host(bus, stores);
    await first.acquire(shard, 1);
    await connect(bus);
    await call(bus, 'StartTransaction', {
      connectorId: 1,
      idTag: 'TAG1',
      meterStart: 100,
      timestamp: '2026-11-22T10:00:00Z',
    });
    await first.release(shard);

    const second = host(bus, stores);
    await second.acquire(shard, 2);
    const stopped = await call(bus, 'StopTransaction', {
      transactionId: 1,
      meterStop: 600,
      timestamp: '2026-11-22T11:00:00Z',
    });
    expect(stopped).toEqual({ ok: true, payload: {} });
    await settle();
    expect(await stores.transactions.get(1)).toMatchObject({ status: 'stopped', energyWh: 500 });
    const ids = (await stores.events.read(0, 100)).map((stored) => stored.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(3);
  });

  it('stops writing once a newer owner fenced the shard (a paused worker that lost its lease)', async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    await register(stores);
    const stale = host(bus, stores);
    await stale.acquire(shard, 1);
    await connect(bus);
    await stores.snapshots.claim([serial], 2);
    await expect(call(bus, 'Heartbeat', {})).rejects.toEqual(expect.any(RemoteError));
    expect(stale.ownedShards).not.toContain(shard);
  });

  it('answers a redelivered CALL from its snapshot after a hand-over, without applying it twice', async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    await register(stores);
    const first = host(bus, stores);
    await first.acquire(shard, 1);
    await connect(bus);
    const request: ChargerCallRequest = {
      sessionId: 's1',
      messageId: 'retry-me',
      action: 'StartTransaction',
      payload: { connectorId: 1, idTag: 'TAG1', meterStart: 0, timestamp: '2026-11-22T10:00:00Z' },
      receivedAt: 0,
    };
    const once = await bus.request(subjects.chargerCall(shard, serial), request, { timeoutMs: 1_000 });
    await first.release(shard);
    const second = host(bus, stores);
    await second.acquire(shard, 2);
    const again = await bus.request(subjects.chargerCall(shard, serial), request, { timeoutMs: 1_000 });
    expect(again).toEqual(once);
    expect(await stores.transactions.nextId()).toBe(2);
  });

  it('answers a central-system call with 503 when the charger has no socket', async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    await register(stores);
    const worker = host(bus, stores);
    await worker.acquire(shard, 1);
    const reply = await bus.request(
      subjects.api(shard, serial),
      {
        op: 'ocpp',
        action: 'Reset',
        payload: { type: 'Soft' },
        timeoutMs: 500,
        rules: { easee: true, txProfile: false },
      },
      { timeoutMs: 1_000 },
    );
    expect(reply).toEqual({ ok: false, status: 503, error: `${serial} is not connected` });
  });
});

describe('ActorHost on the Easee stream', () => {
  const at = Date.parse('2026-11-22T10:00:00Z');
  function observation(seq: number, observationId: number, name: string, value: unknown, acked: number[]) {
    const message: StreamMessage = {
      kind: 'observation',
      serial,
      observationId,
      name,
      timestamp: new Date(at).toISOString(),
      timestampMs: at,
      value,
    };
    return { seq, messages: [message], ack: () => acked.push(seq), nak: () => {} };
  }

  it("applies a new charger's messages in the order the stream delivered them while it registers the charger", async () => {
    const bus = new InProcessBus();
    const stores = memoryStores(shardCount);
    // The registration's write settles late (on Redis: a MULTI behind a busy connection), so the next delivery
    // already reads the charger as registered while the first still waits.
    const put = stores.chargers.put.bind(stores.chargers);
    stores.chargers.put = async (registration) => {
      await put(registration);
      await sleep(20);
    };
    const deliverTo = new Map<number, (delivery: StreamDelivery) => void>();
    const streams: ShardStreamSource = {
      async open(owned, deliver) {
        deliverTo.set(owned, deliver);
        return { close: async () => {} };
      },
    };
    const worker = new ActorHost({
      bus,
      stores,
      shardCount,
      heartbeatIntervalS: 300,
      clock: () => at,
      logger,
      streams,
    });
    hosts.push(worker);
    for (let s = 0; s < shardCount; s++) await worker.acquire(s, 1);
    const deliver = deliverTo.get(shard) as (delivery: StreamDelivery) => void;
    const acked: number[] = [];
    deliver(observation(1, 150, 'TempMax', 21, acked));
    await sleep(5);
    deliver(observation(2, 31, 'IsEnabled', true, acked));
    await expect.poll(() => acked.length).toBe(2);
    const reply = await worker.handleApi(serial, shard, { op: 'state' });
    expect(reply).toMatchObject({
      ok: true,
      body: { stream: { observations: { TempMax: { value: 21 }, IsEnabled: { value: true } } } },
    });
  });
});
