import {
  type Bus,
  type MessageHandler,
  NoRespondersError,
  RemoteError,
  type RequestHandler,
  type RequestOptions,
  RequestTimeoutError,
  type Subscription,
} from './bus.ts';
import { SubjectTree } from './subject-tree.ts';

interface Responder {
  readonly handler: RequestHandler;
  readonly queue: string | undefined;
}

function pickResponder(responders: Responder[]): Responder {
  // NATS gives a request to one member of each queue group; a plain subscriber would race, so take the first.
  const plain = responders.find((responder) => responder.queue === undefined);
  if (plain !== undefined) return plain;
  return responders[Math.floor(Math.random() * responders.length)] as Responder;
}

/** The bus of the all-in-one process: same semantics as NATS, no network, no serialisation. */
export class InProcessBus implements Bus {
  private readonly responders = new SubjectTree<Responder>();
  private readonly listeners = new SubjectTree<MessageHandler>();
  private closed = false;

  async request<T>(subject: string, data: unknown, options: RequestOptions): Promise<T> {
    if (this.closed) throw new Error('bus is closed');
    const responders = this.responders.match(subject);
    if (responders.length === 0) throw new NoRespondersError(subject);
    const { handler } = pickResponder(responders);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeoutError(subject, options.timeoutMs)), options.timeoutMs);
    });
    const reply = (async () => {
      // Asynchronous like the network: the requester's stack unwinds before the responder runs.
      await Promise.resolve();
      try {
        return (await handler(data, subject)) as T;
      } catch (error) {
        throw new RemoteError(error instanceof Error ? error.message : String(error));
      }
    })();
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  serve(subject: string, handler: RequestHandler, options: { readonly queue?: string } = {}): Subscription {
    const responder: Responder = { handler, queue: options.queue };
    this.responders.add(subject, responder);
    return { unsubscribe: () => this.responders.remove(subject, responder) };
  }

  publish(subject: string, data: unknown): void {
    if (this.closed) return;
    for (const listener of this.listeners.match(subject)) {
      queueMicrotask(() => listener(data, subject));
    }
  }

  subscribe(subject: string, handler: MessageHandler): Subscription {
    this.listeners.add(subject, handler);
    return { unsubscribe: () => this.listeners.remove(subject, handler) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
