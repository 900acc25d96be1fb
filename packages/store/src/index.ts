export { idTagKey } from './keyspace-stores.ts';
export { fileStores, memoryStores } from './local.ts';
export { redisKeys } from './redis/keys.ts';
export { connectRedis, redisStores } from './redis/redis-stores.ts';
export * from './stores.ts';
