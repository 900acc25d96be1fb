import type { ActorHostOptions } from '@fleetwire/actor-host';
import type { Bus } from '@fleetwire/bus';
import type { Config } from '@fleetwire/config';
import type { CommandSink, ShardStreamSource } from '@fleetwire/contracts';
import type { Stores } from '@fleetwire/store';
import type { FleetwireMetrics, Logger } from '@fleetwire/telemetry';

export interface HostWiring {
  readonly bus: Bus;
  readonly stores: Stores;
  readonly logger: Logger;
  /** The Easee stream of the owned shards and where commands go, when an operator stream is configured. */
  readonly easee?: { readonly streams: ShardStreamSource; readonly commands: CommandSink };
  readonly metrics?: FleetwireMetrics;
}

/** The actor host's options from the configuration: the same for the all-in-one's worker and a cluster's. */
export function actorHostOptions(config: Config, wiring: HostWiring): ActorHostOptions {
  return {
    bus: wiring.bus,
    stores: wiring.stores,
    shardCount: config.shards,
    heartbeatIntervalS: config.heartbeatIntervalS,
    clock: Date.now,
    logger: wiring.logger.child({ component: 'actor-host' }),
    ...(wiring.easee === undefined ? {} : { streams: wiring.easee.streams, commands: wiring.easee.commands }),
    authorizeStreamTokens: config.easeeRfidAuthorization,
    availabilityHoldMs: config.availabilityHoldMs,
    snapshotEvery: config.snapshotEvery,
    ...(config.passivateAfterMs === undefined ? {} : { passivateAfterMs: config.passivateAfterMs }),
    ...(config.maxLiveActors === undefined ? {} : { maxLiveActors: config.maxLiveActors }),
    easeeCommands: {
      responseTimeoutMs: config.easeeCommandTimeoutMs,
      maxAttempts: config.easeeCommandAttempts,
      expiresInMs: config.easeeCommandTimeoutMs * config.easeeCommandAttempts + 60_000,
    },
    ...(wiring.metrics === undefined ? {} : { metrics: wiring.metrics }),
  };
}
