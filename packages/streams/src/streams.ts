import { type JetStreamManager, jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const nanos = (ms: number) => ms * 1_000_000;

/** The streams of docs/design.md, created or brought up to date at start-up by every role that uses them. */
export const streamConfigs = {
  FW_EVENTS: {
    name: 'FW_EVENTS',
    subjects: ['fw.events.>'],
    storage: 'file',
    retention: 'limits',
    max_age: nanos(7 * 24 * 3_600_000),
    duplicate_window: nanos(120_000),
    discard: 'old',
  },
  // The Easee operator stream, by shard: kept a day, well past any hand-over or snapshot staleness.
  FW_EASEE: {
    name: 'FW_EASEE',
    subjects: ['fw.easee.>'],
    storage: 'file',
    retention: 'limits',
    max_age: nanos(24 * 3_600_000),
    duplicate_window: nanos(120_000),
    discard: 'old',
  },
  // Easee commands waiting for the ingest; a work queue, so every ingest replica shares it.
  FW_EASEE_CMD: {
    name: 'FW_EASEE_CMD',
    subjects: ['fw.easee-cmd.>'],
    storage: 'file',
    retention: 'workqueue',
    max_age: nanos(3_600_000),
    duplicate_window: nanos(120_000),
    discard: 'old',
  },
  // Messages that could not be used, with their routing key and reason, for a person to look at.
  FW_PARKED: {
    name: 'FW_PARKED',
    subjects: ['fw.parked.>'],
    storage: 'file',
    retention: 'limits',
    max_age: nanos(14 * 24 * 3_600_000),
    max_bytes: 1024 * 1024 * 1024,
    discard: 'old',
  },
} satisfies Record<string, Partial<StreamConfig> & { name: string }>;

export type StreamName = keyof typeof streamConfigs;

export async function ensureStream(jsm: JetStreamManager, name: StreamName, replicas = 1): Promise<void> {
  const config = { ...streamConfigs[name], num_replicas: replicas } as Partial<StreamConfig> & { name: string };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (error) {
    if (!/stream not found/i.test(String(error))) throw error;
    await jsm.streams.add(config);
  }
}

/** Creates or updates each of a role's streams at its start-up. */
export async function ensureStreams(connection: NatsConnection, names: readonly StreamName[]): Promise<void> {
  const manager = await jetstreamManager(connection);
  for (const name of names) await ensureStream(manager, name);
}
