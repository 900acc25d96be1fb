import { randomUUID } from 'node:crypto';
import type {
  CallOutcome,
  ChargerCallRequest,
  CommandRuleSettings,
  EdgeCallOutcome,
  EdgeCallRequest,
} from '@fleetwire/contracts';
import {
  type CallFrame,
  CallQueue,
  type CallQueueDriver,
  type ErrorCode,
  type Frame,
  isCentralSystemAction,
  isChargePointAction,
  isKnownAction,
  parseFrame,
  type QueuedCall,
  serializeCall,
  serializeCallError,
  serializeCallResult,
  transactionRelated,
  type Violation,
  validateRequest,
  validateResponse,
} from '@fleetwire/ocpp';
import type { FleetwireMetrics, Logger } from '@fleetwire/telemetry';
import { WebSocket } from 'ws';
import { RateLimiter } from './rate-limiter.ts';
import type { RefusalSummary } from './refusal-summary.ts';
import type { WorkerClient } from './worker-client.ts';

export interface ConnectionIdentity {
  readonly serial: string;
  readonly shard: number;
  readonly sessionId: string;
  readonly edgeId: string;
  readonly authenticated: boolean;
  readonly remoteAddress: string | undefined;
  /** The registration's rules, for the charger's model (Easee's heartbeat cadence, its command rules). */
  readonly rules?: CommandRuleSettings;
}

export interface ConnectionSettings {
  /** How long a charger CALL may take end to end, retries across a hand-over included. */
  readonly callTimeoutMs: number;
  readonly pingIntervalS: number;
  readonly maxInboundCalls: number;
  readonly maxQueuedCentralCalls: number;
  readonly callsPerSecond: number;
  readonly callBurst: number;
  /** A peer that does not read: past this many bytes waiting to be sent it is dropped. */
  readonly maxBufferedBytes: number;
}

const kConnection = Symbol('fleetwire.connection');
type OwnedSocket = WebSocket & { [kConnection]: ChargerConnection };

function connectionOf(socket: WebSocket): ChargerConnection {
  return (socket as OwnedSocket)[kConnection];
}

// One set of socket listeners for every connection, finding theirs through the socket: a closure per socket and
// event would cost each of 20,000 connections its own four functions and their scope.
function onSocketMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  connectionOf(this).onMessage(data, isBinary);
}
function onSocketPong(this: WebSocket): void {
  connectionOf(this).onPong();
}
function onSocketError(this: WebSocket, error: Error): void {
  connectionOf(this).onError(error);
}
function onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
  connectionOf(this).onClose(code, reason.toString('utf8'));
}

/**
 * One charger's WebSocket: CALLs it sends go to the worker in order (one at a time, as OCPP-J asks); CALLs for it
 * from the central system queue here and go out one at a time, each with a deadline. Results never wait behind
 * CALLs, since calls from both sides may cross (OCPP-J §4.1.1).
 */
export class ChargerConnection implements CallQueueDriver<EdgeCallOutcome> {
  readonly identity: ConnectionIdentity;
  private readonly ws: WebSocket;
  private readonly settings: ConnectionSettings;
  private readonly worker: WorkerClient;
  private readonly baseLog: Logger;
  private childLog: Logger | undefined;
  private readonly metrics: FleetwireMetrics;
  private readonly rate: RateLimiter;
  private readonly refusals: RefusalSummary;
  private inbound: Promise<void> = Promise.resolve();
  private inboundDepth = 0;
  private readonly calls: CallQueue<EdgeCallOutcome>;
  /** Answers central-system calls (cleared before a take-over or drain closes the socket). */
  private attached = true;
  /** Draining: CALLs already taken are answered, new ones are left for the charger to send again elsewhere. */
  private closing = false;
  private alive = true;
  private socketClosed = false;
  lastActivity = Date.now();
  private readonly openedAt = Date.now();
  /** Settles when the worker knows of this session; charger CALLs wait for it. */
  private ready: Promise<void> = Promise.resolve();
  private onClosed: (connection: ChargerConnection) => void = () => {};
  private done = false;
  private finishing: PromiseWithResolvers<void> | undefined;
  private outboundDrained: PromiseWithResolvers<void> | undefined;

