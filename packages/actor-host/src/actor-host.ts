import { hashPassword } from '@fleetwire/auth';
import type { Bus } from '@fleetwire/bus';
import { answeredBefore, planCall } from '@fleetwire/charger';
import {
  type ApiReply,
  type ApiRequest,
  type CallOutcome,
  type ChargerCallRequest,
  type ChargerSessionEvent,
  type CommandSink,
  isValidSerial,
  type ShardStreamSource,
  type SiteAllocation,
  type StreamDelivery,
  serialOfShardSubject,
  shardOf,
  subjects,
} from '@fleetwire/contracts';
import { ObservationId, type StreamMessage } from '@fleetwire/easee';
import type { Stores } from '@fleetwire/store';
import { type FleetCensus, FleetwireMetrics, type Logger } from '@fleetwire/telemetry';
import { idTagInfoFor } from './authorization.ts';
import { type ChargerEntry, ChargerRuntime, type OwnedShard, statusOf } from './charger-runtime.ts';
import { NotOwnerError } from './errors.ts';
import { OperatorRequests } from './operator-requests.ts';
import { SiteHost } from './site-host.ts';

export interface EaseeCommandPolicy {
  /** A command without a command response by then is sent again (Easee suggests about 60 s). */
  readonly responseTimeoutMs: number;
  readonly maxAttempts: number;
  /** ExpiresAt of a command: after it, the charger ignores it and it is not sent again. */
  readonly expiresInMs: number;
}

export interface ActorHostOptions {
  readonly bus: Bus;
  readonly stores: Stores;
  readonly shardCount: number;
  readonly heartbeatIntervalS: number;
  readonly clock: () => number;
  readonly logger: Logger;
  /** The Easee stream of the owned shards (FW_EASEE); absent when no operator stream is configured. */
  readonly streams?: ShardStreamSource;
  /** Where Easee commands go (FW_EASEE_CMD); absent when no operator stream is configured. */
  readonly commands?: CommandSink;
  /** Answer RFID tokens seen on the stream (observation 128) from our id tags. */
  readonly authorizeStreamTokens?: boolean;
  readonly easeeCommands?: EaseeCommandPolicy;
  readonly metrics?: FleetwireMetrics;
  /** How long an Available that contradicts the wanted availability is held back after a boot (Easee's blip). */
  readonly availabilityHoldMs?: number;
  /** A charger snapshot every this many commits; the commits between journal their inputs (ADR 10). */
  readonly snapshotEvery?: number;
  /** A charger actor without an input for this long is let go until its next input (ADR 16); undefined: never. */
  readonly passivateAfterMs?: number;
  /** Beyond this many live charger actors the least recently used are let go too (ADR 16); undefined: no bound. */
  readonly maxLiveActors?: number;
}

/** How long a graceful stop waits for operator requests in flight (a CALL waits 30 s for its charger by default). */
const stopGraceMs = 45_000;

const defaultCommandPolicy: EaseeCommandPolicy = {
  responseTimeoutMs: 60_000,
  maxAttempts: 3,
  expiresInMs: 10 * 60_000,
};

/**
 * A worker's charger actors by shard: takes shards over and hands them back, and feeds each charger its inputs —
 * OCPP CALLs and session changes from the edge, operator requests, the Easee stream — through the runtime.
 */
export class ActorHost {
  private readonly shards = new Map<number, OwnedShard>();
  /** Chargers the stream is discovering or loading, each with the promise their deliveries wait on, in order. */
  private readonly admitting = new Map<string, Promise<ChargerEntry>>();
  private readonly runtime: ChargerRuntime;
  private readonly operatorRequests: OperatorRequests;
  private readonly sites: SiteHost;
  private readonly options: ActorHostOptions;
  private readonly log: Logger;
  private readonly metrics: FleetwireMetrics;

