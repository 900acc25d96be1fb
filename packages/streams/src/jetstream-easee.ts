import { setTimeout as sleep } from 'node:timers/promises';
import type {
  CommandSink,
  CommandSource,
  EaseeIngestPort,
  OutboundCommand,
  ParkedMessage,
  ShardStreamSource,
  StreamDelivery,
} from '@fleetwire/contracts';
import { AckFloor, subjects } from '@fleetwire/contracts';
import { messageIdentity, type StreamMessage } from '@fleetwire/easee';
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const encoder = new TextEncoder();
const encode = (value: unknown) => encoder.encode(JSON.stringify(value));

/** The ingest side: stream messages onto FW_EASEE (deduplicated by their identity), the unusable onto FW_PARKED. */
export class JetStreamEaseePort implements EaseeIngestPort {
  private readonly js: JetStreamClient;

  constructor(connection: NatsConnection) {
    this.js = jetstream(connection);
  }

  async publish(shard: number, message: StreamMessage): Promise<void> {
    const [kind, id] =
      message.kind === 'observation' ? (['o', message.observationId] as const) : (['cr', message.commandId] as const);
    await this.js.publish(subjects.easee(shard, message.serial, kind, id), encode(message), {
      msgID: messageIdentity(message),
    });
  }

  async park(parked: ParkedMessage): Promise<void> {
    await this.js.publish(subjects.parked(parked.source), encode(parked));
  }
}

/**
 * The worker side: one durable consumer per owned shard, acknowledged in batches (AckPolicy.All, see AckFloor).
 * A new owner re-creates it from the ack floor, so the messages its predecessor had in flight come again in stream
 * order (per-charger sequence numbers skip the ones already applied) instead of after an ack-wait, behind newer ones.
 */
export class JetStreamShardStreams implements ShardStreamSource {
  private readonly connection: NatsConnection;
  private manager: JetStreamManager | undefined;

  constructor(connection: NatsConnection) {
    this.connection = connection;
  }

  async open(shard: number, deliver: (delivery: StreamDelivery) => void): Promise<{ close(): Promise<void> }> {
    this.manager ??= await jetstreamManager(this.connection);
    const manager = this.manager;
    const name = `fw-easee-s${shard}`;
    const ackFloor = await manager.consumers.info('FW_EASEE', name).then(
      // An answer without an ack floor (seen in a hand-over under load) starts from the first message: per-charger
      // sequence numbers skip what was applied.
      (info) => info.ack_floor?.stream_seq ?? 0,
      () => 0,
    );
    await manager.consumers.delete('FW_EASEE', name).catch(() => false);
    await manager.consumers.add('FW_EASEE', {
      durable_name: name,
      filter_subject: subjects.easeeOfShard(shard),
      ack_policy: AckPolicy.All,
      ack_wait: 30_000_000_000,
      max_ack_pending: 2_000,
      ...(ackFloor > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: ackFloor + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    });
    const js = jetstream(this.connection);
    return consumeUntilClosed(async () => {
      const consumer = await js.consumers.get('FW_EASEE', name);
      const acks = new AckFloor<JsMsg>((message) => message.ack());
      return {
        messages: await consumer.consume({ max_messages: 500 }),
        each: (message) =>
          deliver({
            seq: message.seq,
            message: message.json<StreamMessage>(),
            ack: acks.delivered(message.seq, message),
            // Left to the ack wait: with acknowledgement by floor, a nak would not move the floor past it.
            nak: () => {},
          }),
        done: () => acks.flush(),
      };
    });
  }
}

/** Worker → FW_EASEE_CMD: each attempt once (its id, `<serial>:<ticks>`, is the message id). */
export class JetStreamCommandSink implements CommandSink {
  private readonly js: JetStreamClient;

  constructor(connection: NatsConnection) {
    this.js = jetstream(connection);
  }

  async publish(commands: readonly OutboundCommand[]): Promise<void> {
    await Promise.all(
      commands.map((command) =>
        this.js.publish(subjects.easeeCommand(command.serial), encode(command), { msgID: command.id }),
      ),
    );
  }
}

/** Ingest ← FW_EASEE_CMD: one durable consumer shared by every ingest replica; acked after the broker's confirm. */
export class JetStreamCommandSource implements CommandSource {
  private readonly connection: NatsConnection;

  constructor(connection: NatsConnection) {
    this.connection = connection;
  }

  consume(handler: (command: OutboundCommand) => Promise<void>): { close(): Promise<void> } {
    // Commands being published, each until its acknowledgement reached the server: a stop waits for them, else a
    // command published to the operator's broker but not acknowledged here goes out again from the next ingest.
    const settling = new Set<Promise<unknown>>();
    const consuming = consumeUntilClosed(async () => {
      const manager = await jetstreamManager(this.connection);
      await manager.consumers
        .add('FW_EASEE_CMD', {
          durable_name: 'fw-ingest-commands',
          ack_policy: AckPolicy.Explicit,
          ack_wait: 30_000_000_000,
          max_ack_pending: 500,
        })
        .catch(() => undefined);
      const consumer = await jetstream(this.connection).consumers.get('FW_EASEE_CMD', 'fw-ingest-commands');
      return {
        messages: await consumer.consume({ max_messages: 100 }),
        each: (message) => {
          const settled = handler(message.json<OutboundCommand>())
            .then(
              () => message.ackAck({ timeout: 5_000 }),
              () => message.nak(5_000),
            )
            .catch(() => undefined)
            .finally(() => settling.delete(settled));
          settling.add(settled);
        },
      };
    });
    return {
      async close() {
        await consuming.close();
        await Promise.allSettled([...settling]);
      },
    };
  }
}

/** One round of a consumer: its messages, what to do with each, and what to do when the round ends. */
interface ConsumeRound {
  readonly messages: ConsumerMessages;
  readonly each: (message: JsMsg) => void;
  readonly done?: () => void;
}

/**
 * Consumes for as long as it is open, starting a new round when one ends: after a broker restart, or when a newer
 * owner re-created the consumer. A failed round is retried a second later.
 */
function consumeUntilClosed(round: () => Promise<ConsumeRound>): { close(): Promise<void> } {
  let closed = false;
  let messages: ConsumerMessages | undefined;
  const loop = (async () => {
    while (!closed) {
      try {
        const current = await round();
        messages = current.messages;
        // Closed while the round was starting: stop these messages too. Not awaited: the stop takes effect as the
        // loop below reads it (awaiting it first would wait forever).
        if (closed) void messages.close();
        for await (const message of current.messages) current.each(message);
        current.done?.();
      } catch {
        // The consumer gone or the bus reconnecting: try again unless closed.
      }
      if (!closed) await sleep(1_000);
    }
  })();
  return {
    async close() {
      closed = true;
      await messages?.close();
      await loop;
    },
  };
}
