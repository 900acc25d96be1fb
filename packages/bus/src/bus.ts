/**
 * Subject-based messaging between roles, with NATS semantics: `*` matches one token, `>` the rest; a request
 * with nobody serving its subject fails at once with NoRespondersError. Payloads are JSON-compatible values and
 * are treated as immutable by both sides (the in-process adapter passes them by reference).
 */
export interface Bus {
  request<T = unknown>(subject: string, data: unknown, options: RequestOptions): Promise<T>;
  /** Answers requests on `subject`. With a queue, each request goes to one member of the queue group. */
  serve(subject: string, handler: RequestHandler, options?: { readonly queue?: string }): Subscription;
  publish(subject: string, data: unknown): void;
  subscribe(subject: string, handler: MessageHandler): Subscription;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly timeoutMs: number;
}

export type RequestHandler = (data: unknown, subject: string) => unknown;
export type MessageHandler = (data: unknown, subject: string) => void;

export interface Subscription {
  unsubscribe(): void;
}

export class NoRespondersError extends Error {
  constructor(subject: string) {
    super(`no responders for ${subject}`);
    this.name = 'NoRespondersError';
  }
}

export class RequestTimeoutError extends Error {
  constructor(subject: string, timeoutMs: number) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The responder failed while handling the request; `message` is its one-line reason. */
export class RemoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteError';
  }
}
