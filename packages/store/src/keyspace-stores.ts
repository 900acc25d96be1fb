import type { ChargerRegistration, IdTagRecord, SiteRecord, TransactionRecord } from '@fleetwire/contracts';
import { shardOf } from '@fleetwire/contracts';
import { firstKeyAfter, JsonText, type Keyspace, type KeyspaceOp, plainValue } from './keyspace.ts';
import {
  type ApiTokenRecord,
  type ApiTokenStore,
  type ChargerCensus,
  type ChargerFilter,
  type ChargerRegistry,
  type IdTagStore,
  type JournaledInputs,
  type ListedCharger,
  type LiveState,
  matchesTransaction,
  maxTransactionId,
  type OrphanStop,
  type Page,
  type PageRequest,
  type SiteStore,
  type SnapshotStore,
  type SnapshotWrite,
  type StoredSnapshot,
  type TransactionFilter,
  type TransactionStore,
} from './stores.ts';

function pageOf<T>(keyspace: Keyspace, ns: string, page: PageRequest): Page<T> {
  const keys = keyspace.sortedKeys(ns);
  const start = firstKeyAfter(keys, page.after);
  const slice = keys.slice(start, start + page.limit);
  const items = slice.map((key) => keyspace.get<T>(ns, key) as T);
  const last = slice.at(-1);
  return start + page.limit < keys.length && last !== undefined ? { items, next: last } : { items };
}

export class KeyspaceChargerRegistry implements ChargerRegistry {
  private readonly keyspace: Keyspace;
  private readonly shardCount: number;
  private readonly byShard = new Map<number, Set<string>>();

  constructor(keyspace: Keyspace, shardCount: number) {
    this.keyspace = keyspace;
    this.shardCount = shardCount;
    for (const registration of keyspace.values<ChargerRegistration>('charger')) this.index(registration.serial);
  }

  private index(serial: string): void {
    const shard = shardOf(serial, this.shardCount);
    let serials = this.byShard.get(shard);
    if (serials === undefined) {
      serials = new Set();
      this.byShard.set(shard, serials);
    }
    serials.add(serial);
  }

  async serialsInShard(shard: number): Promise<readonly string[]> {
    return [...(this.byShard.get(shard) ?? [])];
  }

  async search(filter: ChargerFilter, page: PageRequest): Promise<Page<ListedCharger>> {
    const keys = this.keyspace.sortedKeys('charger');
    let start = firstKeyAfter(keys, page.after);
    if (filter.text !== undefined) start = Math.max(start, firstKeyAtOrAfter(keys, filter.text));
    const items: ListedCharger[] = [];
    for (let i = start; i < keys.length; i++) {
      const serial = keys[i] as string;
      if (filter.text !== undefined && !serial.startsWith(filter.text)) break;
      const live = this.keyspace.get<LiveState>('live', serial) ?? {};
      if (!matchesLive(live, filter)) continue;
      if (items.length === page.limit) return { items, next: (items.at(-1) as ListedCharger).registration.serial };
      items.push({
        registration: this.keyspace.get<ChargerRegistration>('charger', serial) as ChargerRegistration,
        live,
      });
    }
    return { items };
  }

  async census(): Promise<ChargerCensus> {
    const byStatus: Record<string, number> = {};
    const byOpMode: Record<string, number> = {};
    let connected = 0;
    const serials = this.keyspace.sortedKeys('charger');
    for (const serial of serials) {
      const live = this.keyspace.get<LiveState>('live', serial);
      if (live?.connected === true) connected += 1;
      if (live?.ocppStatus !== undefined) byStatus[live.ocppStatus] = (byStatus[live.ocppStatus] ?? 0) + 1;
      if (live?.opMode !== undefined) byOpMode[live.opMode] = (byOpMode[live.opMode] ?? 0) + 1;
    }
    return { registered: serials.length, connected, byStatus, byOpMode };
  }

