import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetEvent, TransactionRecord } from '@fleetwire/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileJournal } from '../src/file-journal.ts';
import { fileStores, memoryStores } from '../src/index.ts';
import { JsonText, Keyspace, type KeyspaceOp, opJson } from '../src/keyspace.ts';
import { LocalEventLog } from '../src/local-event-log.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const registration = (serial: string) => ({
  serial,
  registeredAt: '2026-11-22T00:00:00.000Z',
  updatedAt: '2026-11-22T00:00:00.000Z',
});

const transaction = (id: number, serial = 'EH1'): TransactionRecord => ({
  id,
  serial,
  connectorId: 1,
  idTag: 'TAG',
  authorization: 'Accepted',
  status: 'active',
  startedAt: `2026-11-22T10:00:0${id % 10}.000Z`,
  meterStartWh: 0,
  flags: [],
  updatedAt: 0,
});

const event = (id: string): FleetEvent => ({ id, type: 'status', serial: 'EH1', at: 0, data: {} });

describe('file stores', () => {
  it('keep registrations, id tags, transactions and the id counter across a restart', async () => {
    const first = await fileStores(dir);
    await first.chargers.put(registration('EH1'));
    await first.idTags.put({ idTag: 'AbC', status: 'Accepted', updatedAt: 'now' });
    const id = await first.transactions.nextId();
    await first.transactions.upsert([transaction(id)]);
    await first.chargers.delete('EH1');
    await first.chargers.put(registration('EH2'));
    await first.close();

    const second = await fileStores(dir);
    expect(await second.chargers.get('EH1')).toBeUndefined();
    expect(await second.chargers.get('EH2')).toEqual(registration('EH2'));
    expect(await second.idTags.get('abc')).toMatchObject({ idTag: 'AbC' });
    expect(await second.transactions.get(id)).toEqual(transaction(id));
    expect(await second.transactions.nextId()).toBe(id + 1);
    await second.close();
  });

  it('keep a charger journal across a restart and a compaction, emptied by the next snapshot', async () => {
    const snapshot = (value: string) => ({
      serial: 'EH1',
      machineVersion: 3,
      leaseToken: 1,
      lastSeq: 0,
      snapshot: value,
      outbox: [],
    });
    const inputs = (input: string) => ({
      kind: 'inputs' as const,
      serial: 'EH1',
      machineVersion: 3,
      leaseToken: 1,
      lastSeq: 0,
      inputs: [input],
      emitted: 0,
      published: 0,
    });
    const journalOf = async (stores: Awaited<ReturnType<typeof fileStores>>) =>
      (await stores.snapshots.claim(['EH1'], 1)).get('EH1')?.inputs?.map((record) => record.inputs[0]);
    const first = await fileStores(dir);
    await first.snapshots.write([snapshot('base')]);
    await first.snapshots.write([inputs('a')]);
    await first.snapshots.write([inputs('b')]);
    await first.close();

    const keyspace = new Keyspace();
    const compacting = await FileJournal.open(join(dir, 'state'), keyspace, { compactAfterOps: 0 });
    keyspace.useDurability(compacting);
    await keyspace.write([
      {
        type: 'append',
        ns: 'journal',
        key: 'EH1',
        value: { machineVersion: 3, lastSeq: 0, inputs: ['c'], emitted: 0, published: 0 },
      },
    ]);
    await compacting.close();

    const second = await fileStores(dir);
    expect(await journalOf(second)).toEqual(['a', 'b', 'c']);
    await second.snapshots.write([snapshot('after c')]);
    await second.close();
    const third = await fileStores(dir);
    expect(await journalOf(third)).toBeUndefined();
    expect((await third.snapshots.claim(['EH1'], 1)).get('EH1')?.snapshot).toBe('after c');
    await third.close();
  });

  it('ignore a torn last line left by a crash mid-write', async () => {
    const first = await fileStores(dir);
    await first.chargers.put(registration('EH1'));
    await first.close();
    await appendFile(join(dir, 'state', 'journal.jsonl'), '{"type":"put","ns":"charger","key":"EH9"');
    const second = await fileStores(dir);
    expect(await second.chargers.get('EH1')).toBeDefined();
    expect(await second.chargers.get('EH9')).toBeUndefined();
    await second.close();
  });

  it('compact the journal into state without losing or resurrecting anything', async () => {
    const keyspace = new Keyspace();
    keyspace.useDurability(await FileJournal.open(dir, keyspace, { compactAfterOps: 50 }));
    for (let i = 0; i < 200; i++) {
      await keyspace.write([{ type: 'put', ns: 'n', key: `k${i % 20}`, value: i }]);
    }
    await keyspace.write([{ type: 'delete', ns: 'n', key: 'k3' }]);
    await keyspace.close();
    const journal = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    expect(journal.split('\n').length).toBeLessThan(100);

    const reopened = new Keyspace();
    reopened.useDurability(await FileJournal.open(dir, reopened));
    expect(reopened.get('n', 'k19')).toBe(199);
    expect(reopened.get('n', 'k3')).toBeUndefined();
    expect(reopened.size('n')).toBe(19);
    await reopened.close();
  });

  it('group-commit concurrent writers into few syncs and resolve them all', async () => {
    const stores = await fileStores(dir);
    const ids = await Promise.all(Array.from({ length: 500 }, () => stores.transactions.nextId()));
    expect(new Set(ids).size).toBe(500);
    expect(Math.max(...ids)).toBe(500);
    await stores.close();
  });
});

