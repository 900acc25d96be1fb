import { hostname } from 'node:os';
import { NatsBus } from '@fleetwire/bus';
import type { Config, EaseeStreamConfig } from '@fleetwire/config';
import { EaseeBridge, type EaseeBridgeOptions } from '@fleetwire/easee-bridge';
import { ensureStreams, JetStreamCommandSource, JetStreamEaseePort } from '@fleetwire/streams';
import { announceWait, type FleetwireMetrics, type Logger, type Readiness } from '@fleetwire/telemetry';

export interface RunningIngest {
  readonly id: string;
  readonly bridge: EaseeBridge;
  /** Ready while connected to both the operator stream and NATS. */
  readiness(): Readiness;
  stop(): Promise<void>;
}

/**
 * An ingest of a cluster: the operator queue into FW_EASEE (acked to RabbitMQ after JetStream's ack), commands
 * from FW_EASEE_CMD to the operator exchange (acked after the publisher confirm). Replicas may share the queue.
 */
/** The ingest's bridge from the configuration, on the cluster's JetStream or the all-in-one's local stream. */
export function easeeBridge(
  config: Config,
  ends: Pick<EaseeBridgeOptions, 'port' | 'commands'>,
  logger: Logger,
  metrics?: FleetwireMetrics,
): EaseeBridge {
  return new EaseeBridge({
    stream: config.easee as EaseeStreamConfig,
    ...ends,
    shardCount: config.shards,
    logger: logger.child({ component: 'easee-bridge' }),
    prefetch: config.easeePrefetch,
    ...(metrics === undefined ? {} : { metrics }),
  });
}

export async function startClusterIngest(
  config: Config,
  logger: Logger,
  metrics?: FleetwireMetrics,
): Promise<RunningIngest> {
  const id = config.instanceId ?? `${hostname()}-${process.pid}`;
  const nats = NatsBus.connect({ servers: config.natsUrl as string, name: `fleetwire ingest ${id}`, log: logger });
  const bus = await announceWait(logger, `NATS at ${config.natsUrl}`, nats);
  await ensureStreams(bus.connection, ['FW_EASEE', 'FW_EASEE_CMD', 'FW_PARKED']);
  const bridge = easeeBridge(
    config,
    { port: new JetStreamEaseePort(bus.connection), commands: new JetStreamCommandSource(bus.connection) },
    logger,
    metrics,
  );
  await bridge.start();
  return {
    id,
    bridge,
    readiness() {
      if (!bridge.connected) return { ready: false, reason: 'not connected to the Easee operator stream' };
      if (!bus.isConnected) return { ready: false, reason: 'not connected to NATS' };
      return { ready: true };
    },
    async stop() {
      await bridge.stop();
      await bus.close();
    },
  };
}
