import { messageIdentity, type StreamMessage } from '@fleetwire/easee';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface StreamEvent {
  readonly id: string;
  readonly type: string;
  readonly serial: string;
  readonly data: Record<string, any>;
}

/** Every message of a JetStream stream, in order, with its headers: what a downstream consumer would see. */
export async function readStream<T>(
  natsUrl: string,
  stream: string,
): Promise<{ readonly data: T; readonly msgId: string | undefined; readonly subject: string }[]> {
  const connection = await connect({ servers: natsUrl });
  try {
    const consumer = await jetstream(connection).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const messages: { data: T; msgId: string | undefined; subject: string }[] = [];
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 1_000, expires: 2_000 });
      let received = 0;
      let pending = 1;
      for await (const message of batch) {
        messages.push({
          data: message.json<T>(),
          msgId: message.headers?.get('Nats-Msg-Id'),
          subject: message.subject,
        });
        received += 1;
        pending = message.info.pending;
      }
      if (received === 0 || pending === 0) return messages;
    }
  } finally {
    await connection.close();
  }
}

/**
 * Every observation and command response in FW_EASEE, each with its identity (`<serial>.o.<id>.<timestamp>`),
 * unpacked from the batches ingests publish (ADR 18) and from the single messages of an ingest before them.
 */
export async function readEaseeStream(
  natsUrl: string,
): Promise<{ readonly identity: string; readonly subject: string }[]> {
  const stored = await readStream<StreamMessage | StreamMessage[]>(natsUrl, 'FW_EASEE');
  return stored.flatMap(({ data, subject }) =>
    (Array.isArray(data) ? data : [data]).map((message) => ({ identity: messageIdentity(message), subject })),
  );
}

/** Every event in FW_EVENTS. */
export async function readAllEvents(natsUrl: string): Promise<StreamEvent[]> {
  return (await readStream<StreamEvent>(natsUrl, 'FW_EVENTS')).map((message) => message.data);
}
