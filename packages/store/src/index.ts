export { checkDataDir, type DataFileReport, repairDataDir } from './data-check.ts';

export { fileStores, memoryStores } from './local.ts';
export { CorruptRecordError, encodeRecord, ensureDataDir, fileMode, scanRecordFile } from './record-file.ts';

export { connectRedis, redisReady, redisStores } from './redis/redis-stores.ts';
export type { ChargerCensus, Page, PageRequest } from './stores.ts';
export {
  type ApiScope,
  type ApiTokenRecord,
  type ApiTokenStore,
  type ChargerFilter,
  type ChargerRegistry,
  type EventFilter,
  type EventLog,
  type IdTagStore,
  type JournaledInputs,
  type ListedCharger,
  type LiveState,
  matchesEvent,
  type OrphanStop,
  type SiteStore,
  type SnapshotStore,
  type SnapshotWrite,
  type StoredEvent,
  type StoredSnapshot,
  type Stores,
  type TransactionFilter,
  type TransactionStore,
} from './stores.ts';
