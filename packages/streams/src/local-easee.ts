import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type {
  CommandSink,
  CommandSource,
  EaseeIngestPort,
  OutboundCommand,
  ParkedMessage,
  ShardStreamSource,
  StreamDelivery,
} from '@fleetwire/contracts';
import type { StreamMessage } from '@fleetwire/easee';
import { encodeRecord, ensureDataDir, fileMode } from '@fleetwire/store';

type Deliver = (delivery: StreamDelivery) => void;

/**
 * The Easee stream inside one process (all-in-one). There is no JetStream to make a message durable, so the
 * ingest's publish resolves only when the charger's actor has committed it; the ingest acknowledges RabbitMQ
 * after that. Parked messages go to a record file (one checksummed JSON record per line).
 */
export class LocalEaseeStream implements ShardStreamSource, EaseeIngestPort {
  private readonly shards = new Map<number, Deliver>();
  private readonly parkedFile: string | undefined;

  constructor(parkedFile?: string) {
    this.parkedFile = parkedFile;
  }

  async open(shard: number, deliver: Deliver): Promise<{ close(): Promise<void> }> {
    this.shards.set(shard, deliver);
    return {
      close: async () => {
        if (this.shards.get(shard) === deliver) this.shards.delete(shard);
      },
    };
  }

  publish(shard: number, message: StreamMessage): Promise<void> {
    const deliver = this.shards.get(shard);
    if (deliver === undefined) return Promise.reject(new Error(`shard ${shard} is not served`));
    return new Promise((resolve, reject) =>
      deliver({ seq: 0, messages: [message], ack: resolve, nak: () => reject(new Error('not applied')) }),
    );
  }

  async park(parked: ParkedMessage): Promise<void> {
    if (this.parkedFile === undefined) return;
    await ensureDataDir(dirname(this.parkedFile));
    // Synced before the ingest acknowledges the message it parks: a parked message is kept, not lost.
    const handle = await open(this.parkedFile, 'a', fileMode);
    try {
      await handle.write(encodeRecord(parked));
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

/** Commands inside one process: the worker's publish resolves when the ingest's broker confirmed the command. */
export class LocalCommandQueue implements CommandSink, CommandSource {
  private readonly waiting: { command: OutboundCommand; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private handler: ((command: OutboundCommand) => Promise<void>) | undefined;

  async publish(commands: readonly OutboundCommand[]): Promise<void> {
    await Promise.all(
      commands.map(
        (command) =>
          new Promise<void>((resolve, reject) => {
            this.waiting.push({ command, resolve, reject });
            this.pump();
          }),
      ),
    );
  }

  private pump(): void {
    const handler = this.handler;
    if (handler === undefined) return;
    for (const waiting of this.waiting.splice(0)) handler(waiting.command).then(waiting.resolve, waiting.reject);
  }

  consume(handler: (command: OutboundCommand) => Promise<void>): { close(): Promise<void> } {
    this.handler = handler;
    this.pump();
    return {
      close: async () => {
        if (this.handler === handler) this.handler = undefined;
      },
    };
  }
}
