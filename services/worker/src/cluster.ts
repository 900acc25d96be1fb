import { hostname } from 'node:os';
import { ActorHost } from '@fleetwire/actor-host';
import { NatsBus } from '@fleetwire/bus';
import type { Config } from '@fleetwire/config';
import { ShardCoordinator } from '@fleetwire/sharding';
import { connectRedis, redisReady, redisStores } from '@fleetwire/store';
import { ensureStreams, JetStreamCommandSink, JetStreamEventLog, JetStreamShardStreams } from '@fleetwire/streams';
import { announceWait, type FleetwireMetrics, type Logger, type Readiness } from '@fleetwire/telemetry';
import { actorHostOptions } from './host-options.ts';

export interface ClusterWorker {
  readonly id: string;
  readonly host: ActorHost;
  readonly coordinator: ShardCoordinator;
  readonly bus: NatsBus;
  /** Ready when it holds every shard placement gives it, and the bus is connected. */
  readiness(): Readiness;
  stop(): Promise<void>;
}

/**
 * A worker of a cluster: charger actors of the shards it holds leases for, snapshots in Redis, events in
 * FW_EVENTS. Its id is stable (FLEETWIRE_INSTANCE_ID, else the host name: a StatefulSet pod's name), so a
 * restarted worker takes its own shards back at once instead of waiting for their leases to expire.
 */
export async function startClusterWorker(
  config: Config,
  logger: Logger,
  metrics?: FleetwireMetrics,
): Promise<ClusterWorker> {
  const id = config.instanceId ?? hostname();
  const nats = NatsBus.connect({ servers: config.natsUrl as string, name: `fleetwire worker ${id}`, log: logger });
  const bus = await announceWait(logger, `NATS at ${config.natsUrl}`, nats);
  await ensureStreams(bus.connection, ['FW_EVENTS', 'FW_EASEE', 'FW_EASEE_CMD']);
  const redis = connectRedis(config.redisUrl as string);
  await announceWait(logger, `Redis at ${config.redisUrl}`, redisReady(redis));
  const stores = redisStores(redis, {
    shardCount: config.shards,
    events: new JetStreamEventLog(bus.connection),
    // As many as the batches the snapshot writer keeps in flight (actor-host/snapshot-writer.ts).
    snapshotConnections: 4,
  });
  const host = new ActorHost(
    actorHostOptions(config, {
      bus,
      stores,
      logger,
      easee: { streams: new JetStreamShardStreams(bus.connection), commands: new JetStreamCommandSink(bus.connection) },
      ...(metrics === undefined ? {} : { metrics }),
    }),
  );
  const leaseTtlMs = config.shardLeaseTtlS * 1000;
  const coordinator = new ShardCoordinator({
    connection: bus.connection,
    memberId: id,
    shardCount: config.shards,
    host,
    logger: logger.child({ component: 'sharding' }),
    leaseTtlMs,
    memberTtlMs: Math.max(3_000, leaseTtlMs / 2),
  });
  await coordinator.start();
  return {
    id,
    host,
    coordinator,
    bus,
    readiness() {
      if (!bus.isConnected) return { ready: false, reason: 'not connected to NATS' };
      if (!coordinator.settled) return { ready: false, reason: 'taking over its shards' };
      return { ready: true };
    },
    async stop() {
      await coordinator.stop();
      await host.stop();
      await bus.close();
      await stores.close();
    },
  };
}
