import type { EaseeStreamConfig } from '@fleetwire/config';
import type { CommandSource, EaseeIngestPort, OutboundCommand } from '@fleetwire/contracts';
import { AckFloor, isValidSerial, retryWithBackoff, shardOf } from '@fleetwire/contracts';
import { parseOperatorMessage } from '@fleetwire/easee';
import { FleetwireMetrics, type Logger } from '@fleetwire/telemetry';
import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  connect,
  type RecoveringChannelModel,
} from 'amqplib';

export interface EaseeBridgeOptions {
  readonly stream: EaseeStreamConfig;
  readonly port: EaseeIngestPort;
  readonly commands: CommandSource;
  readonly shardCount: number;
  readonly logger: Logger;
  /** Unacknowledged operator-queue messages in flight: the ingest's backpressure on RabbitMQ. */
  readonly prefetch: number;
  readonly metrics?: FleetwireMetrics;
}

export interface BridgeCounts {
  consumed: number;
  parked: number;
  commandsPublished: number;
}

const maxParkedBody = 64 * 1024;
const ackIntervalMs = 5;

/**
 * Between Easee's operator stream (RabbitMQ) and the fleet: each message of the operator queue is parsed, sent on
 * (or parked with its reason when unusable) and acknowledged only once that is durable; each command is published
 * to the operator exchange and counted done only on the broker's confirm. Reconnects forever with backoff.
 */
export class EaseeBridge {
  readonly counts: BridgeCounts = { consumed: 0, parked: 0, commandsPublished: 0 };
  private readonly options: EaseeBridgeOptions;
  private readonly log: Logger;
  private connection: RecoveringChannelModel | undefined;
  private confirms: ConfirmChannel | undefined;
  private commandConsumer: { close(): Promise<void> } | undefined;
  private consumer: { readonly channel: Channel; readonly acks: AckFloor<ConsumeMessage> } | undefined;
  private stopping = false;
  /** Operator-queue messages being forwarded: a stop lets them finish, then acknowledges them. */
  private inHand = 0;
  private allHandled: PromiseWithResolvers<void> | undefined;
  private connectedNow = false;
  private readonly metrics: FleetwireMetrics;