describe('snapshot fencing', () => {
  it('refuses a write with a lower lease token once a newer owner claimed the charger', async () => {
    const stores = memoryStores();
    const write = (leaseToken: number, value: string) => ({
      serial: 'EH1',
      machineVersion: 1,
      leaseToken,
      lastSeq: 0,
      snapshot: value,
      outbox: [],
    });
    expect(await stores.snapshots.write([write(1, 'old owner')])).toEqual([true]);
    const claimed = await stores.snapshots.claim(['EH1', 'EH2'], 2);
    expect(claimed.get('EH1')?.snapshot).toBe('old owner');
    expect(
      await stores.snapshots.write([write(1, 'late write'), { ...write(1, 'new charger'), serial: 'EH2' }]),
    ).toEqual([false, false]);
    expect(await stores.snapshots.write([write(2, 'new owner')])).toEqual([true]);
    expect((await stores.snapshots.claim(['EH1'], 2)).get('EH1')?.snapshot).toBe('new owner');
  });
});

describe('charger snapshots held as JSON text', () => {
  const write = (leaseToken: number, snapshot: unknown) => ({
    serial: 'EH1',
    machineVersion: 1,
    leaseToken,
    lastSeq: 0,
    snapshot,
    outbox: [],
  });

  it('keep what was written, not the object the writer goes on changing', async () => {
    const stores = memoryStores();
    const context = { status: 'Charging', transactions: [{ id: 1, energyWh: 10 }] };
    await stores.snapshots.write([write(1, context)]);
    context.status = 'Available';
    context.transactions[0] = { id: 1, energyWh: 99 };
    expect((await stores.snapshots.claim(['EH1'], 1)).get('EH1')?.snapshot).toEqual({
      status: 'Charging',
      transactions: [{ id: 1, energyWh: 10 }],
    });
  });

  it('write the journal records a plain value would, byte for byte', () => {
    const value = { machineVersion: 3, lastSeq: 7, inputs: [{ type: 'CALL', payload: { 'a"b': '\u2028 é' } }] };
    for (const type of ['put', 'append'] as const) {
      const op: KeyspaceOp = { type, ns: 'journal', key: 'EH"1', value: JsonText.of(value) };
      expect(opJson(op)).toBe(JSON.stringify({ type, ns: 'journal', key: 'EH"1', value }));
      expect(JSON.stringify(op)).toBe(JSON.stringify({ type, ns: 'journal', key: 'EH"1', value }));
    }
    // A charger's journal as compaction writes it: a list of what was appended, text and objects read back alike.
    // Spliced, not parsed and written again: compaction writes every charger's journal this way.
    const parsed = vi.spyOn(JsonText.prototype, 'toJSON');
    const list: KeyspaceOp = { type: 'put', ns: 'journal', key: 'EH1', value: [JsonText.of(value), value, undefined] };
    expect(opJson(list)).toBe(JSON.stringify({ type: 'put', ns: 'journal', key: 'EH1', value: [value, value, null] }));
    expect(parsed).not.toHaveBeenCalled();
    parsed.mockRestore();
  });

  it('refuse an older owner after a restart, whether or not it claimed the charger again', async () => {
    const first = await fileStores(dir);
    expect(await first.snapshots.write([write(3, 'owner 3')])).toEqual([true]);
    await first.close();
    const second = await fileStores(dir);
    expect(await second.snapshots.write([write(2, 'owner 2, unclaimed')])).toEqual([false]);
    await second.snapshots.claim(['EH1'], 2);
    expect(await second.snapshots.write([write(2, 'owner 2, claimed')])).toEqual([false]);
    expect(await second.snapshots.write([write(3, 'owner 3 again')])).toEqual([true]);
    expect((await second.snapshots.claim(['EH1'], 3)).get('EH1')?.snapshot).toBe('owner 3 again');
    await second.close();
  });
});

