import type { ChargerRegistration, IdTagRecord, SiteRecord, TransactionRecord } from '@fleetwire/contracts';
import { shardOf } from '@fleetwire/contracts';
import { chargePointStatuses } from '@fleetwire/ocpp';
import { Redis } from 'ioredis';
import { chargersOfSite, idTagKey } from '../keyspace-stores.ts';
import {
  type ApiTokenRecord,
  type ApiTokenStore,
  type ChargerCensus,
  type ChargerFilter,
  type ChargerRegistry,
  type EventLog,
  type IdTagStore,
  type JournaledInputs,
  type ListedCharger,
  type LiveState,
  matchesTransaction,
  type OrphanStop,
  type Page,
  type PageRequest,
  type SiteStore,
  type SnapshotStore,
  type SnapshotWrite,
  type StoredSnapshot,
  type Stores,
  type TransactionFilter,
  type TransactionStore,
} from '../stores.ts';
import { redisKeys } from './keys.ts';
import { defineScripts } from './scripts.ts';

function parse<T>(text: string | null | undefined): T | undefined {
  return text === null || text === undefined ? undefined : (JSON.parse(text) as T);
}

/** A page of members of a lexicographically ordered index, strictly after `after`. */
async function indexPage(
  redis: Redis,
  index: string,
  page: PageRequest,
): Promise<{ members: string[]; next?: string }> {
  const from = page.after === undefined ? '-' : `(${page.after}`;
  const members = await redis.zrangebylex(index, from, '+', 'LIMIT', 0, page.limit + 1);
  if (members.length <= page.limit) return { members };
  const kept = members.slice(0, page.limit);
  return { members: kept, next: kept.at(-1) as string };
}

// Easee's ChargerOpMode values (observation 109), by which the op-mode index is kept.
const easeeOpModes = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

class RedisChargerRegistry implements ChargerRegistry {
  private readonly redis: Redis;
  private readonly shardCount: number;

  constructor(redis: Redis, shardCount: number) {
    this.redis = redis;
    this.shardCount = shardCount;
  }

  async get(serial: string): Promise<ChargerRegistration | undefined> {
    return parse(await this.redis.get(redisKeys.charger(serial)));
  }

  async put(registration: ChargerRegistration): Promise<void> {
    const { serial } = registration;
    // Idempotent writes: a crash between them leaves indexes that the next put completes.
    await this.redis
      .multi()
      .set(redisKeys.charger(serial), JSON.stringify(registration))
      .zadd(redisKeys.chargerIndex, 0, serial)
      .sadd(redisKeys.shardMembers(shardOf(serial, this.shardCount)), serial)
      .exec();
  }

  async delete(serial: string): Promise<boolean> {
    const results = await this.redis
      .multi()
      .del(redisKeys.charger(serial))
      .zrem(redisKeys.chargerIndex, serial)
      .srem(redisKeys.shardMembers(shardOf(serial, this.shardCount)), serial)
      .exec();
    return results?.[0]?.[1] === 1;
  }

  async list(page: PageRequest): Promise<Page<ChargerRegistration>> {
    const { members, next } = await indexPage(this.redis, redisKeys.chargerIndex, page);
    if (members.length === 0) return { items: [] };
    const values = await this.redis.mget(members.map(redisKeys.charger));
    const items = values.flatMap((value) => parse<ChargerRegistration>(value) ?? []);
    return next === undefined ? { items } : { items, next };
  }

  async serialsInShard(shard: number): Promise<readonly string[]> {
    return this.redis.smembers(redisKeys.shardMembers(shard));
  }