  constructor(options: ActorHostOptions) {
    this.options = options;
    this.log = options.logger;
    this.metrics = options.metrics ?? new FleetwireMetrics();
    this.metrics.observe({
      actors: () => this.runtime.entries.size,
      passivated: () => this.runtime.passivated.size,
      shards: () => this.shards.size,
      fleet: () => this.census(),
      sites: () => this.sites.census(),
    });
    this.runtime = new ChargerRuntime({
      metrics: this.metrics,
      stores: options.stores,
      commands: options.commands,
      heartbeatIntervalS: options.heartbeatIntervalS,
      clock: options.clock,
      logger: options.logger,
      isServing: (owned) => this.shards.get(owned.shard) === owned,
      onFenced: (owned) => this.fenced(owned),
      onCommitted: (serial, items, orders) => this.operatorRequests.committed(serial, items, orders),
      reportToSites: (reports) => {
        for (const report of reports) {
          const { siteId } = report.data;
          options.bus.publish(subjects.siteReport(shardOf(siteId, options.shardCount), siteId), report);
        }
      },
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
      ...(options.passivateAfterMs === undefined ? {} : { passivateAfterMs: options.passivateAfterMs }),
      ...(options.maxLiveActors === undefined ? {} : { maxLiveActors: options.maxLiveActors }),
    });
    this.sites = new SiteHost({
      bus: options.bus,
      stores: options.stores,
      shardCount: options.shardCount,
      clock: options.clock,
      logger: options.logger.child({ component: 'sites' }),
      metrics: this.metrics,
      isServing: (owned) => this.shards.get(owned.shard) === owned,
      onFenced: (owned) => this.fenced(owned),
    });
    this.operatorRequests = new OperatorRequests({
      bus: options.bus,
      runtime: this.runtime,
      clock: options.clock,
      commands: options.commands,
      easeeCommands: options.easeeCommands ?? defaultCommandPolicy,
      shardCount: options.shardCount,
      shardOf: (serial) => shardOf(serial, options.shardCount),
      logger: options.logger,
      onAuthorizationKeyChanged: (serial, key) => this.adoptAuthorizationKey(serial, key),
    });
  }

  /** The worker's chargers added up, for the metrics (when scraped). */
  private census(): FleetCensus {
    const byStatus = new Map<string, number>();
    let connected = 0;
    let activeTransactions = 0;
    const count = (status: string, online: boolean, transactions: number) => {
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      if (online) connected += 1;
      activeTransactions += transactions;
    };
    for (const entry of this.runtime.entries.values()) {
      const context = entry.actor.getSnapshot().context;
      count(statusOf(context), context.session !== null, context.transactions.length);
    }
    for (const charger of this.runtime.passivated.values()) {
      count(charger.status, charger.connected, charger.activeTransactions);
    }
    return { byStatus, connected, activeTransactions };
  }

  get ownedShards(): readonly number[] {
    return [...this.shards.keys()];
  }

  get actorCount(): number {
    return this.runtime.entries.size;
  }

  /** Chargers whose actor was let go (ADR 16): their state is in the store until their next input. */
  get passivatedCount(): number {
    return this.runtime.passivated.size;
  }

  /**
   * Lets go of a charger's actor now, as the sweep does after `passivateAfterMs` without an input, if nothing of it
   * is in flight; false when it stays (busy, or not here).
   */
  async passivate(serial: string): Promise<boolean> {
    const entry = this.runtime.entries.get(serial);
    if (entry === undefined) return false;
    await this.runtime.passivate(entry);
    return !this.runtime.entries.has(serial);
  }

  /** Takes a shard over: fences and loads its snapshots, re-arms their deadlines, then starts serving it. */
  async acquire(shard: number, leaseToken: number): Promise<void> {
    if (this.shards.has(shard)) return;
    this.metrics.handOvers.inc({ direction: 'acquired' });
    const owned: OwnedShard = { shard, leaseToken, serials: new Set(), subscriptions: [], releasing: false };
    this.shards.set(shard, owned);
    const serials = await this.options.stores.chargers.serialsInShard(shard);
    const stored = await this.options.stores.snapshots.claim(serials, leaseToken);
    for (const [serial, snapshot] of stored) {
      if (!this.runtime.entries.has(serial)) this.runtime.create(serial, owned, snapshot);
    }
    const { bus } = this.options;
    owned.subscriptions.push(
      bus.serve(subjects.chargerCallsOfShard(shard), (data, subject) =>
        this.handleCall(this.serialOf(subject, shard), shard, data as ChargerCallRequest),
      ),
      bus.serve(subjects.chargerSessionsOfShard(shard), (data, subject) =>
        this.handleSession(this.serialOf(subject, shard), shard, data as ChargerSessionEvent),
      ),
      bus.serve(subjects.apiOfShard(shard), (data, subject) =>
        this.handleApi(this.serialOf(subject, shard), shard, data as ApiRequest),
      ),
      bus.subscribe(subjects.siteAllocationsOfShard(shard), (data, subject) =>
        this.handleSiteAllocation(serialOfShardSubject(subject), shard, data as SiteAllocation),
      ),
    );
    await this.sites.acquire(owned);
    if (this.options.streams !== undefined) {
      const stream = await this.options.streams.open(shard, (delivery) => this.handleStream(shard, delivery));
      owned.closeStream = () => stream.close();
    }
  }