  constructor(
    ws: WebSocket,
    identity: ConnectionIdentity,
    settings: ConnectionSettings,
    worker: WorkerClient,
    log: Logger,
    metrics: FleetwireMetrics,
    refusals: RefusalSummary,
  ) {
    this.refusals = refusals;
    this.ws = ws;
    this.identity = identity;
    this.settings = settings;
    this.worker = worker;
    this.baseLog = log;
    this.metrics = metrics;
    this.rate = new RateLimiter(settings.callsPerSecond, settings.callBurst);
    this.calls = new CallQueue<EdgeCallOutcome>(this, { maxWaiting: settings.maxQueuedCentralCalls });
  }

  /** Settles when the socket is closed and the worker was told (or gave up trying). Made when first asked for. */
  get finished(): Promise<void> {
    if (this.done) return Promise.resolve();
    this.finishing ??= Promise.withResolvers<void>();
    return this.finishing.promise;
  }

  private finish(): void {
    this.done = true;
    this.finishing?.resolve();
  }

  // Created on first use: most connections never log after they open, and a child logger per socket adds up. Lines
  // written on every connection's path check the level first, so that a reconnect storm does not make 20,000 of
  // them at a level that writes nothing.
  private get log(): Logger {
    this.childLog ??= this.baseLog.child({ serial: this.identity.serial, sessionId: this.identity.sessionId });
    return this.childLog;
  }

  get sessionId(): string {
    return this.identity.sessionId;
  }

  start(onClosed: (connection: ChargerConnection) => void): void {
    this.onClosed = onClosed;
    const { serial, shard, sessionId, edgeId, remoteAddress, rules } = this.identity;
    this.ready = this.worker
      .session(
        shard,
        serial,
        {
          kind: 'connected',
          sessionId,
          edgeId,
          at: this.openedAt,
          ...(remoteAddress === undefined ? {} : { remoteAddress }),
          ...(rules === undefined ? {} : { rules }),
        },
        Date.now() + this.settings.callTimeoutMs,
        () => this.socketClosed,
      )
      .then(
        () => undefined,
        (error: unknown) => {
          this.log.warn({ err: error }, 'the worker could not be told of the connection; closing it');
          this.close(1011, 'central system unavailable, retry later');
        },
      );
    this.inbound = this.ready;
    (this.ws as OwnedSocket)[kConnection] = this;
    this.ws.on('message', onSocketMessage);
    this.ws.on('pong', onSocketPong);
    this.ws.on('error', onSocketError);
    this.ws.on('close', onSocketClose);
  }

  onPong(): void {
    this.alive = true;
  }

  onError(error: Error): void {
    this.log.debug({ err: error }, 'socket error');
  }

  /** Stops answering central-system calls for this serial; used before closing on take-over or drain. */
  detach(): void {
    this.attached = false;
  }

  close(code: number, reason: string): void {
    this.detach();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }

  /**
   * Closes once every CALL already taken is answered, and takes no new one: a CALL answered on this socket is not
   * sent again on the next (that would apply it twice), and one left unanswered was never applied. The close frame
   * then goes out even if a worker is slow, after `callTimeoutMs` at most.
   */
  closeAfterAnswers(code: number, reason: string): void {
    this.detach();
    this.closing = true;
    this.calls.failWaiting({ ok: false, reason: 'disconnected', description: 'the connection is closing' });
    const close = () => this.close(code, reason);
    const deadline = setTimeout(close, this.settings.callTimeoutMs);
    // A central-system CALL already sent is answered on this socket too: cut off, the charger may have acted on it
    // while the operator is told it was not delivered.
    void Promise.all([this.inbound, this.outboundIdle()]).finally(() => {
      clearTimeout(deadline);
      close();
    });
  }

  /** Settles when no central-system CALL is on the wire; those still queued are not sent once closing. */
  private outboundIdle(): Promise<void> {
    if (this.calls.onTheWire === undefined) return Promise.resolve();
    this.outboundDrained ??= Promise.withResolvers<void>();
    return this.outboundDrained.promise;
  }

