import { RedisServer } from '@fleetwire/devcluster';
import {
  type ChargerFilter,
  connectRedis,
  type ListedCharger,
  type LiveState,
  memoryStores,
  redisStores,
  type Stores,
} from '@fleetwire/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The same promises from the embedded stores and from Redis: what the API lists must not depend on the backend.

const now = '2026-11-22T00:00:00.000Z';

async function register(stores: Stores, live: Record<string, LiveState>): Promise<void> {
  await Promise.all(
    Object.keys(live).map((serial) => stores.chargers.put({ serial, registeredAt: now, updatedAt: now })),
  );
  await stores.chargers.updateLive(new Map(Object.entries(live)));
}

async function everyPage(stores: Stores, filter: ChargerFilter, limit: number): Promise<ListedCharger[][]> {
  const pages: ListedCharger[][] = [];
  let after: string | undefined;
  do {
    const page = await stores.chargers.search(filter, { limit, ...(after === undefined ? {} : { after }) });
    pages.push([...page.items]);
    after = page.next;
  } while (after !== undefined && pages.length < 1_000);
  return pages;
}

const serialsOf = (pages: ListedCharger[][]) => pages.flat().map((item) => item.registration.serial);

const backends: [string, () => Promise<{ stores: Stores; done: () => Promise<void> }>][] = [
  ['memory', async () => ({ stores: memoryStores(), done: async () => {} })],
  [
    'Redis',
    async () => {
      const server = await new RedisServer().start();
      const stores = redisStores(connectRedis(server.url), { shardCount: 16, events: memoryStores().events });
      return {
        stores,
        done: async () => {
          await stores.close();
          await server.stop();
        },
      };
    },
  ],
];

