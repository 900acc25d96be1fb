import { setTimeout as sleep } from 'node:timers/promises';
import {
  commandEffects,
  commandResponseBody,
  commandsById,
  decodeCommandArguments,
  type EncodedCommand,
  encodeValue,
  observationBody,
  observationCatalog,
  parseRoutingKey,
  ticksOf,
} from '@fleetwire/easee';
import { type ChannelModel, type ConfirmChannel, type ConsumeMessage, connect } from 'amqplib';

/** A command the fake cloud received on the operator exchange, as it arrived. */
export interface ReceivedCommand {
  readonly routingKey: string;
  readonly serial: string;
  readonly commandId: number;
  readonly originApplication: string | undefined;
  readonly contentType: string | undefined;
  readonly body: EncodedCommand['body'];
  readonly ticks: string;
  readonly receivedAt: number;
}

/** How the fake cloud misbehaves; all off by default. */
export interface Misbehaviour {
  /** Share of observations published twice. */
  duplicates: number;
  /** Share of observations held back and published after later ones (in reverse, 200 at a time, or at the end). */
  reorder: number;
  /** Delay before a command response. */
  responseDelayMs: number;
  /** Commands that get no response at all, by serial. */
  silentSerials: Set<string>;
  /** Commands that reach the charger and take effect, but whose response is lost, by serial. */
  responseLostSerials: Set<string>;
}

/** A simulated charger behind the cloud: it decides what a command does and reports its own observations. */
export interface StreamDevice {
  /** `ticks` identifies the attempt, as the command response will. */
  onStreamCommand(commandId: number, args: Record<string, unknown>, ticks: string): Promise<boolean>;
}

export interface TruthValue {
  readonly value: unknown;
  readonly timestamp: string;
}

/**
 * Easee's operator stream on a local RabbitMQ, for tests and demos: declares the operator queue and exchange,
 * publishes observations in Easee's documented wire format, answers commands with command responses and the
 * observation the command changes, and misbehaves on demand (duplicates, reordering, late or missing responses,
 * malformed bodies). It keeps the truth: the newest value of every observation of every charger.
 */
export class FakeEaseeCloud {
  readonly queue: string;
  readonly exchange: string;
  /** Where observations and responses are routed to the operator queue. */
  readonly streamExchange: string;
  readonly received: ReceivedCommand[] = [];
  /** Identity (`<serial>.o.<id>.<timestamp ms>`) of every observation published and confirmed by the broker. */
  readonly published = new Set<string>();
  readonly misbehaviour: Misbehaviour = {
    duplicates: 0,
    reorder: 0,
    responseDelayMs: 0,
    silentSerials: new Set(),
    responseLostSerials: new Set(),
  };
  private readonly truth = new Map<string, Map<number, TruthValue>>();
  private readonly url: string;
  private connection: ChannelModel | undefined;
  private stopped = false;
  private channel: ConfirmChannel | undefined;
  private heldBack: (() => Promise<void>)[] = [];
  /** Set while the channel's write buffer is full: publications wait for it to drain. */
  private drained: Promise<void> | undefined;
  private readonly devices = new Map<string, StreamDevice>();
  /** Observations a device reported that could not be published (the broker was away). */
  publishFailures = 0;
  private random: () => number;

  constructor(url: string, operatorId: string, seed = 1) {
    this.url = url;
    this.queue = `Operator_${operatorId}.Q`;
    this.exchange = `Operator_${operatorId}.C.X`;
    this.streamExchange = `Operator_${operatorId}.X`;
    // Deterministic misbehaviour for a given seed (mulberry32).
    let state = seed >>> 0;
    this.random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }

  async start(): Promise<this> {
    await this.connectNow();
    return this;
  }