  async updateLive(changes: ReadonlyMap<string, LiveState>): Promise<void> {
    const ops = [...changes].map(([serial, change]) => ({
      type: 'put' as const,
      ns: 'live',
      key: serial,
      value: { ...this.keyspace.get<LiveState>('live', serial), ...change },
    }));
    if (ops.length > 0) await this.keyspace.write(ops);
  }

  async get(serial: string): Promise<ChargerRegistration | undefined> {
    return this.keyspace.get('charger', serial);
  }

  async put(registration: ChargerRegistration): Promise<void> {
    await this.keyspace.write([{ type: 'put', ns: 'charger', key: registration.serial, value: registration }]);
    this.index(registration.serial);
  }

  async delete(serial: string): Promise<boolean> {
    if (!this.keyspace.has('charger', serial)) return false;
    await this.keyspace.write([{ type: 'delete', ns: 'charger', key: serial }]);
    this.byShard.get(shardOf(serial, this.shardCount))?.delete(serial);
    return true;
  }

  async list(page: PageRequest): Promise<Page<ChargerRegistration>> {
    return pageOf(this.keyspace, 'charger', page);
  }
}

export function matchesLive(live: LiveState, filter: ChargerFilter): boolean {
  return (
    (filter.connected === undefined || (live.connected ?? false) === filter.connected) &&
    (filter.ocppStatus === undefined || live.ocppStatus === filter.ocppStatus) &&
    (filter.opMode === undefined || live.opMode === filter.opMode)
  );
}

