import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashPassword, parseBasicAuth, VerifiedCredentials } from '@fleetwire/auth';
import type { Bus, Subscription } from '@fleetwire/bus';
import {
  type ChargerRegistration,
  type CommandRuleSettings,
  type EdgeCallOutcome,
  type EdgeCallRequest,
  type EvictNotice,
  isValidSerial,
  ruleSettingsOf,
  shardOf,
  subjects,
} from '@fleetwire/contracts';
import type { ChargerRegistry } from '@fleetwire/store';
import { FleetwireMetrics, type Logger } from '@fleetwire/telemetry';
import { type WebSocket, WebSocketServer } from 'ws';
import { ChargerConnection, type ConnectionSettings } from './connection.ts';
import { ocppSubprotocol, refuseUpgrade, serialFromPath } from './handshake.ts';
import { LoginThrottle } from './rate-limiter.ts';
import { RefusalSummary } from './refusal-summary.ts';
import { WorkerClient } from './worker-client.ts';

export interface GatewayOptions {
  readonly bus: Bus;
  readonly registry: ChargerRegistry;
  readonly logger: Logger;
  readonly shardCount: number;
  readonly edgeId: string;
  readonly autoRegister: boolean;
  readonly callTimeoutMs: number;
  readonly pingIntervalS: number;
  readonly maxPayloadBytes?: number;
  /** Upgrades being authenticated at once; more wait their turn (storm protection). */
  readonly maxPendingHandshakes?: number;
  /**
   * Upgrades waiting for a turn, and how long one may wait: past either, a 503 with Retry-After. A reconnect storm
   * arrives in one burst that the edge can serve in seconds; refused, each charger backs off for many seconds more.
   * The defaults hold every charger of a large edge (its sockets exist either way) for as long as a storm of them
   * takes to serve: 16,384 places and 10 s refused 5,447 of 19,800 in P6, each then 4-20 s away.
   */
  readonly maxQueuedHandshakes?: number;
  readonly maxHandshakeWaitMs?: number;
  readonly connection?: Partial<ConnectionSettings>;
  readonly metrics?: FleetwireMetrics;
}

type Admission =
  | { readonly ok: true; readonly authenticated: boolean; readonly rules?: CommandRuleSettings }
  | { readonly ok: false; readonly status: number; readonly reason: string; readonly headers?: Record<string, string> };

const closeCodeReplaced = 4000;

const movedMemoryMs = 60_000;
const maxMovedRemembered = 10_000;

type Turn = 'yours' | 'full' | 'too-long' | 'gone';

/**
 * Upgrades waiting for one of the handshake slots, first come first served. A waiter whose socket closed is
 * skipped, one that waited too long is told so when its turn comes (no timer per waiter).
 */
class HandshakeTurns {
  private readonly waiting: {
    readonly socket: Duplex;
    readonly until: number;
    readonly resolve: (turn: Turn) => void;
  }[] = [];
  private head = 0;

  wait(maxWaiting: number, maxWaitMs: number, socket: Duplex): Promise<Turn> {
    if (this.waiting.length - this.head >= maxWaiting) return Promise.resolve('full');
    return new Promise((resolve) => this.waiting.push({ socket, until: performance.now() + maxWaitMs, resolve }));
  }

  /**
   * A slot is free: the next waiter still there gets it (true), those who waited too long are answered on the way;
   * false when nobody wants it.
   */
  next(): boolean {
    const now = performance.now();
    while (this.head < this.waiting.length) {
      const waiter = this.waiting[this.head] as (typeof this.waiting)[number];
      this.head += 1;
      if (waiter.socket.destroyed) waiter.resolve('gone');
      else if (now > waiter.until) waiter.resolve('too-long');
      else {
        waiter.resolve('yours');
        this.compact();
        return true;
      }
    }
    this.compact();
    return false;
  }