  /** Keep-alive, called by the gateway once per ping interval: drops a peer that did not answer the last ping. */
  ping(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.alive) {
      this.log.info('no pong since the last ping; dropping the dead peer');
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private send(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.settings.maxBufferedBytes) {
      this.log.warn({ buffered: this.ws.bufferedAmount }, 'peer does not read; dropping it');
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  private refuse(id: string, code: ErrorCode, description: string): void {
    // A flood would write a line per CALL: each is debug, and the gateway says how many, once a minute, at info.
    if (this.baseLog.isLevelEnabled('debug')) this.log.debug({ messageId: id, code, description }, 'CALL refused');
    this.refusals.count(this.identity.serial, code);
    this.send(serializeCallError(id, code, description));
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    this.alive = true;
    this.lastActivity = Date.now();
    if (isBinary) {
      this.log.debug('binary frame ignored: OCPP-J uses text frames');
      this.refusals.count(this.identity.serial, 'binary-frame');
      return;
    }
    const parsed = parseFrame(data.toString('utf8'));
    if (parsed.kind === 'drop') {
      this.log.debug({ reason: parsed.reason }, 'frame dropped');
      this.refusals.count(this.identity.serial, 'dropped-frame');
      return;
    }
    if (parsed.kind === 'malformed') {
      this.metrics.chargerCalls.inc({ action: 'unknown', outcome: 'refused' });
      this.refuse(parsed.id, parsed.code, parsed.reason);
      return;
    }
    this.onFrame(parsed.frame);
  }

  private onFrame(frame: Frame): void {
    if (frame.type !== 2) {
      this.onResult(frame);
      return;
    }
    const { id, action } = frame;
    if (this.closing) {
      this.log.debug({ messageId: id, action }, 'CALL left unanswered: the connection is closing');
      return;
    }
    const refusal = this.refusalOf(frame);
    if (refusal !== undefined) {
      this.metrics.chargerCalls.inc({ action: isKnownAction(action) ? action : 'unknown', outcome: 'refused' });
      this.refuse(id, refusal.code, refusal.description);
      return;
    }
    const violation = validateRequest(action, frame.payload);
    if (violation !== undefined && !transactionRelated.has(action)) {
      this.metrics.chargerCalls.inc({ action, outcome: 'refused' });
      this.refuse(id, violation.code, violation.message);
      return;
    }
    if (violation !== undefined) {
      // Never refused for its content (the charger would retry, then drop it): kept, with the flag.
      this.log.warn({ messageId: id, action, violation: violation.message }, 'transaction message breaks its schema');
    }
    this.inboundDepth += 1;
    // Backpressure, not refusal: with this many CALLs waiting, the socket stops being read until they are answered.
    if (this.inboundDepth >= this.settings.maxInboundCalls && !this.ws.isPaused) this.ws.pause();
    this.inbound = this.inbound
      .then(() => this.forward(frame, violation))
      .catch((error: unknown) => this.log.error({ messageId: id, err: error }, 'CALL handling failed'))
      .finally(() => {
        this.inboundDepth -= 1;
        if (this.inboundDepth < this.settings.maxInboundCalls && this.ws.isPaused) this.ws.resume();
      });
  }

  /**
   * Why a CALL is refused before its payload is even looked at, if it is. A charger that waits for each answer
   * before its next CALL is compliant (OCPP-J §4.1.1) however fast it goes — that is how a charger flushes its
   * offline queue — so only CALLs sent while another is unanswered count against the flood limits, and a
   * transaction message is never refused for its rate: it waits, with the socket paused when too many do.
   */
  private refusalOf({ action }: CallFrame): { code: ErrorCode; description: string } | undefined {
    if (!isKnownAction(action)) return { code: 'NotImplemented', description: `unknown action ${action}` };
    if (!isChargePointAction(action)) {
      return { code: 'NotSupported', description: `${action} is sent by a central system, not a charge point` };
    }
    if (this.inboundDepth === 0 || transactionRelated.has(action)) return undefined;
    if (!this.rate.take()) {
      return {
        code: 'GenericError',
        description: `more than ${this.settings.callsPerSecond} CALLs per second; retry later`,
      };
    }
    if (this.inboundDepth >= this.settings.maxInboundCalls) {
      return { code: 'GenericError', description: 'too many CALLs waiting for an answer; send one at a time' };
    }
    return undefined;
  }

  private async forward(frame: CallFrame, violation: Violation | undefined): Promise<void> {
    if (this.socketClosed) return;
    const { serial, shard, sessionId } = this.identity;
    const request: ChargerCallRequest = {
      sessionId,
      messageId: frame.id,
      action: frame.action,
      payload: frame.payload,
      receivedAt: Date.now(),
      ...(violation === undefined ? {} : { violation }),
    };
    const { action } = frame;
    const started = performance.now();
    const settled = (outcome: 'answered' | 'call_error' | 'unavailable') => {
      this.metrics.chargerCalls.inc({ action, outcome });
      this.metrics.chargerCallSeconds.observe({ action }, (performance.now() - started) / 1000);
    };
    let outcome: CallOutcome;
    try {
      outcome = await this.worker.call(shard, serial, request, Date.now() + this.settings.callTimeoutMs);
    } catch (error) {
      settled('unavailable');
      this.log.warn({ messageId: frame.id, action, err: error }, 'no worker answered the CALL');
      this.send(serializeCallError(frame.id, 'InternalError', 'central system temporarily unavailable, retry later'));
      return;
    }
    if (!outcome.ok) {
      settled('call_error');
      this.refuse(frame.id, outcome.code, outcome.description);
      return;
    }
    const invalid = validateResponse(action, outcome.payload);
    if (invalid !== undefined) {
      settled('call_error');
      this.log.error({ action, violation: invalid.message }, 'our own CALLRESULT breaks its schema');
      this.send(serializeCallError(frame.id, 'InternalError', 'central system produced an invalid answer'));
      return;
    }
    settled('answered');
    this.send(serializeCallResult(frame.id, outcome.payload));
  }

  private onResult(frame: Exclude<Frame, CallFrame>): void {
    const current = this.calls.onTheWire;
    if (current === undefined || current.id !== frame.id) {
      this.log.info({ messageId: frame.id }, 'answer to no CALL of ours dropped');
      return;
    }
    const { action } = current.call;
    if (frame.type === 3) {
      const violation = validateResponse(action, frame.payload);
      if (violation !== undefined)
        this.log.warn({ action, violation: violation.message }, 'charger answer breaks its schema');
      this.calls.settle(frame.id, { ok: true, payload: frame.payload });
    } else {
      this.calls.settle(frame.id, {
        ok: false,
        reason: 'call-error',
        code: frame.code,
        description: frame.description,
      });
    }
  }

  /** A central-system CALL for this charger, from the worker. */
  requestCall(request: EdgeCallRequest): Promise<EdgeCallOutcome> {
    if (this.socketClosed || !this.attached) {
      return Promise.resolve({ ok: false, reason: 'disconnected', description: 'the charger is disconnecting' });
    }
    if (!isCentralSystemAction(request.action)) {
      return Promise.resolve({
        ok: false,
        reason: 'call-error',
        code: 'NotSupported',
        description: `${request.action} is not sent by a central system`,
      });
    }
    const violation = validateRequest(request.action, request.payload);
    if (violation !== undefined) {
      return Promise.resolve({ ok: false, reason: 'call-error', code: violation.code, description: violation.message });
    }
    if (this.closing) {
      return Promise.resolve({ ok: false, reason: 'disconnected', description: 'the connection is closing' });
    }
    return (
      this.calls.enqueue(request.action, request.payload, request.timeoutMs) ??
      Promise.resolve({
        ok: false,
        reason: 'busy',
        description: `${this.calls.queued} calls already wait for ${this.identity.serial}`,
      })
    );
  }

  sendCall(id: string, call: QueuedCall): void {
    this.send(serializeCall(id, call.action, call.payload));
  }

  nextCallId(): string {
    return randomUUID();
  }

  expiredCall(call: QueuedCall, sent: boolean): EdgeCallOutcome {
    return sent
      ? { ok: false, reason: 'timeout', description: `no answer to ${call.action} within its deadline` }
      : { ok: false, reason: 'timeout', description: `no turn for ${call.action} within its deadline` };
  }

  callSettled(call: QueuedCall, outcome: EdgeCallOutcome): void {
    this.metrics.centralSystemCalls.inc({
      action: call.action,
      outcome: outcome.ok ? 'answered' : outcome.reason.replace('-', '_'),
    });
  }

  callsIdle(): void {
    this.outboundDrained?.resolve();
    this.outboundDrained = undefined;
  }

  onClose(code: number, reason = ''): void {
    this.socketClosed = true;
    if (this.baseLog.isLevelEnabled('info')) {
      this.log.info(
        {
          code,
          reason: reason === '' ? undefined : reason,
          connectedS: Math.round((Date.now() - this.openedAt) / 1000),
        },
        'charger disconnected',
      );
    }
    this.detach();
    const gone: EdgeCallOutcome = { ok: false, reason: 'disconnected', description: 'the charger disconnected' };
    this.calls.failAll(gone);
    this.onClosed(this);
    const { serial, shard, sessionId, edgeId } = this.identity;
    // After the connect was acknowledged, so the worker sees them in order.
    void this.ready
      .then(() =>
        this.worker.session(
          shard,
          serial,
          { kind: 'disconnected', sessionId, edgeId, at: Date.now(), closeCode: code },
          Date.now() + 60_000,
        ),
      )
      .catch((error: unknown) => this.log.warn({ err: error }, 'the worker could not be told of the disconnect'))
      .finally(() => this.finish());
  }
}