/** Index of the first key at or after `key` in an ascending array. */
function firstKeyAtOrAfter(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Id tags are case-insensitive; they are keyed by their lower-case form and keep the spelling they were given. */
export function idTagKey(idTag: string): string {
  return idTag.toLowerCase();
}

export class KeyspaceIdTagStore implements IdTagStore {
  private readonly keyspace: Keyspace;

  constructor(keyspace: Keyspace) {
    this.keyspace = keyspace;
  }

  async get(idTag: string): Promise<IdTagRecord | undefined> {
    return this.keyspace.get('idtag', idTagKey(idTag));
  }

  async put(record: IdTagRecord): Promise<void> {
    await this.keyspace.write([{ type: 'put', ns: 'idtag', key: idTagKey(record.idTag), value: record }]);
  }

  async delete(idTag: string): Promise<boolean> {
    const key = idTagKey(idTag);
    if (!this.keyspace.has('idtag', key)) return false;
    await this.keyspace.write([{ type: 'delete', ns: 'idtag', key }]);
    return true;
  }

  async list(page: PageRequest, parentIdTag?: string): Promise<Page<IdTagRecord>> {
    if (parentIdTag === undefined) return pageOf(this.keyspace, 'idtag', page);
    const parent = idTagKey(parentIdTag);
    const keys = this.keyspace.sortedKeys('idtag');
    const items: IdTagRecord[] = [];
    for (let i = firstKeyAfter(keys, page.after); i < keys.length; i++) {
      const record = this.keyspace.get<IdTagRecord>('idtag', keys[i] as string) as IdTagRecord;
      if (record.parentIdTag === undefined || idTagKey(record.parentIdTag) !== parent) continue;
      if (items.length === page.limit) return { items, next: idTagKey((items.at(-1) as IdTagRecord).idTag) };
      items.push(record);
    }
    return { items };
  }
}

/** Sites in `site`, and which site each charger is on in `site-of`. */
export class KeyspaceSiteStore implements SiteStore {
  private readonly keyspace: Keyspace;
  private readonly shardCount: number;

  constructor(keyspace: Keyspace, shardCount: number) {
    this.keyspace = keyspace;
    this.shardCount = shardCount;
  }

  async get(siteId: string): Promise<SiteRecord | undefined> {
    return this.keyspace.get('site', siteId);
  }

  async put(record: SiteRecord): Promise<void> {
    const before = this.keyspace.get<SiteRecord>('site', record.siteId);
    const now = new Set(chargersOfSite(record));
    const ops: KeyspaceOp[] = [{ type: 'put', ns: 'site', key: record.siteId, value: record }];
    for (const serial of before === undefined ? [] : chargersOfSite(before)) {
      if (!now.has(serial)) ops.push({ type: 'delete', ns: 'site-of', key: serial });
    }
    for (const serial of now) ops.push({ type: 'put', ns: 'site-of', key: serial, value: record.siteId });
    await this.keyspace.write(ops);
  }

  async delete(siteId: string): Promise<boolean> {
    const before = this.keyspace.get<SiteRecord>('site', siteId);
    if (before === undefined) return false;
    const ops: KeyspaceOp[] = [{ type: 'delete', ns: 'site', key: siteId }];
    for (const serial of chargersOfSite(before)) {
      if (this.keyspace.get('site-of', serial) === siteId) ops.push({ type: 'delete', ns: 'site-of', key: serial });
    }
    await this.keyspace.write(ops);
    return true;
  }

  async list(page: PageRequest): Promise<Page<SiteRecord>> {
    return pageOf(this.keyspace, 'site', page);
  }

  async siteOf(serial: string): Promise<string | undefined> {
    return this.keyspace.get('site-of', serial);
  }

  async idsInShard(shard: number): Promise<readonly string[]> {
    return this.keyspace.sortedKeys('site').filter((siteId) => shardOf(siteId, this.shardCount) === shard);
  }
}

/** Every charger of a site, directly behind its fuse or on one of its circuits. */
export function chargersOfSite(record: SiteRecord): string[] {
  return [...record.chargers, ...record.circuits.flatMap((circuit) => circuit.chargers)];
}

export class KeyspaceTokenStore implements ApiTokenStore {
  private readonly keyspace: Keyspace;

  constructor(keyspace: Keyspace) {
    this.keyspace = keyspace;
  }

  async byHash(hash: string): Promise<ApiTokenRecord | undefined> {
    return this.keyspace.get('token', hash);
  }

  async put(record: ApiTokenRecord): Promise<void> {
    await this.keyspace.write([{ type: 'put', ns: 'token', key: record.hash, value: record }]);
  }

  async list(): Promise<readonly ApiTokenRecord[]> {
    return [...this.keyspace.values<ApiTokenRecord>('token')];
  }

  async delete(id: string): Promise<boolean> {
    const record = [...this.keyspace.values<ApiTokenRecord>('token')].find((candidate) => candidate.id === id);
    if (record === undefined) return false;
    await this.keyspace.write([{ type: 'delete', ns: 'token', key: record.hash }]);
    return true;
  }
}

/**
 * Snapshots of the all-in-one process in `snap`, the inputs journaled after each in `journal` (a list per charger,
 * emptied by the next snapshot), both held as JSON text. Fencing: a write below the highest lease token that claimed
 * or wrote the charger is refused. There is one owner per process, so fencing only guards against an owner inside
 * this process that lost its lease; the fence floor of a serial without a snapshot is kept in memory.
 */
export class KeyspaceSnapshotStore implements SnapshotStore {
  private readonly fenceFloor = new Map<string, number>();
  private readonly keyspace: Keyspace;

  constructor(keyspace: Keyspace) {
    this.keyspace = keyspace;
  }

  async claim(serials: readonly string[], leaseToken: number): Promise<Map<string, StoredSnapshot>> {
    const loaded = new Map<string, StoredSnapshot>();
    for (const serial of serials) {
      const stored = this.stored(serial);
      // The floor also covers the stored snapshot's token, so that a write compares with the floor alone.
      this.fenceFloor.set(serial, Math.max(this.fenceFloor.get(serial) ?? 0, leaseToken, stored?.leaseToken ?? 0));
      const inputs = this.keyspace.get<unknown[]>('journal', serial);
      if (stored !== undefined) {
        loaded.set(
          serial,
          inputs === undefined
            ? stored
            : { ...stored, inputs: inputs.map((input) => plainValue<JournaledInputs>(input)) },
        );
      }
    }
    return loaded;
  }

  private stored(serial: string): StoredSnapshot | undefined {
    const stored = this.keyspace.get('snap', serial);
    return stored === undefined ? undefined : plainValue<StoredSnapshot>(stored);
  }

  /** The lowest lease token a write may carry: the highest that claimed or wrote the charger. */
  private floorOf(serial: string): number {
    return this.fenceFloor.get(serial) ?? this.stored(serial)?.leaseToken ?? 0;
  }

  async write(writes: readonly SnapshotWrite[]): Promise<boolean[]> {
    const accepted: boolean[] = [];
    const ops: KeyspaceOp[] = [];
    for (const write of writes) {
      const { serial, leaseToken } = write;
      const ok = leaseToken >= this.floorOf(serial);
      accepted.push(ok);
      if (!ok) continue;
      this.fenceFloor.set(serial, leaseToken);
      if (write.kind === 'inputs') {
        const { machineVersion, lastSeq, inputs, emitted, published } = write;
        ops.push({
          type: 'append',
          ns: 'journal',
          key: serial,
          value: JsonText.of({ machineVersion, lastSeq, inputs, emitted, published }),
        });
      } else {
        const { machineVersion, lastSeq, snapshot, outbox, published } = write;
        const stored: StoredSnapshot = {
          machineVersion,
          leaseToken,
          lastSeq,
          snapshot,
          outbox,
          published: published ?? 0,
        };
        ops.push({ type: 'put', ns: 'snap', key: serial, value: JsonText.of(stored) });
        if (this.keyspace.has('journal', serial)) ops.push({ type: 'delete', ns: 'journal', key: serial });
      }
    }
    if (ops.length > 0) await this.keyspace.write(ops);
    return accepted;
  }

  async delete(serial: string): Promise<void> {
    this.fenceFloor.delete(serial);
    await this.keyspace.write([
      { type: 'delete', ns: 'snap', key: serial },
      { type: 'delete', ns: 'journal', key: serial },
    ]);
  }
}

// Zero-padded so that the key order is the id order.
function transactionKey(id: number): string {
  return id.toString().padStart(10, '0');
}

export class KeyspaceTransactionStore implements TransactionStore {
  private readonly keyspace: Keyspace;

  constructor(keyspace: Keyspace) {
    this.keyspace = keyspace;
  }

  async nextId(): Promise<number> {
    const id = (this.keyspace.get<number>('seq', 'transaction') ?? 0) + 1;
    if (id > maxTransactionId) throw new Error('transaction ids exhausted (int32)');
    await this.keyspace.write([{ type: 'put', ns: 'seq', key: 'transaction', value: id }]);
    return id;
  }

  async upsert(records: readonly TransactionRecord[]): Promise<void> {
    const ops = [];
    for (const record of records) {
      const key = transactionKey(record.id);
      const stored = this.keyspace.get<TransactionRecord>('txn', key);
      if (stored !== undefined && stored.updatedAt > record.updatedAt) continue;
      ops.push({ type: 'put' as const, ns: 'txn', key, value: record });
    }
    if (ops.length > 0) await this.keyspace.write(ops);
  }

  async get(id: number): Promise<TransactionRecord | undefined> {
    return this.keyspace.get('txn', transactionKey(id));
  }

  async list(filter: TransactionFilter, page: PageRequest): Promise<Page<TransactionRecord>> {
    const keys = this.keyspace.sortedKeys('txn');
    const items: TransactionRecord[] = [];
    for (let i = firstKeyAfter(keys, page.after); i < keys.length; i++) {
      const record = this.keyspace.get<TransactionRecord>('txn', keys[i] as string) as TransactionRecord;
      if (!matchesTransaction(record, filter)) continue;
      if (items.length === page.limit) return { items, next: transactionKey((items.at(-1) as TransactionRecord).id) };
      items.push(record);
    }
    return { items };
  }

  async keepOrphanStops(stops: readonly OrphanStop[]): Promise<void> {
    const ops = stops.map((stop) => ({ type: 'put' as const, ns: 'orphan', key: stop.eventId, value: stop }));
    if (ops.length > 0) await this.keyspace.write(ops);
  }

  async orphanStops(serial: string): Promise<readonly OrphanStop[]> {
    return [...this.keyspace.values<OrphanStop>('orphan')].filter((stop) => stop.serial === serial);
  }
}
