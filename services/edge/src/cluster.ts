import { hostname } from 'node:os';
import { TokenSet } from '@fleetwire/auth';
import { NatsBus } from '@fleetwire/bus';
import type { Config } from '@fleetwire/config';
import { connectRedis, redisStores } from '@fleetwire/store';
import { ensureStreams, JetStreamEventLog } from '@fleetwire/streams';
import { announceWait, type FleetwireMetrics, type Logger } from '@fleetwire/telemetry';
import { type RunningEdge, startEdge } from './edge.ts';

/** An edge of a cluster: sockets and the API here, everything else over NATS; registrations read from Redis. */
export async function startClusterEdge(
  config: Config,
  logger: Logger,
  metrics?: FleetwireMetrics,
): Promise<RunningEdge & { readonly id: string }> {
  const id = config.instanceId ?? `${hostname()}-${process.pid}`;
  const nats = NatsBus.connect({ servers: config.natsUrl as string, name: `fleetwire edge ${id}`, log: logger });
  const bus = await announceWait(logger, `NATS at ${config.natsUrl}`, nats);
  await ensureStreams(bus.connection, ['FW_EVENTS']);
  const stores = redisStores(connectRedis(config.redisUrl as string), {
    shardCount: config.shards,
    events: new JetStreamEventLog(bus.connection),
  });
  const edge = await startEdge({
    config,
    bus,
    stores,
    adminTokens: TokenSet.fromTokens(config.apiTokens),
    logger,
    edgeId: id,
    dependenciesReady: () => bus.isConnected,
    ...(metrics === undefined ? {} : { metrics }),
  });
  return {
    ...edge,
    id,
    async stop() {
      await edge.stop();
      await bus.close();
      await stores.close();
    },
  };
}
