export { type CoordinatorOptions, ShardCoordinator, type ShardHost } from './coordinator.ts';
export { ownerOf, shardsOf } from './rendezvous.ts';