  async updateLive(changes: ReadonlyMap<string, LiveState>): Promise<void> {
    if (changes.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [serial, change] of changes) {
      const fields = Object.entries(change).flatMap(([field, value]) => [
        field,
        value === undefined ? '' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value),
      ]);
      pipeline.fwLiveUpdate(redisKeys.live(serial), redisKeys.connectedIndex, serial, ...fields);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Counted from the indexes' cardinalities: a constant number of commands, whatever the fleet's size. */
  async census(): Promise<ChargerCensus> {
    const pipeline = this.redis.pipeline();
    pipeline.zcard(redisKeys.chargerIndex);
    pipeline.zcard(redisKeys.connectedIndex);
    for (const status of chargePointStatuses) pipeline.zcard(redisKeys.ocppStatusIndex(status));
    for (const opMode of easeeOpModes) pipeline.zcard(redisKeys.opModeIndex(opMode));
    const counts = ((await pipeline.exec()) ?? []).map(([error, count]) => {
      if (error) throw error;
      return Number(count);
    });
    const [registered = 0, connected = 0] = counts;
    const byStatus: Record<string, number> = {};
    chargePointStatuses.forEach((status, i) => {
      const count = counts[2 + i] ?? 0;
      if (count > 0) byStatus[status] = count;
    });
    const byOpMode: Record<string, number> = {};
    easeeOpModes.forEach((opMode, i) => {
      const count = counts[2 + chargePointStatuses.length + i] ?? 0;
      if (count > 0) byOpMode[opMode] = count;
    });
    return { registered, connected, byStatus, byOpMode };
  }

  /**
   * Pages through the most selective index that the filter names (op mode, OCPP status, connected, else every
   * registered charger) in serial order; Redis checks the rest of the filter (fwChargerSearch). A page scans at
   * most `searchScanBudget` serials: a rare match returns a short page with a cursor rather than a slow one.
   */
  async search(filter: ChargerFilter, page: PageRequest): Promise<Page<ListedCharger>> {
    const index =
      filter.opMode !== undefined
        ? redisKeys.opModeIndex(filter.opMode)
        : filter.ocppStatus !== undefined
          ? redisKeys.ocppStatusIndex(filter.ocppStatus)
          : filter.connected === true
            ? redisKeys.connectedIndex
            : redisKeys.chargerIndex;
    const upper = filter.text === undefined ? '+' : `(${filter.text}\u{10ffff}`;
    let from = page.after === undefined ? '-' : `(${page.after}`;
    if (filter.text !== undefined && (page.after === undefined || page.after < filter.text)) from = `[${filter.text}`;
    const [serials, next] = await this.redis.fwChargerSearch(
      index,
      from,
      upper,
      String(page.limit),
      String(searchScanBudget),
      filter.connected === undefined ? '' : filter.connected ? '1' : '0',
      filter.ocppStatus ?? '',
      filter.opMode === undefined ? '' : String(filter.opMode),
      liveKeyPrefix,
      liveKeySuffix,
    );
    const items: ListedCharger[] = [];
    if (serials.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const serial of serials) {
        pipeline.get(redisKeys.charger(serial));
        pipeline.hgetall(redisKeys.live(serial));
      }
      const results = (await pipeline.exec()) ?? [];
      for (let i = 0; i < serials.length; i++) {
        const registration = parse<ChargerRegistration>(results[2 * i]?.[1] as string | null);
        // Deleted between the scan and the fetch.
        if (registration !== undefined)
          items.push({ registration, live: liveOf(results[2 * i + 1]?.[1] as Record<string, string>) });
      }
    }
    return next === null ? { items } : { items, next };
  }
}

/** Serials a listing page may scan before it answers; about 10 ms of Redis time. */
const searchScanBudget = 5_000;
const [liveKeyPrefix, liveKeySuffix] = redisKeys.live('\0').split('\0') as [string, string];

function liveOf(hash: Record<string, string> | undefined): LiveState {
  if (hash === undefined) return {};
  return {
    ...(hash.connected === undefined ? {} : { connected: hash.connected === '1' }),
    ...(hash.ocppStatus === undefined ? {} : { ocppStatus: hash.ocppStatus }),
    ...(hash.opMode === undefined ? {} : { opMode: Number(hash.opMode) }),
    ...(hash.ocppSeenAt === undefined ? {} : { ocppSeenAt: Number(hash.ocppSeenAt) }),
    ...(hash.streamSeenAt === undefined ? {} : { streamSeenAt: Number(hash.streamSeenAt) }),
  };
}

