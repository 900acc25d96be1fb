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
import type { StreamMessage } from '@fleetwire/easee';
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

/**
 * A batch's bounds (ADR 18): well under NATS's default max_payload (1 MiB, counting a character as up to 3 bytes), and
 * small enough that the batches a worker holds unacknowledged per shard stay near the 2,000 single messages it held
 * before batches.
 */
const maxBatchMessages = 64;
const maxBatchBytes = 256 * 1024;

interface Batch {
  readonly parts: string[];
  bytes: number;
  readonly settled: PromiseWithResolvers<void>;
}

/** A shard's batch being filled, and how many of its batches JetStream has not yet acknowledged. */
interface ShardQueue {
  open: Batch | undefined;
  inFlight: number;
}

/**
 * The ingest side: stream messages onto FW_EASEE in batches per shard (ADR 18); the unusable onto FW_PARKED. A
 * shard's batch goes out at the end of the event loop's turn when none of the shard's is in flight, else when the
 * one in flight is acknowledged: batches grow with the load instead of waiting on a timer. A message's publish
 * settles with its batch: once JetStream has it, or with the error.
 */
export class JetStreamEaseePort implements EaseeIngestPort {
  private readonly js: JetStreamClient;
  private readonly queues = new Map<number, ShardQueue>();
  private flushing: NodeJS.Immediate | undefined;

  constructor(connection: NatsConnection) {
    this.js = jetstream(connection);
  }

  publish(shard: number, message: StreamMessage): Promise<void> {
    const json = JSON.stringify(message);
    let queue = this.queues.get(shard);
    if (queue === undefined) {
      queue = { open: undefined, inFlight: 0 };
      this.queues.set(shard, queue);
    }
    if (queue.open !== undefined && queue.open.bytes + json.length > maxBatchBytes) this.send(shard, queue);
    queue.open ??= { parts: [], bytes: 2, settled: Promise.withResolvers() };
    const batch = queue.open;
    batch.parts.push(json);
    batch.bytes += json.length + 1;
    if (batch.parts.length >= maxBatchMessages) this.send(shard, queue);
    else if (queue.inFlight === 0) this.flushing ??= setImmediate(() => this.flushIdle());
    return batch.settled.promise;
  }

  private flushIdle(): void {
    this.flushing = undefined;
    for (const [shard, queue] of this.queues) if (queue.inFlight === 0) this.send(shard, queue);
  }

  private send(shard: number, queue: ShardQueue): void {
    const batch = queue.open;
    if (batch === undefined) return;
    queue.open = undefined;
    queue.inFlight += 1;
    this.js
      .publish(subjects.easeeBatch(shard), `[${batch.parts.join(',')}]`)
      .then(
        () => batch.settled.resolve(),
        (error: unknown) => batch.settled.reject(error),
      )
      .finally(() => {
        queue.inFlight -= 1;
        if (queue.inFlight === 0) this.send(shard, queue);
      });
  }

  async park(parked: ParkedMessage): Promise<void> {
    await this.js.publish(subjects.parked(parked.source), encode(parked));
  }
}

/**
 * A batch's messages by charger, each charger's in stream order. An entry that is not a message comes through
 * under its own `serial` (likely undefined) for the actor host to refuse; a body that is not a list, as none.
 */
function messagesByCharger(body: unknown): Map<string, StreamMessage[]> {
  const byCharger = new Map<string, StreamMessage[]>();
  if (!Array.isArray(body)) return byCharger;
  for (const message of body as StreamMessage[]) {
    const serial = String((message as Partial<StreamMessage> | null)?.serial);
    const messages = byCharger.get(serial);
    if (messages === undefined) byCharger.set(serial, [message]);
    else messages.push(message);
  }
  return byCharger;
}

/**
 * The worker side: two durable consumers per owned shard, acknowledged in batches (AckPolicy.All, see AckFloor):
 * one for the shard's batches, and one for the single messages an ingest from before ADR 18 publishes during a
 * rolling upgrade. A new owner re-creates them from their ack floors, so the messages its predecessor had in flight
 * come again in stream order (a charger skips a batch it has applied) instead of after an ack-wait, behind newer ones.
 */
export class JetStreamShardStreams implements ShardStreamSource {
  private readonly connection: NatsConnection;
  private manager: JetStreamManager | undefined;

  constructor(connection: NatsConnection) {
    this.connection = connection;
  }

  async open(shard: number, deliver: (delivery: StreamDelivery) => void): Promise<{ close(): Promise<void> }> {
    const batches = await this.consumeFromAckFloor(
      `fw-easee-b${shard}`,
      subjects.easeeBatch(shard),
      // Unacknowledged per shard: at most 64 batches, 4,096 messages when every batch is full.
      { maxAckPending: 64, pull: 32 },
      (message, done) => {
        const byCharger = messagesByCharger(decoded(message));
        let left = byCharger.size;
        if (left === 0) return done();
        const ack = () => {
          left -= 1;
          if (left === 0) done();
        };
        for (const messages of byCharger.values()) {
          // Left to the ack wait: with acknowledgement by floor, a nak would not move the floor past it.
          deliver({ seq: message.seq, messages, ack, nak: () => {} });
        }
      },
    );
    const singles = await this.consumeFromAckFloor(
      `fw-easee-s${shard}`,
      subjects.easeeOfShard(shard),
      { maxAckPending: 2_000, pull: 500 },
      (message, done) => {
        const single = decoded(message);
        if (single === undefined) return done();
        deliver({ seq: 0, messages: [single as StreamMessage], ack: done, nak: () => {} });
      },
    );
    return {
      async close() {
        await Promise.all([batches.close(), singles.close()]);
      },
    };
  }

  private async consumeFromAckFloor(
    name: string,
    filter: string,
    limits: { readonly maxAckPending: number; readonly pull: number },
    each: (message: JsMsg, done: () => void) => void,
  ): Promise<{ close(): Promise<void> }> {
    this.manager ??= await jetstreamManager(this.connection);
    const manager = this.manager;
    const ackFloor = await manager.consumers.info('FW_EASEE', name).then(
      // An answer without an ack floor (seen in a hand-over under load) starts from the first message: a charger
      // skips the batches it has applied.
      (info) => info.ack_floor?.stream_seq ?? 0,
      () => 0,
    );
    await manager.consumers.delete('FW_EASEE', name).catch(() => false);
    await manager.consumers.add('FW_EASEE', {
      durable_name: name,
      filter_subject: filter,
      ack_policy: AckPolicy.All,
      ack_wait: 30_000_000_000,
      max_ack_pending: limits.maxAckPending,
      ...(ackFloor > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: ackFloor + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    });
    const js = jetstream(this.connection);
    return consumeUntilClosed(async () => {
      const consumer = await js.consumers.get('FW_EASEE', name);
      const acks = new AckFloor<JsMsg>((message) => message.ack());
      return {
        messages: await consumer.consume({ max_messages: limits.pull }),
        each: (message) => each(message, acks.delivered(message.seq, message)),
        done: () => acks.flush(),
      };
    });
  }
}

/** A message's JSON body; undefined, when it is not JSON, for the caller to acknowledge and pass over. */
function decoded(message: JsMsg): unknown {
  try {
    return message.json<unknown>();
  } catch {
    return undefined;
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