  constructor(options: EaseeBridgeOptions) {
    this.options = options;
    this.log = options.logger;
    this.metrics = options.metrics ?? new FleetwireMetrics();
    this.metrics.observe({ amqp: () => this.connectedNow });
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  async start(): Promise<void> {
    const connection = await connect(this.options.stream.amqpUrl, {
      recovery: {
        initialDelay: 200,
        maxDelay: 10_000,
        maxRetries: Number.POSITIVE_INFINITY,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    connection.on('connect', () => {
      this.connectedNow = true;
      this.log.info('connected to the Easee operator stream');
    });
    connection.on('disconnect', (error: Error) => {
      this.connectedNow = false;
      this.confirms = undefined;
      this.log.warn({ err: error }, 'Easee operator stream disconnected; reconnecting');
    });
    connection.on('error', (error: Error) => this.log.warn({ err: error }, 'Easee operator stream error'));
    this.connection = connection;
    this.commandConsumer = this.options.commands.consume((command) => this.publishCommand(command));
  }

  /** Runs after every (re)connect: a consumer channel with bounded prefetch, and a confirm channel for commands. */
  private async setup(model: ChannelModel): Promise<void> {
    const consumer = await model.createChannel();
    await consumer.prefetch(this.options.prefetch);
    let open = true;
    consumer.on('close', () => {
      open = false;
    });
    consumer.on('error', (error: Error) => this.log.warn({ err: error }, 'operator queue channel error'));
    // One ack (`multiple`) for every message done below it, a few ms apart: one frame per message was a large part
    // of the broker's and the ingest's CPU. Delivery tags count up from 1 on each channel.
    const acks = new AckFloor<ConsumeMessage>((message) => {
      if (open) consumer.ack(message, true);
    }, ackIntervalMs);
    this.consumer = { channel: consumer, acks };
    await consumer.consume(
      this.options.stream.queue,
      (message) => {
        // Stopping: left unacknowledged, for the next consumer.
        if (message === null || this.stopping) return;
        this.inHand += 1;
        void this.onMessage(() => open, message, acks.delivered(message.fields.deliveryTag, message));
      },
      { noAck: false },
    );
    const confirms = await model.createConfirmChannel();
    confirms.on('error', (error: Error) => this.log.warn({ err: error }, 'command channel error'));
    confirms.on('return', (returned: ConsumeMessage) =>
      this.log.warn({ routingKey: returned.fields.routingKey }, 'command returned unroutable by the operator exchange'),
    );
    this.confirms = confirms;
    this.connectedNow = true;
  }

  private async onMessage(isOpen: () => boolean, message: ConsumeMessage, done: () => void): Promise<void> {
    try {
      await this.forward(isOpen, message);
      done();
      this.counts.consumed += 1;
    } catch (error) {
      // The channel went away: RabbitMQ delivers the message again after the reconnect.
      this.log.debug(
        { routingKey: message.fields.routingKey, err: error },
        'operator-queue message left for redelivery',
      );
    } finally {
      this.inHand -= 1;
      if (this.inHand === 0) this.allHandled?.resolve();
    }
  }

  /** Onto FW_EASEE, or parked with its reason; settles once that is durable. */
  private async forward(isOpen: () => boolean, message: ConsumeMessage): Promise<void> {
    const routingKey = message.fields.routingKey;
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    const parsed = parseOperatorMessage(routingKey, message.content, headers);
    const reason = !parsed.ok
      ? parsed.reason
      : !isValidSerial(parsed.message.serial)
        ? `serial ${JSON.stringify(parsed.message.serial)} does not match ^[A-Za-z0-9_-]{1,48}$`
        : undefined;
    if (reason !== undefined || !parsed.ok) {
      this.log.warn({ routingKey, reason }, 'operator-queue message parked');
      await this.untilDone(isOpen, () =>
        this.options.port.park({
          source: 'easee',
          routingKey,
          reason: reason ?? 'unusable',
          body: message.content.toString('utf8').slice(0, maxParkedBody),
          headers,
          parkedAt: new Date().toISOString(),
        }),
      );
      this.counts.parked += 1;
      this.metrics.operatorMessages.inc({ result: 'parked' });
    } else {
      const shard = shardOf(parsed.message.serial, this.options.shardCount);
      await this.untilDone(isOpen, () => this.options.port.publish(shard, parsed.message));
      this.metrics.operatorMessages.inc({ result: 'forwarded' });
      const { message: forwarded } = parsed;
      if (forwarded.kind === 'observation' && forwarded.arrivalTime !== undefined) {
        const lagMs = Date.now() - Date.parse(forwarded.arrivalTime);
        if (Number.isFinite(lagMs)) this.metrics.operatorQueueLagSeconds.observe(Math.max(0, lagMs) / 1000);
      }
    }
  }

  /** Retries a downstream step (the bus may be reconnecting) for as long as the message can still be acked. */
  private async untilDone(isOpen: () => boolean, step: () => Promise<void>): Promise<void> {
    await retryWithBackoff(step, { firstMs: 100, maxMs: 5_000 }, (error) => {
      if (this.stopping || !isOpen()) return true;
      this.log.warn({ err: error }, 'downstream of the operator queue unavailable; retrying');
      return false;
    });
  }

  private publishCommand(command: OutboundCommand): Promise<void> {
    const channel = this.confirms;
    if (channel === undefined) return Promise.reject(new Error('not connected to the Easee operator stream'));
    const { stream } = this.options;
    const routingKey = `${command.serial}.C.${command.data.commandId}`;
    return new Promise((resolve, reject) => {
      channel.publish(
        stream.exchange,
        routingKey,
        Buffer.from(JSON.stringify(command.data.body)),
        {
          headers: { OriginApplication: stream.originApplication },
          contentType: stream.contentType,
          deliveryMode: 2,
          mandatory: true,
          messageId: command.id,
        },
        (error) => {
          if (error) return reject(error);
          this.counts.commandsPublished += 1;
          this.metrics.operatorCommandsPublished.inc();
          resolve();
        },
      );
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.commandConsumer?.close();
    if (this.inHand > 0) {
      this.allHandled = Promise.withResolvers<void>();
      await this.allHandled.promise;
    }
    // What is done is acknowledged before the close, or the next consumer gets it again; the channel's own close
    // returns once the broker has read everything sent on it (a connection's close alone lost acks just sent).
    this.consumer?.acks.flush();
    await this.consumer?.channel.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