class RedisIdTagStore implements IdTagStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async get(idTag: string): Promise<IdTagRecord | undefined> {
    return parse(await this.redis.get(redisKeys.idTag(idTagKey(idTag))));
  }

  async put(record: IdTagRecord): Promise<void> {
    const key = idTagKey(record.idTag);
    await this.redis
      .multi()
      .set(redisKeys.idTag(key), JSON.stringify(record))
      .zadd(redisKeys.idTagIndex, 0, key)
      .exec();
  }

  async delete(idTag: string): Promise<boolean> {
    const key = idTagKey(idTag);
    const results = await this.redis.multi().del(redisKeys.idTag(key)).zrem(redisKeys.idTagIndex, key).exec();
    return results?.[0]?.[1] === 1;
  }

  async list(page: PageRequest): Promise<Page<IdTagRecord>> {
    const { members, next } = await indexPage(this.redis, redisKeys.idTagIndex, page);
    if (members.length === 0) return { items: [] };
    const items = (await this.redis.mget(members.map(redisKeys.idTag))).flatMap(
      (value) => parse<IdTagRecord>(value) ?? [],
    );
    return next === undefined ? { items } : { items, next };
  }
}

class RedisSiteStore implements SiteStore {
  private readonly redis: Redis;
  private readonly shardCount: number;

  constructor(redis: Redis, shardCount: number) {
    this.redis = redis;
    this.shardCount = shardCount;
  }

  async get(siteId: string): Promise<SiteRecord | undefined> {
    return parse(await this.redis.get(redisKeys.site(siteId)));
  }

  async put(record: SiteRecord): Promise<void> {
    const before = await this.get(record.siteId);
    const now = new Set(chargersOfSite(record));
    // Idempotent writes: a crash between them leaves a state the next put completes.
    const multi = this.redis
      .multi()
      .set(redisKeys.site(record.siteId), JSON.stringify(record))
      .zadd(redisKeys.siteIndex, 0, record.siteId)
      .sadd(redisKeys.sitesOfShard(shardOf(record.siteId, this.shardCount)), record.siteId);
    for (const serial of before === undefined ? [] : chargersOfSite(before)) {
      if (!now.has(serial)) multi.del(redisKeys.siteOf(serial));
    }
    for (const serial of now) multi.set(redisKeys.siteOf(serial), record.siteId);
    await multi.exec();
  }

  async delete(siteId: string): Promise<boolean> {
    const before = await this.get(siteId);
    if (before === undefined) return false;
    const multi = this.redis
      .multi()
      .del(redisKeys.site(siteId))
      .zrem(redisKeys.siteIndex, siteId)
      .srem(redisKeys.sitesOfShard(shardOf(siteId, this.shardCount)), siteId);
    for (const serial of chargersOfSite(before)) multi.del(redisKeys.siteOf(serial));
    await multi.exec();
    return true;
  }

  async list(page: PageRequest): Promise<Page<SiteRecord>> {
    const { members, next } = await indexPage(this.redis, redisKeys.siteIndex, page);
    if (members.length === 0) return { items: [] };
    const items = (await this.redis.mget(members.map(redisKeys.site))).flatMap(
      (value) => parse<SiteRecord>(value) ?? [],
    );
    return next === undefined ? { items } : { items, next };
  }

  async siteOf(serial: string): Promise<string | undefined> {
    return (await this.redis.get(redisKeys.siteOf(serial))) ?? undefined;
  }

  async idsInShard(shard: number): Promise<readonly string[]> {
    return (await this.redis.smembers(redisKeys.sitesOfShard(shard))).sort();
  }
}