  /** Hands a shard over: stops taking inputs, finishes those in flight, publishes what is committed. */
  async release(shard: number): Promise<void> {
    const owned = this.shards.get(shard);
    if (owned === undefined || owned.releasing) return;
    owned.releasing = true;
    this.metrics.handOvers.inc({ direction: 'released' });
    await owned.closeStream?.().catch((error: unknown) => this.log.warn({ shard, err: error }, 'stream close failed'));
    for (const subscription of owned.subscriptions) subscription.unsubscribe();
    const entries = this.entriesOf(owned);
    await Promise.all([this.runtime.drain(entries), this.sites.release(owned)]);
    if (this.shards.get(shard) === owned) this.shards.delete(shard);
    for (const entry of entries) this.runtime.forget(entry);
    this.runtime.forgetPassivated(owned);
  }

  /**
   * Stops serving at once, without flushing or releasing anything: what a crash looks like from outside. Work
   * already running may still try to commit; the next owner's fencing decides whether it lands.
   */
  halt(): void {
    this.runtime.stop();
    this.sites.halt();
    for (const owned of this.shards.values()) {
      for (const subscription of owned.subscriptions) subscription.unsubscribe();
      void owned.closeStream?.().catch(() => undefined);
    }
    for (const owned of this.shards.values()) this.runtime.forgetPassivated(owned);
    this.shards.clear();
    for (const entry of [...this.runtime.entries.values()]) this.runtime.forget(entry);
  }

  /**
   * Hands every shard over, then lets the operator requests and CALLs in flight end (their answers go to the new
   * owners), so that stopping the bus afterwards loses no reply.
   */
  async stop(): Promise<void> {
    await Promise.all(this.ownedShards.map((shard) => this.release(shard)));
    await this.operatorRequests.idle(stopGraceMs);
    this.runtime.stop();
    this.sites.stop();
  }

  private entriesOf(owned: OwnedShard): ChargerEntry[] {
    return [...owned.serials].flatMap((serial) => this.runtime.entries.get(serial) ?? []);
  }

  /** A newer owner fenced this shard off: drop it without writing anything more. */
  private fenced(owned: OwnedShard): void {
    if (this.shards.get(owned.shard) !== owned) return;
    this.log.warn({ shard: owned.shard, leaseToken: owned.leaseToken }, 'shard fenced off by a newer owner');
    for (const subscription of owned.subscriptions) subscription.unsubscribe();
    void owned.closeStream?.().catch(() => undefined);
    this.shards.delete(owned.shard);
    for (const entry of this.entriesOf(owned)) void entry.tail.then(() => this.runtime.forget(entry));
    this.runtime.forgetPassivated(owned);
    this.sites.dropped(owned);
  }

  private serialOf(subject: string, shard: number): string {
    const serial = serialOfShardSubject(subject);
    if (!isValidSerial(serial) || shardOf(serial, this.options.shardCount) !== shard) {
      throw new Error(`subject ${subject} does not name a charger of shard ${shard}`);
    }
    return serial;
  }

  private entryFor(serial: string, shard: number): Promise<ChargerEntry> {
    const existing = this.runtime.entries.get(serial);
    if (existing !== undefined) return Promise.resolve(existing);
    const owned = this.shards.get(shard);
    if (owned === undefined || owned.releasing) return Promise.reject(new NotOwnerError(serial, shard));
    return this.runtime.load(serial, owned);
  }

