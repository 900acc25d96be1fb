export { debianBinary } from './binaries.ts';
export { Broker, NatsServer, RabbitMqServer, RedisServer } from './brokers.ts';
export { childRegistryVariable, reapRegistered, signalGroup, spawnGroup } from './child-registry.ts';
export { type ClusterRole, FleetwireRole, productionNodeFlags, repoRoot } from './fleetwire-role.ts';
export { LocalCluster, type LocalClusterOptions, type OperatorStream } from './local-cluster.ts';
export { ManagedProcess, type ProcessSpec } from './managed-process.ts';
export { freePort, waitFor } from './ports.ts';
export { TcpBalancer } from './tcp-balancer.ts';