class RedisTokenStore implements ApiTokenStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async byHash(hash: string): Promise<ApiTokenRecord | undefined> {
    return parse(await this.redis.get(redisKeys.token(hash)));
  }

  async put(record: ApiTokenRecord): Promise<void> {
    await this.redis
      .multi()
      .set(redisKeys.token(record.hash), JSON.stringify(record))
      .sadd(redisKeys.tokenIndex, record.hash)
      .exec();
  }

  async list(): Promise<readonly ApiTokenRecord[]> {
    const hashes = await this.redis.smembers(redisKeys.tokenIndex);
    if (hashes.length === 0) return [];
    return (await this.redis.mget(hashes.map(redisKeys.token))).flatMap((text) => parse<ApiTokenRecord>(text) ?? []);
  }

  async delete(id: string): Promise<boolean> {
    const record = (await this.list()).find((candidate) => candidate.id === id);
    if (record === undefined) return false;
    await this.redis.multi().del(redisKeys.token(record.hash)).srem(redisKeys.tokenIndex, record.hash).exec();
    return true;
  }
}

class RedisSnapshotStore implements SnapshotStore {
  private readonly redis: Redis;
  private readonly writers: readonly Redis[];
  private nextWriter = 0;

  constructor(redis: Redis, writers: readonly Redis[]) {
    this.redis = redis;
    this.writers = writers;
  }

  async claim(serials: readonly string[], leaseToken: number): Promise<Map<string, StoredSnapshot>> {
    const loaded = new Map<string, StoredSnapshot>();
    for (let start = 0; start < serials.length; start += 500) {
      const chunk = serials.slice(start, start + 500);
      const pipeline = this.redis.pipeline();
      for (const serial of chunk) {
        pipeline.fwSnapshotClaim(redisKeys.snapshot(serial), redisKeys.journal(serial), leaseToken);
      }
      const results = (await pipeline.exec()) ?? [];
      chunk.forEach((serial, i) => {
        const [error, reply] = results[i] ?? [];
        if (error) throw error;
        const [fields, journal] = reply as [(string | null)[], string[]];
        const [token, seq, version, snapshot, outbox, published] = fields;
        if (snapshot === null || snapshot === undefined) return;
        loaded.set(serial, {
          leaseToken: Number(token),
          lastSeq: Number(seq ?? 0),
          machineVersion: Number(version ?? 0),
          snapshot: JSON.parse(snapshot),
          outbox: parse(outbox) ?? [],
          published: Number(published ?? 0),
          ...(journal.length === 0 ? {} : { inputs: journal.map((record) => JSON.parse(record) as JournaledInputs) }),
        });
      });
    }
    return loaded;
  }

  async write(writes: readonly SnapshotWrite[]): Promise<boolean[]> {
    // Batches take turns on the connections; a charger's next write waits for its last, so its own stay in order.
    this.nextWriter = (this.nextWriter + 1) % this.writers.length;
    const pipeline = (this.writers[this.nextWriter] as Redis).pipeline();
    for (const write of writes) {
      const key = redisKeys.snapshot(write.serial);
      const journal = redisKeys.journal(write.serial);
      if (write.kind === 'inputs') {
        const { machineVersion, lastSeq, inputs, emitted, published } = write;
        const record = JSON.stringify({ machineVersion, lastSeq, inputs, emitted, published });
        pipeline.fwJournalAppend(key, journal, write.leaseToken, record);
      } else {
        pipeline.fwSnapshotWrite(
          key,
          journal,
          write.leaseToken,
          write.lastSeq,
          write.machineVersion,
          JSON.stringify(write.snapshot),
          JSON.stringify(write.outbox),
          write.published ?? 0,
        );
      }
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, accepted]) => {
      if (error) throw error;
      return accepted === 1;
    });
  }

  async delete(serial: string): Promise<void> {
    await this.redis.del(redisKeys.snapshot(serial), redisKeys.journal(serial));
  }
}