  async handleCall(serial: string, shard: number, call: ChargerCallRequest): Promise<CallOutcome> {
    return this.runtime.enqueue(await this.entryFor(serial, shard), async (entry) => {
      const context = entry.actor.getSnapshot().context;
      const replayed = answeredBefore(context, call.sessionId, call.messageId);
      if (replayed !== undefined) return replayed;
      const { stores, clock, heartbeatIntervalS } = this.options;
      const plan = planCall(context, call.sessionId, call.messageId, call.action, call.payload);
      const at = clock();
      const idTagInfo = plan.idTag === undefined ? undefined : await idTagInfoFor(stores.idTags, plan.idTag, at);
      const transactionId = plan.needsTransactionId ? await stores.transactions.nextId() : undefined;
      this.runtime.send(entry, {
        type: 'CALL',
        at,
        sessionId: call.sessionId,
        messageId: call.messageId,
        action: call.action,
        payload: call.payload,
        ...(call.violation === undefined ? {} : { violation: call.violation }),
        lookups: {
          heartbeatIntervalS,
          ...(this.options.availabilityHoldMs === undefined
            ? {}
            : { availabilityHoldMs: this.options.availabilityHoldMs }),
          ...(idTagInfo === undefined ? {} : { idTagInfo }),
          ...(transactionId === undefined ? {} : { transactionId }),
        },
      });
      await this.runtime.commit(entry);
      return entry.actor.getSnapshot().context.lastCall?.response as CallOutcome;
    });
  }

  async handleSession(serial: string, shard: number, session: ChargerSessionEvent): Promise<{ ok: true }> {
    const entry = await this.entryFor(serial, shard);
    const at = this.options.clock();
    await this.runtime.apply(
      entry,
      session.kind === 'connected'
        ? {
            type: 'SESSION_OPENED',
            at,
            connectedAt: session.at,
            sessionId: session.sessionId,
            edgeId: session.edgeId,
            ...(session.remoteAddress === undefined ? {} : { remoteAddress: session.remoteAddress }),
            ...(session.rules === undefined ? {} : { rules: session.rules }),
          }
        : {
            type: 'SESSION_CLOSED',
            at,
            sessionId: session.sessionId,
            ...(session.closeCode === undefined ? {} : { closeCode: session.closeCode }),
          },
    );
    return { ok: true };
  }

  /**
   * One charger's messages of the Easee stream, applied in stream order and committed once. A redelivered batch, at
   * or below the charger's applied sequence, is skipped; a delivery is acknowledged once a commit holds it, which
   * may be the commit of a later input of the same charger.
   */
  private handleStream(shard: number, delivery: StreamDelivery): void {
    const { messages } = delivery;
    const serial = messages[0]?.serial;
    if (!isValidSerial(serial) || shardOf(serial, this.options.shardCount) !== shard) {
      this.log.warn({ shard, serial }, 'stream message for another shard acknowledged and dropped');
      delivery.ack();
      return;
    }
    this.enqueueInStreamOrder(serial, shard, async (entry) => {
      if (delivery.seq !== 0 && delivery.seq <= entry.lastSeq) {
        entry.pendingAcks.push(delivery);
        await this.runtime.commit(entry);
        return;
      }
      await this.applyStreamMessages(entry, messages);
      if (delivery.seq !== 0) entry.lastSeq = delivery.seq;
      entry.pendingAcks.push(this.counted(delivery));
      // Group commit per charger: with more inputs waiting in its mailbox, the last of them commits (and
      // acknowledges) all. Until then nothing is acknowledged, so a crash only means a redelivery.
      if (entry.depth <= 1) await this.runtime.commit(entry);
    }).catch((error: unknown) =>
      // Left unacknowledged: the stream delivers it again (to this worker or the shard's next owner).
      this.log.warn({ serial, seq: delivery.seq, err: error }, 'stream message not applied'),
    );
  }