  /**
   * Connects and sets up; when the broker goes away (a restart), the cloud connects again by itself, as Easee's
   * does, keeping its chargers and their sinks. Observations reported meanwhile are counted in `publishFailures`.
   */
  private async connectNow(): Promise<void> {
    const connection = await connect(this.url);
    connection.on('error', () => {});
    connection.on('close', () => {
      this.channel = undefined;
      if (!this.stopped) void this.reconnect();
    });
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => {});
    await channel.assertExchange(this.streamExchange, 'topic', { durable: true });
    await channel.assertQueue(this.queue, { durable: true });
    await channel.bindQueue(this.queue, this.streamExchange, '#');
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    const inbox = await channel.assertQueue(`${this.queue}.cloud-commands`, { durable: true });
    await channel.bindQueue(inbox.queue, this.exchange, '*.C.#');
    await channel.consume(inbox.queue, (message) => {
      if (message === null) return;
      // A response lost to a broker restart is what a cloud outage does: the command times out on our side.
      void this.onCommand(message)
        .catch(() => {
          this.publishFailures += 1;
        })
        .finally(() => {
          // Stopped meanwhile: RabbitMQ gives the unacknowledged command to the next consumer.
          try {
            channel.ack(message);
          } catch {}
        });
    });
    this.connection = connection;
    this.channel = channel;
  }

  private async reconnect(): Promise<void> {
    while (!this.stopped) {
      await sleep(500);
      try {
        await this.connectNow();
        return;
      } catch {
        // The broker is still away.
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connection?.close().catch(() => undefined);
  }

  /** Routes the commands for `serial` to a simulated charger instead of answering them from a table. */
  attach(serial: string, device: StreamDevice): void {
    this.devices.set(serial, device);
  }

  /** Where simulated chargers report observations: published in the order reported, confirmed in batches. */
  sink(): { observe(serial: string, observationId: number, value: unknown, timestamp: number): void } {
    return {
      observe: (serial, observationId, value, timestamp) => {
        this.observe(serial, observationId, value, new Date(timestamp).toISOString()).catch(() => {
          this.publishFailures += 1;
        });
      },
    };
  }

  /** The newest value the cloud sent for each observation of a charger. */
  truthOf(serial: string): ReadonlyMap<number, TruthValue> {
    return this.truth.get(serial) ?? new Map();
  }

  get serials(): string[] {
    return [...this.truth.keys()];
  }

  private remember(serial: string, observationId: number, value: unknown, timestamp: string): void {
    let charger = this.truth.get(serial);
    if (charger === undefined) {
      charger = new Map();
      this.truth.set(serial, charger);
    }
    const known = charger.get(observationId);
    if (known === undefined || Date.parse(known.timestamp) < Date.parse(timestamp)) {
      charger.set(observationId, { value, timestamp });
    }
  }

  async publishRaw(routingKey: string, body: string | Buffer, headers: Record<string, unknown> = {}): Promise<void> {
    const channel = this.channel;
    if (channel === undefined) throw new Error('fake cloud not started');
    // Each publication waits for its own confirm: `waitForConfirms` wraps every unconfirmed publication again on
    // each call, so with thousands in flight behind a slow broker it costs quadratic memory (it ran a test out of
    // heap). A full write buffer holds new publications back until it drains.
    while (this.drained !== undefined) await this.drained;
    await new Promise<void>((resolve, reject) => {
      const written = channel.publish(
        this.streamExchange,
        routingKey,
        Buffer.isBuffer(body) ? body : Buffer.from(body),
        { persistent: true, contentType: 'application/json', headers },
        (error) => (error ? reject(error) : resolve()),
      );
      if (!written && this.drained === undefined) {
        this.drained = new Promise<void>((drained) => {
          const release = () => {
            this.drained = undefined;
            channel.off('drain', release).off('close', release);
            drained();
          };
          channel.once('drain', release).once('close', release);
        });
      }
    });
  }

  /** Publishes an observation (value in base units: W, Wh) and records it as the truth. */
  async observe(
    serial: string,
    observationId: number,
    value: unknown,
    timestamp = new Date().toISOString(),
  ): Promise<void> {
    const spec = observationCatalog.get(observationId);
    if (spec === undefined) throw new Error(`unknown observation ${observationId}`);
    this.remember(serial, observationId, value, timestamp);
    const { routingKey, body } = observationBody(serial, observationId, encodeValue(spec, value), timestamp);
    const identity = `${serial}.o.${observationId}.${Date.parse(timestamp)}`;
    const send = async () => {
      await this.publishRaw(routingKey, JSON.stringify(body), { ArrivalTime: body.ArrivalTime });
      this.published.add(identity);
    };
    if (this.random() < this.misbehaviour.reorder) {
      this.heldBack.push(send);
      return;
    }
    await send();
    if (this.random() < this.misbehaviour.duplicates) await send();
    if (this.heldBack.length >= 200) await this.releaseHeldBack();
  }

  /** Publishes whatever reordering held back, newest first: each arrives after values newer than itself. */
  async releaseHeldBack(): Promise<void> {
    const held = this.heldBack.reverse();
    this.heldBack = [];
    for (const send of held) await send();
  }

  private async onCommand(message: ConsumeMessage): Promise<void> {
    const key = parseRoutingKey(message.fields.routingKey);
    if (key === undefined || key.kind !== 'C') return;
    const body = JSON.parse(message.content.toString()) as EncodedCommand['body'];
    const ticks = ticksOf(Date.parse(body.Timestamp));
    this.received.push({
      routingKey: message.fields.routingKey,
      serial: key.serial,
      commandId: key.id,
      originApplication: message.properties.headers?.OriginApplication as string | undefined,
      contentType: message.properties.contentType,
      body,
      ticks,
      receivedAt: Date.now(),
    });
    if (this.misbehaviour.silentSerials.has(key.serial)) return;
    const spec = commandsById.get(key.id);
    const expired = Date.parse(body.ExpiresAt) < Date.now();
    if (this.misbehaviour.responseDelayMs > 0) {
      await sleep(this.misbehaviour.responseDelayMs);
    }
    const device = this.devices.get(key.serial);
    if (device !== undefined) {
      const accepted =
        spec !== undefined &&
        !expired &&
        (await device.onStreamCommand(key.id, decodeCommandArguments(spec, body), ticks));
      await this.respond(key.serial, key.id, accepted);
      return;
    }
    await this.respond(key.serial, key.id, spec !== undefined && !expired);
    if (spec === undefined || expired) return;
    for (const [observationId, value] of commandEffects(spec.id, decodeCommandArguments(spec, body))) {
      if (value !== undefined) await this.observe(key.serial, observationId, value);
    }
    if (spec.id === 1) await this.observe(key.serial, 89, 20);
  }

  /**
   * A command response as Easee's cloud writes one: its Ticks are the cloud's own (its documented example is 70
   * ticks off the command's), as an 18-digit JSON number, and so is the routing key's fourth segment.
   */
  private async respond(serial: string, commandId: number, accepted: boolean): Promise<void> {
    if (this.misbehaviour.responseLostSerials.has(serial)) return;
    const cloudTicks = (BigInt(ticksOf(Date.now())) + 70n).toString();
    const response = commandResponseBody(serial, commandId, cloudTicks, accepted, accepted ? 0 : 1);
    const text = JSON.stringify(response.body).replace(`"Ticks":"${cloudTicks}"`, `"Ticks":${cloudTicks}`);
    await this.publishRaw(response.routingKey, text);
  }
}
