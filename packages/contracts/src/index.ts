export * from './domain.ts';
export * from './messages.ts';
export * from './serial.ts';
export * from './shard.ts';
export * from './subjects.ts';
