import type {
  ChargerRegistration,
  FleetEvent,
  IdTagRecord,
  Outgoing,
  SiteRecord,
  TransactionRecord,
} from '@fleetwire/contracts';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `after` to get the next page; absent on the last page. */
  readonly next?: string;
}

export interface PageRequest {
  readonly after?: string;
  readonly limit: number;
}

/** Live state of a charger kept beside its registration, for listing and filtering the fleet. */
export interface LiveState {
  readonly connected?: boolean;
  /** OCPP status of connector 1 (or 0 when the charger reported only that). */
  readonly ocppStatus?: string;
  /** Easee ChargerOpMode (observation 109). */
  readonly opMode?: number;
  readonly ocppSeenAt?: number;
  readonly streamSeenAt?: number;
}

export interface ChargerFilter {
  readonly connected?: boolean;
  readonly ocppStatus?: string;
  readonly opMode?: number;
  /** Serial prefix. */
  readonly text?: string;
}

export interface ListedCharger {
  readonly registration: ChargerRegistration;
  readonly live: LiveState;
}

export interface ChargerRegistry {
  get(serial: string): Promise<ChargerRegistration | undefined>;
  put(registration: ChargerRegistration): Promise<void>;
  delete(serial: string): Promise<boolean>;
  list(page: PageRequest): Promise<Page<ChargerRegistration>>;
  /** Registered chargers with their live state, in serial order, filtered. */
  search(filter: ChargerFilter, page: PageRequest): Promise<Page<ListedCharger>>;
  /** Merges live-state changes (the workers' projection of connection and status events). */
  updateLive(changes: ReadonlyMap<string, LiveState>): Promise<void>;
  /** Serials registered in `shard`, for a worker that takes the shard over. */
  serialsInShard(shard: number): Promise<readonly string[]>;
  /** The fleet counted: registered, connected over OCPP, by OCPP status of connector 1 and by Easee op mode. */
  census(): Promise<ChargerCensus>;
}

export interface ChargerCensus {
  readonly registered: number;
  readonly connected: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byOpMode: Readonly<Record<string, number>>;
}

export interface IdTagStore {
  /** Case-insensitive, as OCPP 1.6 §3.9 says id tags are. */
  get(idTag: string): Promise<IdTagRecord | undefined>;
  put(record: IdTagRecord): Promise<void>;
  delete(idTag: string): Promise<boolean>;
  /** In id tag order; with `parentIdTag`, only the members of that group. */
  list(page: PageRequest, parentIdTag?: string): Promise<Page<IdTagRecord>>;
}

export type ApiScope = 'read' | 'operate' | 'admin';

/** An operator token as kept: its SHA-256, never the token. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  readonly hash: string;
  readonly createdAt: string;
}

export interface ApiTokenStore {
  byHash(hash: string): Promise<ApiTokenRecord | undefined>;
  put(record: ApiTokenRecord): Promise<void>;
  list(): Promise<readonly ApiTokenRecord[]>;
  delete(id: string): Promise<boolean>;
}

/**
 * A charger's durable record: its last snapshot and the inputs committed after it. Restoring runs those inputs
 * through the snapshot again (the model is deterministic given its inputs, ADR 1); see ADR 10.
 */
export interface StoredSnapshot {
  readonly machineVersion: number;
  readonly leaseToken: number;
  /** The newest durable-stream sequence applied (Easee observations); redeliveries at or below it are skipped. */
  readonly lastSeq: number;
  readonly snapshot: unknown;
  /** Fleet events and Easee commands committed with this snapshot but perhaps not yet published. */
  readonly outbox: readonly Outgoing[];
  /** How many outbox items the charger had published before the first one in `outbox` (absent: 0). */
  readonly published?: number;
  /** Inputs committed after the snapshot, oldest first (absent: none). */
  readonly inputs?: readonly JournaledInputs[];
}

/** One commit that journaled its inputs instead of a snapshot. */
export interface JournaledInputs {
  readonly machineVersion: number;
  readonly lastSeq: number;
  /** The charger inputs of the commit, in the order they were applied. */
  readonly inputs: readonly unknown[];
  /** How many outbox items (events and commands) applying them emitted: replay must emit as many. */
  readonly emitted: number;
  /** How many outbox items the charger had published, counted as `StoredSnapshot.published` counts them. */
  readonly published: number;
}

export type SnapshotWrite =
  | ({ readonly kind?: 'snapshot'; readonly serial: string; readonly leaseToken: number } & Omit<
      StoredSnapshot,
      'leaseToken' | 'inputs'
    >)
  | ({ readonly kind: 'inputs'; readonly serial: string; readonly leaseToken: number } & JournaledInputs);