  private compact(): void {
    if (this.head > 1_024 || this.head === this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Terminates OCPP-J 1.6 WebSockets on `/ocpp/{serial}`. Credentials are checked before the upgrade; a newer
 * authenticated connection for a serial replaces the older one, on this edge or another (evict notice).
 */
export class OcppGateway {
  readonly connections = new Map<string, ChargerConnection>();
  private readonly options: GatewayOptions;
  private readonly wss: WebSocketServer;
  private readonly worker: WorkerClient;
  private readonly credentials = new VerifiedCredentials();
  private readonly logins = new LoginThrottle();
  private readonly refusals: RefusalSummary;
  private readonly settings: ConnectionSettings;
  private readonly log: Logger;
  private readonly metrics: FleetwireMetrics;
  private evictions: Subscription | undefined;
  private centralSystemCalls: Subscription | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private pingCursor: Iterator<ChargerConnection> | undefined;
  /** Where chargers that moved to another edge went, for a while: a call routed here by a stale session follows. */
  private readonly movedTo = new Map<string, { readonly edgeId: string; readonly at: number }>();
  private pendingHandshakes = 0;
  private readonly handshakeTurns = new HandshakeTurns();
  private sessionSeq = 0;
  private draining = false;

  private readonly onHandshakeError = (error: Error) => this.log.debug({ err: error }, 'socket error during handshake');

  constructor(options: GatewayOptions) {
    this.options = options;
    this.log = options.logger;
    this.metrics = options.metrics ?? new FleetwireMetrics();
    this.metrics.observe({ connections: () => this.connections.size });
    this.worker = new WorkerClient(options.bus);
    this.refusals = new RefusalSummary(options.logger);
    this.settings = {
      callTimeoutMs: options.callTimeoutMs,
      pingIntervalS: options.pingIntervalS,
      maxInboundCalls: 8,
      maxQueuedCentralCalls: 16,
      callsPerSecond: 20,
      callBurst: 100,
      maxBufferedBytes: 1024 * 1024,
      ...options.connection,
    };
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxPayloadBytes ?? 64 * 1024,
      // OCPP-J §3.2: without an agreeable subprotocol the handshake completes without one, then we close.
      handleProtocols: (offered) => (offered.has(ocppSubprotocol) ? ocppSubprotocol : false),
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(request, socket, head);
    });
    server.on('request', (_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
      response.end('OCPP-J endpoint: open a WebSocket on /ocpp/{serial} with subprotocol ocpp1.6\n');
    });
    this.evictions ??= this.options.bus.subscribe(subjects.edgeEvict('*'), (data, subject) =>
      this.onEvictNotice(subject.split('.')[2] ?? '', data as EvictNotice),
    );
    this.centralSystemCalls ??= this.options.bus.serve(subjects.edgeCall(this.options.edgeId), (data) =>
      this.onCentralSystemCall(data as EdgeCallRequest),
    );
    if (this.settings.pingIntervalS > 0 && this.keepAlive === undefined) {
      this.keepAlive = setInterval(() => this.pingSlice(), 1_000);
      this.keepAlive.unref();
    }
  }

  private onCentralSystemCall(request: EdgeCallRequest): Promise<EdgeCallOutcome> {
    const connection = this.connections.get(request.serial);
    if (connection !== undefined) return connection.requestCall(request);
    const moved = this.movedTo.get(request.serial);
    if (moved !== undefined && Date.now() - moved.at < movedMemoryMs) {
      return Promise.resolve({
        ok: false,
        reason: 'moved',
        edgeId: moved.edgeId,
        description: `${request.serial} reconnected through ${moved.edgeId}`,
      });
    }
    return Promise.resolve({
      ok: false,
      reason: 'disconnected',
      description: `${request.serial} is not connected here`,
    });
  }

  /**
   * Pings a slice of the connections each second, so that every one is pinged once per interval without a timer
   * per socket and without pinging the whole fleet in one burst.
   */
  private pingSlice(): void {
    let due = Math.ceil(this.connections.size / this.settings.pingIntervalS);
    while (due > 0) {
      this.pingCursor ??= this.connections.values();
      const next = this.pingCursor.next();
      if (next.done) {
        this.pingCursor = undefined;
        return;
      }
      next.value.ping();
      due -= 1;
    }
  }

  private refuse(socket: Duplex, status: number, reason: string, headers?: Record<string, string>): void {
    this.metrics.handshakesRefused.inc({ status: String(status) });
    refuseUpgrade(socket, status, reason, headers);
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', this.onHandshakeError);
    if (this.draining) return this.refuse(socket, 503, 'shutting down; reconnect', { 'Retry-After': '5' });
    const path = serialFromPath(request.url);
    if ('status' in path) return this.refuse(socket, path.status, path.reason);
    const { serial } = path;
    if (this.pendingHandshakes >= (this.options.maxPendingHandshakes ?? 512)) {
      const turn = await this.handshakeTurns.wait(
        this.options.maxQueuedHandshakes ?? 65_536,
        this.options.maxHandshakeWaitMs ?? 30_000,
        socket,
      );
      if (turn !== 'yours') {
        if (turn === 'gone') return;
        return this.refuse(socket, 503, 'too many connections being set up; retry', { 'Retry-After': '2' });
      }
      // The slot of the handshake that finished passed to this one.
    } else this.pendingHandshakes += 1;
    let admission: Admission;
    try {
      admission = await this.admit(request, serial);
    } catch (error) {
      this.log.error({ serial, err: error }, 'admission failed');
      admission = { ok: false, status: 503, reason: 'central system temporarily unavailable' };
    } finally {
      if (!this.handshakeTurns.next()) this.pendingHandshakes -= 1;
    }
    if (!admission.ok) {
      this.log.info({ serial, status: admission.status, reason: admission.reason }, 'connection refused');
      return this.refuse(socket, admission.status, admission.reason, admission.headers);
    }
    if (this.draining || socket.destroyed) return this.refuse(socket, 503, 'shutting down; reconnect');
    const { authenticated, rules } = admission;
    // The WebSocket handles socket errors from here on; the handshake's listener must not keep the request alive.
    socket.off('error', this.onHandshakeError);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, serial, authenticated, rules));
  }

  private async admit(request: IncomingMessage, serial: string): Promise<Admission> {
    const credentials = parseBasicAuth(request.headers.authorization);
    const known = await this.options.registry.get(serial);
    // Seen on the Easee stream only: listed, but not an OCPP identity until an operator registers it.
    const registration = known?.discoveredBy === 'easee-stream' ? undefined : known;
    if (registration === undefined) {
      if (!this.options.autoRegister) return { ok: false, status: 404, reason: `unknown charge point ${serial}` };
      if (credentials !== undefined && credentials.user !== serial) {
        return { ok: false, status: 401, reason: 'Basic auth user must be the charge point identity' };
      }
      const now = new Date().toISOString();
      await this.options.registry.put({
        serial,
        ...(credentials === undefined ? {} : { passwordHash: await hashPassword(credentials.password) }),
        registeredAt: now,
        updatedAt: now,
        autoRegistered: true,
      });
      this.log.info({ serial }, 'unknown charge point registered (FLEETWIRE_AUTO_REGISTER)');
      return { ok: true, authenticated: credentials !== undefined, rules: ruleSettingsOf(undefined) };
    }
    if (registration.passwordHash === undefined) {
      const existing = this.connections.get(serial);
      // Without credentials there is no proof the newcomer is the same charger: it may only replace a dead socket.
      if (existing !== undefined && Date.now() - existing.lastActivity < 2 * this.settings.pingIntervalS * 1000) {
        return { ok: false, status: 409, reason: `${serial} is connected; unauthenticated take-over refused` };
      }
      return { ok: true, authenticated: false, rules: ruleSettingsOf(registration) };
    }
    const challenge = { 'WWW-Authenticate': 'Basic realm="fleetwire", charset="UTF-8"' };
    if (credentials === undefined) return { ok: false, status: 401, reason: 'Basic auth required', headers: challenge };
    const source = `${request.socket.remoteAddress ?? '?'}|${serial}`;
    const valid = credentials.user === serial && (await this.passwordMatches(registration, credentials.password));
    if (!valid) {
      await sleep(this.logins.failed(source));
      return { ok: false, status: 401, reason: 'wrong charge point identity or password', headers: challenge };
    }
    this.logins.succeeded(source);
    return { ok: true, authenticated: true, rules: ruleSettingsOf(registration) };
  }

  /**
   * The charger's password against its registration: the current hash, else the one before a rotation. The
   * first connection with the new password ends the rotation: the old hash is forgotten.
   */
  private async passwordMatches(registration: ChargerRegistration, password: string): Promise<boolean> {
    const { serial, passwordHash, previousPasswordHash } = registration;
    if (passwordHash !== undefined && (await this.credentials.verify(serial, password, passwordHash))) {
      if (previousPasswordHash !== undefined) {
        const { previousPasswordHash: _dropped, ...rest } = registration;
        await this.options.registry.put({ ...rest, updatedAt: new Date().toISOString() });
        this.log.info({ serial }, 'charger connected with its new AuthorizationKey; the old one is no longer accepted');
      }
      return true;
    }
    return (
      previousPasswordHash !== undefined &&
      (await this.credentials.verify(`${serial}#previous`, password, previousPasswordHash))
    );
  }

  private accept(
    ws: WebSocket,
    request: IncomingMessage,
    serial: string,
    authenticated: boolean,
    rules: CommandRuleSettings | undefined,
  ): void {
    if (ws.protocol !== ocppSubprotocol) {
      this.log.info({ serial, offered: request.headers['sec-websocket-protocol'] }, 'no ocpp1.6 subprotocol; closing');
      ws.close(1002, 'subprotocol ocpp1.6 required');
      return;
    }
    const { edgeId } = this.options;
    this.sessionSeq += 1;
    const sessionId = `${edgeId}.${this.sessionSeq.toString(36)}.${randomBytes(4).toString('hex')}`;
    const replaced = this.connections.get(serial);
    if (replaced !== undefined) {
      this.log.info({ serial, replaced: replaced.sessionId, sessionId }, 'newer connection takes over');
      replaced.close(closeCodeReplaced, 'replaced by a newer connection');
    }
    const notice: EvictNotice = { sessionId, edgeId };
    this.options.bus.publish(subjects.edgeEvict(serial), notice);
    const connection = new ChargerConnection(
      ws,
      {
        serial,
        shard: shardOf(serial, this.options.shardCount),
        sessionId,
        edgeId,
        authenticated,
        remoteAddress: request.socket.remoteAddress,
        ...(rules === undefined ? {} : { rules }),
      },
      this.settings,
      this.worker,
      this.log,
      this.metrics,
      this.refusals,
    );
    this.metrics.connectionsOpened.inc({ authenticated: String(authenticated) });
    this.connections.set(serial, connection);
    connection.start((closed) => {
      // Fenced: the late close of a replaced socket must not unregister its successor.
      if (this.connections.get(serial) === closed) this.connections.delete(serial);
    });
    this.log.info({ serial, sessionId, authenticated }, 'charger connected');
  }

  private onEvictNotice(serial: string, notice: EvictNotice): void {
    if (notice.edgeId === this.options.edgeId || !isValidSerial(serial)) return;
    const local = this.connections.get(serial);
    if (local === undefined || local.sessionId === notice.sessionId) return;
    this.log.info({ serial, by: notice.edgeId }, 'connection taken over on another edge');
    local.close(closeCodeReplaced, 'replaced by a newer connection');
    this.movedTo.delete(serial);
    this.movedTo.set(serial, { edgeId: notice.edgeId, at: Date.now() });
    // Oldest first: bounded by count; expired entries are ignored when read.
    if (this.movedTo.size > maxMovedRemembered) this.movedTo.delete(this.movedTo.keys().next().value as string);
  }

  /**
   * SIGTERM: refuse new upgrades, then close every socket with 1012 (service restart) in batches spread over
   * `windowMs`, so that the fleet reconnects to the other edges gradually rather than all at once.
   */
  async drain(windowMs: number): Promise<void> {
    this.draining = true;
    const all = [...this.connections.values()];
    const batches = Math.max(1, Math.ceil(windowMs / 1000));
    const perBatch = Math.max(1, Math.ceil(all.length / batches));
    this.log.info({ connections: all.length, windowMs, perBatch }, 'draining');
    for (let start = 0; start < all.length; start += perBatch) {
      for (const connection of all.slice(start, start + perBatch)) {
        connection.closeAfterAnswers(1012, 'service restart');
      }
      if (start + perBatch < all.length) await sleep(windowMs / batches);
    }
    await Promise.race([Promise.all(all.map((connection) => connection.finished)), sleep(10_000)]);
  }

  async close(): Promise<void> {
    this.evictions?.unsubscribe();
    this.centralSystemCalls?.unsubscribe();
    clearInterval(this.keepAlive);
    this.refusals.stop();
    if (!this.draining) await this.drain(0);
    this.wss.close();
  }
}
