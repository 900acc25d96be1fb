import { encodeValue, observationBody, observationCatalog } from '@fleetwire/easee';
import { connect as natsConnect } from '@nats-io/transport-node';
import { connect as amqpConnect } from 'amqplib';
import { Latency } from '../latency.ts';

/** Observations a charging Easee streams most: power, session and lifetime energy, and its op mode. */
const ids = [120, 121, 124, 109] as const;

export interface StreamTarget {
  readonly amqpUrl: string;
  /** Where the operator queue is bound (the fake cloud's stream exchange). */
  readonly exchange: string;
  readonly serials: readonly string[];
}

function observation(serial: string, id: number, step: number, at: number) {
  const spec = observationCatalog.get(id);
  if (spec === undefined) throw new Error(`no observation ${id}`);
  const value = id === 109 ? (step % 2 === 0 ? 3 : 1) : id === 120 ? 11_000 + (step % 7) : 1_000 * step;
  const { routingKey, body } = observationBody(serial, id, encodeValue(spec, value), new Date(at).toISOString());
  return { routingKey, content: Buffer.from(JSON.stringify(body)), arrivalTime: body.ArrivalTime };
}

/**
 * Fills the operator queue with `count` observations as fast as the broker confirms them (confirms awaited every
 * 5,000): every observation has its own timestamp, so none is a duplicate.
 */
export async function preload(target: StreamTarget, count: number) {
  const connection = await amqpConnect(target.amqpUrl);
  const channel = await connection.createConfirmChannel();
  const started = performance.now();
  const base = Date.now() - 3_600_000;
  try {
    for (let i = 0; i < count; i++) {
      const serial = target.serials[i % target.serials.length] as string;
      const round = Math.floor(i / target.serials.length);
      const id = ids[round % ids.length] as number;
      const { routingKey, content, arrivalTime } = observation(serial, id, round, base + round);
      channel.publish(target.exchange, routingKey, content, {
        persistent: true,
        contentType: 'application/json',
        headers: { ArrivalTime: arrivalTime },
      });
      if (i % 5_000 === 4_999) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { published: count, seconds, perSecond: count / seconds };
}

/** The ceiling: a bare consumer that acknowledges each message, draining `expected` from the queue. */
export async function drain(amqpUrl: string, queue: string, expected: number, prefetch: number) {
  const connection = await amqpConnect(amqpUrl);
  const channel = await connection.createChannel();
  await channel.prefetch(prefetch);
  let consumed = 0;
  const started = performance.now();
  try {
    await new Promise<void>((resolve) => {
      void channel.consume(queue, (message) => {
        if (message === null) return;
        channel.ack(message);
        consumed += 1;
        if (consumed === expected) resolve();
      });
    });
  } finally {
    await connection.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { consumed, seconds, perSecond: consumed / seconds };
}

/**
 * Observations at a fixed rate; every op-mode change among them is timed from its publish to the `status` event
 * the charger's actor publishes after committing it (FW_EVENTS, seen as a NATS subscriber).
 */
export async function observationLatency(target: StreamTarget, natsUrl: string, perSecond: number, seconds: number) {
  const nats = await natsConnect({ servers: natsUrl });
  const connection = await amqpConnect(target.amqpUrl);
  const channel = await connection.createConfirmChannel();
  const latency = new Latency();
  const sentAt = new Map<string, number[]>();
  let matched = 0;
  const subscription = nats.subscribe('fw.events.status.*', {
    callback: (_error, message) => {
      const event = message.json<{ serial: string; data: { source?: string } }>();
      if (event.data.source !== 'stream') return;
      const sent = sentAt.get(event.serial)?.shift();
      if (sent === undefined) return;
      latency.record(performance.now() - sent);
      matched += 1;
    },
  });
  await nats.flush();
  const tickMs = 10;
  const perTick = perSecond / (1000 / tickMs);
  let owed = 0;
  let published = 0;
  let opModes = 0;
  const step = new Map<string, number>();
  const started = performance.now();
  const until = started + seconds * 1000;
  for (let tick = 1; performance.now() < until; tick++) {
    owed += perTick;
    while (owed >= 1) {
      owed -= 1;
      const serial = target.serials[published % target.serials.length] as string;
      const round = step.get(serial) ?? 0;
      step.set(serial, round + 1);
      const id = ids[round % ids.length] as number;
      const { routingKey, content, arrivalTime } = observation(serial, id, Math.floor(round / ids.length), Date.now());
      channel.publish(target.exchange, routingKey, content, {
        persistent: true,
        contentType: 'application/json',
        headers: { ArrivalTime: arrivalTime },
      });
      if (id === 109) {
        const times = sentAt.get(serial) ?? [];
        times.push(performance.now());
        sentAt.set(serial, times);
        opModes += 1;
      }
      published += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + tick * tickMs - performance.now())));
  }
  await channel.waitForConfirms();
  const deadline = performance.now() + 30_000;
  while (matched < opModes && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  subscription.unsubscribe();
  await nats.close();
  await connection.close();
  return {
    published,
    opModes,
    matched,
    achievedPerSecond: published / seconds,
    latency: latency.summary(),
    curve: latency.curve(),
  };
}