export interface SnapshotStore {
  /**
   * Loads snapshots (with the inputs journaled after them) for a new owner and fences them: afterwards a write
   * with a lower lease token is refused, also for serials without a snapshot yet.
   */
  claim(serials: readonly string[], leaseToken: number): Promise<Map<string, StoredSnapshot>>;
  /**
   * Compare-and-set on the lease token; `false` for each write a newer owner fenced off. A snapshot replaces the
   * charger's record and empties its journal; journaled inputs are appended to it.
   */
  write(writes: readonly SnapshotWrite[]): Promise<boolean[]>;
  delete(serial: string): Promise<void>;
}

export interface TransactionFilter {
  readonly serial?: string;
  readonly idTag?: string;
  /** ISO times bounding `startedAt`. */
  readonly from?: string;
  readonly to?: string;
}

export function matchesTransaction(record: TransactionRecord, filter: TransactionFilter): boolean {
  return (
    (filter.serial === undefined || record.serial === filter.serial) &&
    (filter.idTag === undefined || record.idTag.toLowerCase() === filter.idTag.toLowerCase()) &&
    (filter.from === undefined || record.startedAt >= filter.from) &&
    (filter.to === undefined || record.startedAt < filter.to)
  );
}

export interface OrphanStop {
  readonly serial: string;
  readonly eventId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TransactionStore {
  /** A transaction id never handed out before: a positive int32. */
  nextId(): Promise<number>;
  /** Keeps, per id, the record with the newest `updatedAt`: a late or repeated publisher cannot move it back. */
  upsert(records: readonly TransactionRecord[]): Promise<void>;
  get(id: number): Promise<TransactionRecord | undefined>;
  list(filter: TransactionFilter, page: PageRequest): Promise<Page<TransactionRecord>>;
  keepOrphanStops(stops: readonly OrphanStop[]): Promise<void>;
  orphanStops(serial: string): Promise<readonly OrphanStop[]>;
}

export interface StoredEvent {
  readonly seq: number;
  readonly event: FleetEvent;
}

export interface EventFilter {
  readonly types?: readonly string[];
  readonly serial?: string;
}

/** The durable stream of fleet events (FW_EVENTS in a cluster). */
export interface EventLog {
  /** Appends in order; an event whose id was appended recently is skipped (dedup window). */
  append(events: readonly FleetEvent[]): Promise<void>;
  read(afterSeq: number, limit: number, filter?: EventFilter): Promise<readonly StoredEvent[]>;
  /**
   * Calls `listener` with every event after `afterSeq` that matches, stored ones first and then new ones as they
   * are appended, in sequence order and without gaps, until the returned function is called.
   */
  /** `afterSeq` 'now': only events appended from now on. */
  follow(afterSeq: number | 'now', filter: EventFilter, listener: (stored: StoredEvent) => void): () => void;
}

/** Site definitions (load management), with which site each charger is on. */
export interface SiteStore {
  get(siteId: string): Promise<SiteRecord | undefined>;
  /** Stores the site and moves its chargers to it (from no site, or from this one's old definition). */
  put(record: SiteRecord): Promise<void>;
  delete(siteId: string): Promise<boolean>;
  list(page: PageRequest): Promise<Page<SiteRecord>>;
  /** The site a charger is on, if any. */
  siteOf(serial: string): Promise<string | undefined>;
  /** Sites in `shard` (by their id), for a worker that takes the shard over. */
  idsInShard(shard: number): Promise<readonly string[]>;
}

export interface Stores {
  readonly chargers: ChargerRegistry;
  readonly sites: SiteStore;
  readonly idTags: IdTagStore;
  readonly tokens: ApiTokenStore;
  readonly snapshots: SnapshotStore;
  readonly transactions: TransactionStore;
  readonly events: EventLog;
  close(): Promise<void>;
}

/** The largest transaction id an int32 holds; ids are never reused, so allocation stops there. */
export const maxTransactionId = 2_147_483_647;

export function matchesEvent(event: FleetEvent, filter: EventFilter): boolean {
  return passesFilter(event.serial, event.type, filter);
}

/** Whether an event of this charger and type passes the filter (for logs that keep the two fields apart). */
export function passesFilter(serial: string, type: string, filter: EventFilter): boolean {
  return (
    (filter.serial === undefined || serial === filter.serial) &&
    (filter.types === undefined || filter.types.length === 0 || filter.types.includes(type))
  );
}
