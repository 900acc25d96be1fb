export { checkDataDir, type DataFileReport, repairDataDir } from './data-check.ts';
export { idTagKey } from './keyspace-stores.ts';
export { fileStores, memoryStores } from './local.ts';
export {
  CorruptRecordError,
  encodeRecord,
  ensureDataDir,
  fileMode,
  type RecordFileReport,
  type RepairNotice,
  scanRecordFile,
} from './record-file.ts';
export { redisKeys } from './redis/keys.ts';
export { connectRedis, redisReady, redisStores } from './redis/redis-stores.ts';
export * from './stores.ts';