class RedisTransactionStore implements TransactionStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async nextId(): Promise<number> {
    return this.redis.fwTransactionNextId(redisKeys.transactionSeq);
  }

  async upsert(records: readonly TransactionRecord[]): Promise<void> {
    if (records.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const record of records) {
      pipeline.fwTransactionUpsert(redisKeys.transaction(record.id), JSON.stringify(record), record.updatedAt);
      pipeline.zadd(redisKeys.transactionIndex, record.id, String(record.id));
      pipeline.zadd(redisKeys.transactionsOfCharger(record.serial), record.id, String(record.id));
      if (record.idTag !== '') {
        pipeline.zadd(redisKeys.transactionsOfIdTag(idTagKey(record.idTag)), record.id, String(record.id));
      }
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async get(id: number): Promise<TransactionRecord | undefined> {
    return parse(await this.redis.get(redisKeys.transaction(id)));
  }

  async list(filter: TransactionFilter, page: PageRequest): Promise<Page<TransactionRecord>> {
    const index =
      filter.serial !== undefined
        ? redisKeys.transactionsOfCharger(filter.serial)
        : filter.idTag !== undefined
          ? redisKeys.transactionsOfIdTag(idTagKey(filter.idTag))
          : redisKeys.transactionIndex;
    const items: TransactionRecord[] = [];
    let after = page.after === undefined ? 0 : Number(page.after);
    // Scans the index in id order in chunks until the page is full: time filters are applied per record.
    for (;;) {
      const ids = await this.redis.zrangebyscore(index, `(${after}`, '+inf', 'LIMIT', 0, 500);
      if (ids.length === 0) return { items };
      const records = await this.redis.mget(ids.map((id) => redisKeys.transaction(Number(id))));
      for (const text of records) {
        const record = parse<TransactionRecord>(text);
        if (record === undefined || !matchesTransaction(record, filter)) continue;
        if (items.length === page.limit) return { items, next: String((items.at(-1) as TransactionRecord).id) };
        items.push(record);
      }
      after = Number(ids.at(-1));
    }
  }

  async keepOrphanStops(stops: readonly OrphanStop[]): Promise<void> {
    if (stops.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const stop of stops) pipeline.hset(redisKeys.orphanStops(stop.serial), stop.eventId, JSON.stringify(stop));
    await pipeline.exec();
  }

  async orphanStops(serial: string): Promise<readonly OrphanStop[]> {
    const stored = await this.redis.hvals(redisKeys.orphanStops(serial));
    return stored.map((text) => JSON.parse(text) as OrphanStop);
  }
}

export interface RedisStoreOptions {
  readonly url: string;
  readonly shardCount: number;
  /** FW_EVENTS in a cluster; the Redis stores do not keep events themselves. */
  readonly events: EventLog;
  /**
   * Connections that snapshot and journal writes take turns on (default 1: the one given). Redis reads at most
   * 16 KiB of a connection per turn of its loop, and with appendfsync always it syncs the file once per turn, so a
   * connection carries about one sync's worth of writes at a time; more connections share each sync.
   */
  readonly snapshotConnections?: number;
}

/** Connects to Redis for good: commands wait out an outage instead of failing (the caller bounds the wait). */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: false,
  });
  defineScripts(redis);
  return redis;
}

/** Resolves once the connection is ready (it retries for as long as it takes). */
export function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

export function redisStores(redis: Redis, options: Omit<RedisStoreOptions, 'url'>): Stores {
  const writers = [redis];
  for (let n = 1; n < (options.snapshotConnections ?? 1); n++) {
    const writer = redis.duplicate();
    defineScripts(writer);
    writers.push(writer);
  }
  return {
    chargers: new RedisChargerRegistry(redis, options.shardCount),
    sites: new RedisSiteStore(redis, options.shardCount),
    idTags: new RedisIdTagStore(redis),
    tokens: new RedisTokenStore(redis),
    snapshots: new RedisSnapshotStore(redis, writers),
    transactions: new RedisTransactionStore(redis),
    events: options.events,
    close: async () => {
      await Promise.all(writers.map((writer) => writer.quit().catch(() => writer.disconnect())));
    },
  };
}