describe.each(backends)('charger search on the %s stores', (name, open) => {
  let stores: Stores;
  let done: () => Promise<void>;

  beforeAll(async () => {
    ({ stores, done } = await open());
    await register(stores, {
      EH000001: { connected: true, ocppStatus: 'Charging', opMode: 3 },
      EH000002: { connected: true, ocppStatus: 'Available', opMode: 1 },
      EH000003: { connected: false, ocppStatus: 'Charging', opMode: 3 },
      EH000004: { connected: true, ocppStatus: 'Charging', opMode: 3 },
      EH100001: { connected: true, ocppStatus: 'Faulted', opMode: 7 },
      EH100002: {},
    });
  }, 60_000);

  afterAll(() => done());

  it('filters on connected, OCPP status, op mode and serial prefix, together or alone', async () => {
    const serials = async (filter: ChargerFilter) => serialsOf(await everyPage(stores, filter, 100));
    expect(await serials({})).toEqual(['EH000001', 'EH000002', 'EH000003', 'EH000004', 'EH100001', 'EH100002']);
    expect(await serials({ connected: true })).toEqual(['EH000001', 'EH000002', 'EH000004', 'EH100001']);
    expect(await serials({ connected: false })).toEqual(['EH000003', 'EH100002']);
    expect(await serials({ ocppStatus: 'Charging', connected: true })).toEqual(['EH000001', 'EH000004']);
    expect(await serials({ opMode: 3, connected: false })).toEqual(['EH000003']);
    expect(await serials({ text: 'EH1' })).toEqual(['EH100001', 'EH100002']);
    expect(await serials({ text: 'EH1', ocppStatus: 'Faulted' })).toEqual(['EH100001']);
    expect(await serials({ ocppStatus: 'Unavailable' })).toEqual([]);
  });

  it('returns the live state with each charger, and moves a charger between filters as it changes', async () => {
    const [first] = (await stores.chargers.search({ text: 'EH000001' }, { limit: 1 })).items;
    expect(first?.live).toMatchObject({ connected: true, ocppStatus: 'Charging', opMode: 3 });
    await stores.chargers.updateLive(new Map([['EH000001', { connected: false, ocppStatus: 'Finishing' }]]));
    const charging = await stores.chargers.search({ ocppStatus: 'Charging' }, { limit: 10 });
    expect(charging.items.map((item) => item.registration.serial)).toEqual(['EH000003', 'EH000004']);
    const finishing = await stores.chargers.search({ ocppStatus: 'Finishing', connected: false }, { limit: 10 });
    expect(finishing.items.map((item) => item.live)).toEqual([
      { connected: false, ocppStatus: 'Finishing', opMode: 3 },
    ]);
  });

  it('counts the fleet by connection, OCPP status and op mode', async () => {
    expect(await stores.chargers.census()).toEqual({
      registered: 6,
      connected: 3,
      byStatus: { Finishing: 1, Charging: 2, Available: 1, Faulted: 1 },
      byOpMode: { 1: 1, 3: 3, 7: 1 },
    });
  });

  it('pages with a cursor: every match once, in order, and no cursor after the last page', async () => {
    const pages = await everyPage(stores, {}, 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
    expect(serialsOf(pages)).toEqual([...serialsOf(pages)].sort());
    expect(new Set(serialsOf(pages)).size).toBe(6);
  });

  it('bounds the work of one page: a rare match behind thousands answers short pages with a cursor', async () => {
    const live: Record<string, LiveState> = {};
    for (let i = 0; i < 12_000; i++)
      live[`EH5${i.toString().padStart(5, '0')}`] = { connected: true, ocppStatus: 'Available' };
    live.EH599999 = { connected: false, ocppStatus: 'Available' };
    await register(stores, live);
    const pages = await everyPage(stores, { text: 'EH5', connected: false }, 50);
    expect(serialsOf(pages)).toEqual(['EH599999']);
    // Redis scans at most 5,000 serials a page; the embedded store answers from memory in one.
    expect(pages.map((page) => page.length)).toEqual(name === 'Redis' ? [0, 0, 1] : [1]);
  }, 60_000);
});

describe.each(backends)('charger journal on the %s stores', (_name, open) => {
  let stores: Stores;
  let done: () => Promise<void>;

  beforeAll(async () => {
    ({ stores, done } = await open());
  }, 60_000);

  afterAll(() => done());

  const snapshot = (serial: string, leaseToken: number, value: string) => ({
    serial,
    leaseToken,
    machineVersion: 3,
    lastSeq: 0,
    snapshot: value,
    outbox: [],
    published: 0,
  });
  const inputs = (serial: string, leaseToken: number, input: string, published = 0) => ({
    kind: 'inputs' as const,
    serial,
    leaseToken,
    machineVersion: 3,
    lastSeq: 7,
    inputs: [input],
    emitted: 1,
    published,
  });

  it('keeps the inputs journaled after a snapshot, in order, until the next snapshot replaces them', async () => {
    await stores.snapshots.claim(['EHJ1'], 1);
    expect(await stores.snapshots.write([snapshot('EHJ1', 1, 'base')])).toEqual([true]);
    expect(await stores.snapshots.write([inputs('EHJ1', 1, 'a')])).toEqual([true]);
    expect(await stores.snapshots.write([inputs('EHJ1', 1, 'b', 1)])).toEqual([true]);
    const claimed = (await stores.snapshots.claim(['EHJ1'], 1)).get('EHJ1');
    expect(claimed?.snapshot).toBe('base');
    expect(claimed?.inputs?.map((record) => [record.inputs[0], record.published, record.lastSeq])).toEqual([
      ['a', 0, 7],
      ['b', 1, 7],
    ]);
    expect(await stores.snapshots.write([snapshot('EHJ1', 1, 'after b')])).toEqual([true]);
    const compacted = (await stores.snapshots.claim(['EHJ1'], 1)).get('EHJ1');
    expect(compacted?.snapshot).toBe('after b');
    expect(compacted?.inputs ?? []).toEqual([]);
  });

  it('refuses an append from an owner that a newer claim fenced off', async () => {
    await stores.snapshots.claim(['EHJ2'], 1);
    await stores.snapshots.write([snapshot('EHJ2', 1, 'base')]);
    await stores.snapshots.claim(['EHJ2'], 2);
    expect(await stores.snapshots.write([inputs('EHJ2', 1, 'late'), inputs('EHJ2', 2, 'new owner')])).toEqual([
      false,
      true,
    ]);
    const claimed = (await stores.snapshots.claim(['EHJ2'], 2)).get('EHJ2');
    expect(claimed?.inputs?.map((record) => record.inputs[0])).toEqual(['new owner']);
  });
});