  /**
   * Runs a stream delivery in the charger's mailbox in the order the stream delivered it. A charger's deliveries
   * that come while it is discovered or loaded wait on one promise, whose callbacks run in the order they were added;
   * separate chains through the stores' round trips could overtake each other, and the charger would then skip the
   * earlier delivery as already applied.
   */
  private enqueueInStreamOrder(serial: string, shard: number, task: (entry: ChargerEntry) => Promise<void>) {
    let admitted = this.admitting.get(serial);
    if (admitted === undefined) {
      const live = this.runtime.entries.get(serial);
      if (live !== undefined) return this.runtime.enqueue(live, task);
      const loading = this.discovered(serial).then(() => this.entryFor(serial, shard));
      const done = () => {
        if (this.admitting.get(serial) === loading) this.admitting.delete(serial);
      };
      loading.then(done, done);
      this.admitting.set(serial, loading);
      admitted = loading;
    }
    return admitted.then((entry) => this.runtime.enqueue(entry, task));
  }

  private async applyStreamMessages(entry: ChargerEntry, messages: readonly StreamMessage[]): Promise<void> {
    for (const message of messages) {
      const at = this.options.clock();
      if (message.kind === 'command-response') {
        this.runtime.send(entry, {
          type: 'STREAM_COMMAND_RESPONSE',
          at,
          commandId: message.commandId,
          ticks: message.ticks,
          wasAccepted: message.wasAccepted,
          resultCode: message.resultCode,
          comment: message.comment,
        });
        continue;
      }
      this.metrics.streamLagSeconds.observe(Math.max(0, at - message.timestampMs) / 1000);
      const authorization =
        message.observationId === ObservationId.UserIDToken &&
        this.options.authorizeStreamTokens === true &&
        typeof message.value === 'string'
          ? await idTagInfoFor(this.options.stores.idTags, message.value, at)
          : undefined;
      this.runtime.send(entry, {
        type: 'STREAM_OBSERVATION',
        at,
        observationId: message.observationId,
        timestamp: message.timestampMs,
        value: message.value,
        ...(authorization === undefined ? {} : { authorization }),
      });
    }
  }

  /** The delivery, counting its messages as applied when a commit acknowledges it. */
  private counted(delivery: StreamDelivery): StreamDelivery {
    return {
      ...delivery,
      ack: () => {
        this.metrics.streamMessagesApplied.inc(delivery.messages.length);
        delivery.ack();
      },
    };
  }

  /** What the charger's site allows it, from the site's actor (wherever it runs). */
  private handleSiteAllocation(serial: string, shard: number, allocation: SiteAllocation): void {
    if (!isValidSerial(serial) || shardOf(serial, this.options.shardCount) !== shard) return;
    void this.entryFor(serial, shard)
      .then((entry) =>
        this.runtime.apply(entry, {
          type: 'SITE_ALLOCATION',
          at: this.options.clock(),
          allocation,
          streamCommands: this.options.commands !== undefined,
        }),
      )
      .catch((error: unknown) => this.log.debug({ serial, err: error }, 'site allocation not applied'));
  }

  /**
   * The charger accepted a new AuthorizationKey (ChangeConfiguration): its hash becomes the password, and the old
   * hash stays accepted until the charger connects with the new one, so that the change cannot lock it out.
   */
  private async adoptAuthorizationKey(serial: string, key: string): Promise<void> {
    const { chargers } = this.options.stores;
    const registration = await chargers.get(serial);
    if (registration === undefined) return;
    await chargers.put({
      ...registration,
      passwordHash: await hashPassword(key),
      ...(registration.passwordHash === undefined ? {} : { previousPasswordHash: registration.passwordHash }),
      updatedAt: new Date(this.options.clock()).toISOString(),
    });
    this.log.info({ serial }, 'charger accepted a new AuthorizationKey; the old one is accepted until it reconnects');
  }

  /** A charger first seen on the stream is registered as discovered, so the fleet lists it. */
  private async discovered(serial: string): Promise<void> {
    if (this.runtime.knows(serial)) return;
    const { chargers } = this.options.stores;
    if ((await chargers.get(serial)) !== undefined) return;
    const now = new Date(this.options.clock()).toISOString();
    await chargers.put({ serial, registeredAt: now, updatedAt: now, discoveredBy: 'easee-stream' });
  }

  async handleApi(serial: string, shard: number, request: ApiRequest): Promise<ApiReply> {
    return this.operatorRequests.handle(await this.entryFor(serial, shard), request);
  }
}
