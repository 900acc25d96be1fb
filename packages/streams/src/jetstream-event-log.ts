import { setTimeout as sleep } from 'node:timers/promises';
import type { FleetEvent } from '@fleetwire/contracts';
import { subjects } from '@fleetwire/contracts';
import { type EventFilter, type EventLog, matchesEvent, type StoredEvent } from '@fleetwire/store';
import { type ConsumerMessages, DeliverPolicy, type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const encoder = new TextEncoder();

/**
 * The subject filter nats-server can apply itself (one type and/or one serial); any other filter is applied here on
 * the whole stream (nats-server 2.9 has no multi-subject consumers).
 */
function subjectOf(filter: EventFilter): string {
  const type = filter.types?.length === 1 ? (filter.types[0] as string) : '*';
  return subjects.event(type, filter.serial ?? '*');
}

function startAfter(afterSeq: number) {
  return afterSeq > 0
    ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 }
    : { deliver_policy: DeliverPolicy.All };
}

/**
 * FW_EVENTS as the event log: each event on `fw.events.<type>.<serial>`, its id as `Nats-Msg-Id`, so a
 * republished outbox within the dedup window is stored once. Reading and following use ordered consumers, which
 * deliver in stream order without gaps and rebuild themselves after a reconnect.
 */
export class JetStreamEventLog implements EventLog {
  private readonly js: JetStreamClient;

  constructor(connection: NatsConnection) {
    this.js = jetstream(connection);
  }

  async append(events: readonly FleetEvent[]): Promise<void> {
    await Promise.all(
      events.map((event) =>
        this.js.publish(subjects.event(event.type, event.serial), encoder.encode(JSON.stringify(event)), {
          msgID: event.id,
        }),
      ),
    );
  }

  async read(afterSeq: number, limit: number, filter: EventFilter = {}): Promise<readonly StoredEvent[]> {
    const consumer = await this.js.consumers.get('FW_EVENTS', {
      ...startAfter(afterSeq),
      filter_subjects: [subjectOf(filter)],
    });
    const read: StoredEvent[] = [];
    while (read.length < limit) {
      const messages = await consumer.fetch({ max_messages: Math.min(1_000, limit), expires: 1_000 });
      let received = 0;
      let pending = 0;
      for await (const message of messages) {
        received += 1;
        pending = message.info.pending;
        const event = message.json<FleetEvent>();
        if (matchesEvent(event, filter) && read.length < limit) read.push({ seq: message.seq, event });
      }
      if (received === 0 || pending === 0) break;
    }
    return read;
  }

  follow(afterSeq: number | 'now', filter: EventFilter, listener: (stored: StoredEvent) => void): () => void {
    let stopped = false;
    let messages: ConsumerMessages | undefined;
    let delivered = afterSeq;
    void (async () => {
      while (!stopped) {
        try {
          const consumer = await this.js.consumers.get('FW_EVENTS', {
            ...(delivered === 'now' ? { deliver_policy: DeliverPolicy.New } : startAfter(delivered)),
            filter_subjects: [subjectOf(filter)],
          });
          // Where "now" was, so that a consumer rebuilt after a reconnect resumes there without a gap.
          if (delivered === 'now') delivered = (await consumer.info()).delivered.stream_seq;
          messages = await consumer.consume();
          if (stopped) await messages.close();
          for await (const message of messages) {
            delivered = message.seq;
            const event = message.json<FleetEvent>();
            if (matchesEvent(event, filter)) listener({ seq: message.seq, event });
          }
        } catch {
          // the bus reconnecting: follow again from the last delivered event
        }
        if (!stopped) await sleep(500);
      }
    })();
    return () => {
      stopped = true;
      void messages?.close();
    };
  }
}
