export type { CoordinatorOptions, ShardHost } from './coordinator.ts';
export { ShardCoordinator } from './coordinator.ts';
export { ownerOf, shardsOf } from './rendezvous.ts';
