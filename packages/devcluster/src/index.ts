export { chromiumLaunchOptions } from './binaries.ts';
export { RabbitMqServer, RedisServer } from './brokers.ts';
export { childRegistryVariable, reapRegistered, signalGroup, spawnGroup } from './child-registry.ts';
export { productionNodeFlags, repoRoot } from './fleetwire-role.ts';
export { LocalCluster, type LocalClusterOptions } from './local-cluster.ts';
export { ManagedProcess } from './managed-process.ts';
export { freePort, waitFor } from './ports.ts';
export { TcpBalancer } from './tcp-balancer.ts';