describe('lists', () => {
  it('page through chargers in serial order with a cursor', async () => {
    const stores = memoryStores();
    for (const serial of ['C', 'A', 'E', 'B', 'D']) await stores.chargers.put(registration(serial));
    const first = await stores.chargers.list({ limit: 2 });
    expect(first.items.map((item) => item.serial)).toEqual(['A', 'B']);
    const second = await stores.chargers.list({ limit: 2, after: first.next as string });
    expect(second.items.map((item) => item.serial)).toEqual(['C', 'D']);
    const last = await stores.chargers.list({ limit: 2, after: second.next as string });
    expect(last).toEqual({ items: [registration('E')] });
  });

  it('filter and page transactions in id order', async () => {
    const stores = memoryStores();
    await stores.transactions.upsert([1, 2, 3, 10, 11].map((id) => transaction(id, id % 2 === 0 ? 'EVEN' : 'ODD')));
    const odd = await stores.transactions.list({ serial: 'ODD' }, { limit: 2 });
    expect(odd.items.map((item) => item.id)).toEqual([1, 3]);
    const rest = await stores.transactions.list({ serial: 'ODD' }, { limit: 2, after: odd.next as string });
    expect(rest.items.map((item) => item.id)).toEqual([11]);
    expect(rest.next).toBeUndefined();
  });
});

describe('event log', () => {
  it('numbers events, skips re-published ids and keeps them across a restart', async () => {
    const first = await fileStores(dir);
    const seen: number[] = [];
    first.events.follow(0, {}, (stored) => seen.push(stored.seq));
    await first.events.append([event('EH1:1'), event('EH1:2')]);
    await first.events.append([event('EH1:2'), event('EH1:3')]);
    expect(seen).toEqual([1, 2, 3]);
    await first.close();

    const second = await fileStores(dir);
    await second.events.append([event('EH1:3'), event('EH1:4')]);
    const all = await second.events.read(0, 10);
    expect(all.map((stored) => [stored.seq, stored.event.id])).toEqual([
      [1, 'EH1:1'],
      [2, 'EH1:2'],
      [3, 'EH1:3'],
      [4, 'EH1:4'],
    ]);
    expect((await second.events.read(2, 1)).map((stored) => stored.seq)).toEqual([3]);
    await second.close();
  });
  it('resumes a reader past a sequence number a crash tore off, without skipping what came after', async () => {
    const first = await fileStores(dir);
    await first.events.append([event('EH1:1'), event('EH1:2')]);
    await first.close();
    // A reader saw seq 3 before the crash tore its record off: 3 is never given again, so a gap follows.
    await appendFile(join(dir, 'events', 'events.jsonl'), '{"seq":3,"event":{"id":"EH1:3"');
    const second = await fileStores(dir);
    await second.events.append([event('EH1:4'), event('EH1:5')]);
    expect((await second.events.read(3, 10)).map((stored) => [stored.seq, stored.event.id])).toEqual([
      [4, 'EH1:4'],
      [5, 'EH1:5'],
    ]);
    expect((await second.events.read(4, 10)).map((stored) => stored.seq)).toEqual([5]);
    await second.close();
  });

  it('keeps the newest events in memory, in order, however many came before', async () => {
    const log = LocalEventLog.inMemory({ retained: 3 });
    for (let i = 1; i <= 7; i++) await log.append([event(`EH1:${i}`)]);
    expect((await log.read(0, 10)).map((stored) => stored.seq)).toEqual([5, 6, 7]);
    expect((await log.read(5, 10)).map((stored) => stored.event.id)).toEqual(['EH1:6', 'EH1:7']);
    // Ids that left the window are new again; ids in it are still recognised.
    await log.append([event('EH1:7'), event('EH1:1')]);
    expect((await log.read(0, 10)).map((stored) => stored.event.id)).toEqual(['EH1:6', 'EH1:7', 'EH1:1']);
  });
});

describe('registry by shard', () => {
  it('knows which serials live in a shard, across a restart', async () => {
    const first = await fileStores(dir, 4);
    for (const serial of ['EH1', 'EH2', 'EH3', 'EH4', 'EH5']) await first.chargers.put(registration(serial));
    await first.chargers.delete('EH3');
    const all = (await Promise.all([0, 1, 2, 3].map((shard) => first.chargers.serialsInShard(shard)))).flat();
    expect(all.sort()).toEqual(['EH1', 'EH2', 'EH4', 'EH5']);
    await first.close();
    const second = await fileStores(dir, 4);
    const again = (await Promise.all([0, 1, 2, 3].map((shard) => second.chargers.serialsInShard(shard)))).flat();
    expect(again.sort()).toEqual(['EH1', 'EH2', 'EH4', 'EH5']);
    await second.close();
  });
});

describe('transaction upsert', () => {
  it('never moves a record back to an older version', async () => {
    const stores = memoryStores();
    await stores.transactions.upsert([{ ...transaction(5), status: 'stopped', updatedAt: 20 }]);
    await stores.transactions.upsert([{ ...transaction(5), status: 'active', updatedAt: 10 }]);
    expect((await stores.transactions.get(5))?.status).toBe('stopped');
  });
});
