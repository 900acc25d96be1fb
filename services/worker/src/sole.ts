import { ActorHost } from '@fleetwire/actor-host';
import type { Bus } from '@fleetwire/bus';
import type { Config } from '@fleetwire/config';
import type { CommandSink, ShardStreamSource } from '@fleetwire/contracts';
import type { Stores } from '@fleetwire/store';
import type { FleetwireMetrics, Logger } from '@fleetwire/telemetry';
import { actorHostOptions } from './host-options.ts';

export interface WorkerDependencies {
  readonly config: Config;
  readonly bus: Bus;
  readonly stores: Stores;
  readonly logger: Logger;
  /** The Easee stream inside the process, when one is configured. */
  readonly easee?: { readonly streams: ShardStreamSource; readonly commands: CommandSink };
  readonly metrics?: FleetwireMetrics;
}

export interface RunningWorker {
  readonly host: ActorHost;
  stop(): Promise<void>;
}

/**
 * The all-in-one worker: the only member, so it owns every shard for good. Its lease token is constant, which
 * is all fencing needs with a single writer.
 */
export async function startSoleWorker(deps: WorkerDependencies): Promise<RunningWorker> {
  const host = new ActorHost(actorHostOptions(deps.config, deps));
  for (let shard = 0; shard < deps.config.shards; shard++) await host.acquire(shard, 1);
  deps.logger.info({ shards: deps.config.shards, actors: host.actorCount }, 'worker owns every shard');
  return { host, stop: () => host.stop() };
}
