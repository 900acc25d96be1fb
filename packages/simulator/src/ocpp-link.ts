import {
  type CallFrame,
  CallQueue,
  type CallQueueDriver,
  OcppError,
  parseFrame,
  type QueuedCall,
  serializeCall,
  serializeCallError,
  serializeCallResult,
} from '@fleetwire/ocpp';
import WebSocket from 'ws';

export interface OcppLinkOptions {
  /** The central system's OCPP URL without the identity, e.g. `ws://127.0.0.1:9000/ocpp`. */
  readonly url: string;
  readonly identity: string;
  /** HTTP Basic auth (security profile 1); none when absent. */
  readonly password?: string;
  /** Real milliseconds a CALL waits for its answer. */
  readonly callTimeoutMs?: number;
}

export interface LinkHandlers {
  /** Answers a central-system CALL: the CALLRESULT payload, or throw an OcppError for a CALLERROR. */
  onCall(action: string, payload: unknown): unknown | Promise<unknown>;
  onClose(code: number, reason: string): void;
  /** Every CALL this side made, answered or not: for a fleet's statistics. */
  onCallSettled?(action: string, latencyMs: number, ok: boolean): void;
}

/** The answer to a CALL that came back as a CALLERROR. */
export class CallErrorResponse extends Error {
  readonly code: string;

  constructor(action: string, code: string, description: string) {
    super(`${action} answered ${code}: ${description}`);
    this.name = 'CallErrorResponse';
    this.code = code;
  }
}

type Settled = { readonly payload: unknown } | Error;

// A charger's timeout runs from the sending of its CALL, not from its queueing behind others.
const sendTimed = { timeFromSending: true } as const;

/**
 * One charger's OCPP-J 1.6 connection: CALLs go out one at a time (OCPP-J §4.1.1), central-system CALLs are
 * answered by the handler. Lean on purpose: a load generator holds tens of thousands of these.
 */
export class OcppLink implements CallQueueDriver<Settled> {
  private readonly options: OcppLinkOptions;
  private readonly handlers: LinkHandlers;
  private socket: WebSocket | undefined;
  private readonly calls: CallQueue<Settled>;
  private nextId = 1;

  constructor(options: OcppLinkOptions, handlers: LinkHandlers) {
    this.options = options;
    this.handlers = handlers;
    this.calls = new CallQueue<Settled>(this, sendTimed);
  }

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the WebSocket; rejects with the HTTP status when the central system refuses the upgrade. */
  connect(): Promise<void> {
    const { url, identity, password } = this.options;
    const headers: Record<string, string> = {};
    if (password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}`;
    }
    const socket = new WebSocket(`${url.replace(/\/$/, '')}/${encodeURIComponent(identity)}`, ['ocpp1.6'], {
      headers,
      perMessageDeflate: false,
    });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        if (socket.protocol !== 'ocpp1.6') {
          socket.close(1002, 'ocpp1.6 not agreed');
          reject(new Error(`central system did not agree to ocpp1.6 (offered "${socket.protocol}")`));
          return;
        }
        resolve();
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`central system refused the connection: HTTP ${response.statusCode}`));
        socket.terminate();
      });
      // A listener for the socket's whole life: an 'error' without one would throw.
      socket.on('error', (error) => reject(error));
      socket.on('message', (data) => this.receive(data.toString()));
      socket.once('close', (code, reason) => {
        if (this.socket === socket) this.socket = undefined;
        this.calls.failAll(new Error(`connection closed (${code})`));
        this.handlers.onClose(code, reason.toString());
      });
    });
  }

  /** Sends a CALL after the ones before it are answered; resolves with the CALLRESULT payload. */
  async call(action: string, payload: unknown): Promise<unknown> {
    if (!this.open) throw new Error('not connected');
    const settled = (await this.calls.enqueue(action, payload, this.options.callTimeoutMs ?? 30_000)) as Settled;
    if (settled instanceof Error) throw settled;
    return settled.payload;
  }

  close(code = 1000, reason = ''): void {
    this.socket?.close(code, reason);
  }

  /** Drops the connection without a closing handshake, as a power cut would. */
  terminate(): void {
    this.socket?.terminate();
  }

  sendCall(id: string, call: QueuedCall): void {
    this.socket?.send(serializeCall(id, call.action, call.payload));
  }

  nextCallId(): string {
    return String(this.nextId++);
  }

  expiredCall(call: QueuedCall): Settled {
    return new Error(`${call.action} got no answer within ${this.options.callTimeoutMs ?? 30_000} ms`);
  }

  callSettled(call: QueuedCall, settled: Settled, wireMs: number): void {
    this.handlers.onCallSettled?.(call.action, wireMs, !(settled instanceof Error));
  }

  private receive(text: string): void {
    const parsed = parseFrame(text);
    if (parsed.kind === 'drop') return;
    if (parsed.kind === 'malformed') {
      this.socket?.send(serializeCallError(parsed.id, parsed.code, parsed.reason));
      return;
    }
    const { frame } = parsed;
    if (frame.type === 2) {
      void this.answer(frame);
      return;
    }
    const current = this.calls.onTheWire;
    if (current?.id !== frame.id) return;
    if (frame.type === 3) this.calls.settle(frame.id, { payload: frame.payload });
    else this.calls.settle(frame.id, new CallErrorResponse(current.call.action, frame.code, frame.description));
  }

  private async answer(frame: CallFrame): Promise<void> {
    let reply: string;
    try {
      reply = serializeCallResult(frame.id, await this.handlers.onCall(frame.action, frame.payload));
    } catch (error) {
      reply =
        error instanceof OcppError
          ? serializeCallError(frame.id, error.code, error.message)
          : serializeCallError(frame.id, 'InternalError', error instanceof Error ? error.message : String(error));
    }
    if (this.open) this.socket?.send(reply);
  }
}
