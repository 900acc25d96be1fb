import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@fleetwire/telemetry';
import type { KV, KvEntry, KvWatchEntry } from '@nats-io/kv';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ownerOf } from './rendezvous.ts';

/** What the coordinator drives: the worker's actor host. */
export interface ShardHost {
  acquire(shard: number, leaseToken: number): Promise<void>;
  release(shard: number): Promise<void>;
}

export interface CoordinatorOptions {
  readonly connection: NatsConnection;
  readonly memberId: string;
  readonly shardCount: number;
  readonly host: ShardHost;
  readonly logger: Logger;
  /** A lease not renewed for this long may be taken over; a paused owner is fenced off after it. */
  readonly leaseTtlMs: number;
  /** A member not heard of for this long is no longer placed. */
  readonly memberTtlMs: number;
}

interface Lease {
  readonly token: number;
  revision: number;
  renewedAt: number;
}

const memberBucket = 'fw-members';
const jetStreamStartupWaitMs = 30_000;
const leaseBucket = 'fw-leases';
const leaseKey = (shard: number) => `s${shard}`;

/**
 * Decides which shards this worker owns and holds their leases. Members announce themselves in a KV bucket whose
 * TTL is renewed by writes; placement is rendezvous over the live members; a shard is served only while its
 * lease (KV create, renewed with update(revision), released with a CAS delete) is held. The lease's creation
 * revision is the fencing token of the snapshots. nats-server 2.9 sends no event when a key expires, so the
 * coordinator polls, and judges a lease stale by the time of its last write.
 */
export class ShardCoordinator {
  private readonly options: CoordinatorOptions;
  private readonly log: Logger;
  private members: KV | undefined;
  private leases: KV | undefined;
  private readonly held = new Map<number, Lease>();
  private readonly busy = new Set<number>();
  private liveMembers: string[] = [];
  /** Members by the time of their last announcement, as one watcher of the members bucket sees them. */
  private readonly announced = new Map<string, number>();
  private watcher: { stop(): void } | undefined;
  /** When the watcher last delivered an announcement: ours comes every round, so a silent watcher is a stalled one. */
  private watchedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private ticking: Promise<void> | undefined;
  private handOvers = 0;

  constructor(options: CoordinatorOptions) {
    this.options = options;
    this.log = options.logger;
  }

  get ownedShards(): readonly number[] {
    return [...this.held.keys()];
  }

  get handOverCount(): number {
    return this.handOvers;
  }

  /** Owns every shard that placement gives it (what readiness waits for). */
  get settled(): boolean {
    const { memberId, shardCount } = this.options;
    if (this.liveMembers.length === 0) return false;
    for (let shard = 0; shard < shardCount; shard++) {
      if ((ownerOf(shard, this.liveMembers) === memberId) !== this.held.has(shard)) return false;
    }
    return true;
  }

  async start(): Promise<void> {
    await this.watchMembers(await this.openBuckets());
    const period = Math.max(250, Math.min(this.options.leaseTtlMs, this.options.memberTtlMs) / 4);
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, period);
    await this.tick();
  }

  /**
   * Opens both buckets and makes the first announcement, retried for a while: a nats-server that has just started
   * (or restarted) can say it is ready before its JetStream answers, and a worker started beside it must wait, not
   * exit (seen in CI: "no responders" on the first put).
   */
  private async openBuckets(): Promise<number> {
    const kvm = new Kvm(this.options.connection);
    const giveUpAt = Date.now() + jetStreamStartupWaitMs;
    for (let attempt = 1; ; attempt++) {
      try {
        this.members = await kvm.create(memberBucket, { history: 1, ttl: this.options.memberTtlMs });
        this.leases = await kvm.create(leaseBucket, { history: 1, ttl: this.options.leaseTtlMs * 3 });
        return await this.announce();
      } catch (error) {
        if (Date.now() >= giveUpAt) throw error;
        if (attempt === 1) this.log.warn({ err: error }, 'JetStream not answering yet; retrying');
        await sleep(Math.min(1_000, 100 * attempt));
      }
    }
  }

  /** Renews this worker's membership; answers the revision of the announcement. */
  private async announce(): Promise<number> {
    return (this.members as KV).put(this.options.memberId, JSON.stringify({ since: Date.now() }));
  }

  /**
   * Who is a member, kept by one long-lived watcher of the members bucket (one consumer), not by listing the bucket
   * every round: each listing is a consumer of its own that lingers for minutes, and at a round a second per worker
   * they pile up. The watcher starts with every member's last announcement, in stream order, so once it delivers
   * our own (just written) it has delivered everyone's.
   */
  private async watchMembers(ownRevision: number): Promise<void> {
    const members = this.members as KV;
    const updates = await members.watch();
    this.watcher = updates;
    const caughtUp = Promise.withResolvers<void>();
    void (async () => {
      for await (const entry of updates as AsyncIterable<KvWatchEntry>) {
        if (this.watcher !== updates) break;
        this.watchedAt = Date.now();
        if (entry.operation === 'PUT') this.announced.set(entry.key, entry.created.getTime());
        else this.announced.delete(entry.key);
        if (entry.revision >= ownRevision) caughtUp.resolve();
      }
    })().catch((error: unknown) => this.log.warn({ err: error }, 'members watcher stopped'));
    const timer = setTimeout(() => caughtUp.resolve(), 10_000);
    await caughtUp.promise;
    clearTimeout(timer);
  }

  private liveMembersNow(): string[] {
    const now = Date.now();
    return [...this.announced]
      .filter(([, announcedAt]) => now - announcedAt < this.options.memberTtlMs)
      .map(([member]) => member)
      .sort();
  }

  private async tick(): Promise<void> {
    if (this.stopping) return;
    try {
      const revision = await this.announce();
      await this.renew();
      if (Date.now() - this.watchedAt > this.options.memberTtlMs / 2) {
        // A stalled watcher freezes everyone else's last announcement: they would expire here, and this worker,
        // alone in its own view, would take every shard and never hand one back.
        this.log.warn({ silentMs: Date.now() - this.watchedAt }, 'members watcher silent; watching again');
        this.watcher?.stop();
        await this.watchMembers(revision);
      }
      this.liveMembers = this.liveMembersNow();
      if (!this.liveMembers.includes(this.options.memberId)) this.liveMembers.push(this.options.memberId);
      await this.rebalance();
    } catch (error) {
      this.log.warn({ err: error }, 'shard coordination round failed');
      this.dropExpired();
    }
  }

  /** Renews every held lease; a lease that cannot be renewed was taken by someone else: the shard goes. */
  private async renew(): Promise<void> {
    const leases = this.leases as KV;
    await Promise.all(
      [...this.held].map(async ([shard, lease]) => {
        if (this.busy.has(shard)) return;
        try {
          lease.revision = await leases.update(leaseKey(shard), this.leaseValue(), lease.revision);
          lease.renewedAt = Date.now();
        } catch (error) {
          if (!/wrong last sequence/.test(String(error))) throw error;
          this.log.warn({ shard }, 'lease lost to another worker');
          await this.drop(shard);
        }
      }),
    );
  }

  /** Without the bus a lease cannot be renewed; past its TTL someone else may own the shard, so stop serving. */
  private dropExpired(): void {
    for (const [shard, lease] of this.held) {
      if (Date.now() - lease.renewedAt > this.options.leaseTtlMs) {
        this.log.warn({ shard }, 'lease expired while unrenewable; shard dropped');
        void this.drop(shard);
      }
    }
  }

  private leaseValue(): string {
    return JSON.stringify({ owner: this.options.memberId });
  }

  private async rebalance(): Promise<void> {
    const { shardCount, memberId } = this.options;
    const work: Promise<void>[] = [];
    for (let shard = 0; shard < shardCount; shard++) {
      if (this.busy.has(shard)) continue;
      const mine = ownerOf(shard, this.liveMembers) === memberId;
      if (mine && !this.held.has(shard)) work.push(this.exclusive(shard, () => this.tryAcquire(shard)));
      if (!mine && this.held.has(shard)) work.push(this.exclusive(shard, () => this.handOver(shard)));
    }
    await Promise.all(work);
  }

  private async exclusive(shard: number, task: () => Promise<void>): Promise<void> {
    this.busy.add(shard);
    try {
      await task();
    } catch (error) {
      this.log.warn({ shard, err: error }, 'shard change failed; retried next round');
    } finally {
      this.busy.delete(shard);
    }
  }

  private async tryAcquire(shard: number): Promise<void> {
    const leases = this.leases as KV;
    const key = leaseKey(shard);
    const current: KvEntry | null = await leases.get(key);
    let revision: number;
    if (current === null || current.operation !== 'PUT') {
      revision = await leases.create(key, this.leaseValue());
    } else {
      const { owner } = current.json<{ owner: string }>();
      const stale = Date.now() - current.created.getTime() > this.options.leaseTtlMs;
      // Our own id: a previous run of this stable identity, which is gone. Stale: its owner stopped renewing. A lease
      // still renewed is never taken, whatever this worker's view of the members: a worker that has just started,
      // or whose watcher lags, can see itself alone, and taking live leases then moved every shard to it and back.
      if (owner !== this.options.memberId && !stale) return;
      revision = await leases.update(key, this.leaseValue(), current.revision);
    }
    // The revision that made us owner is the fencing token: KV revisions only grow, so it beats every earlier owner.
    const lease: Lease = { token: revision, revision, renewedAt: Date.now() };
    this.held.set(shard, lease);
    try {
      await this.options.host.acquire(shard, lease.token);
    } catch (error) {
      this.held.delete(shard);
      await leases.delete(key, { previousSeq: lease.revision }).catch(() => undefined);
      throw error;
    }
    this.handOvers += 1;
    this.log.debug({ shard, token: lease.token }, 'shard acquired');
  }

  /** Graceful hand-over: stop consuming, flush, then release the lease so the new owner need not wait. */
  private async handOver(shard: number): Promise<void> {
    const lease = this.held.get(shard);
    if (lease === undefined) return;
    await this.options.host.release(shard);
    this.held.delete(shard);
    await (this.leases as KV).delete(leaseKey(shard), { previousSeq: lease.revision }).catch((error: unknown) => {
      this.log.warn({ shard, err: error }, 'lease release failed; it will expire');
    });
    this.log.debug({ shard }, 'shard handed over');
  }

  private async drop(shard: number): Promise<void> {
    this.held.delete(shard);
    await this.options.host.release(shard);
  }

  /** Leaves the cluster: hands every shard over and withdraws from membership. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.ticking;
    this.watcher?.stop();
    await this.members?.delete(this.options.memberId).catch(() => undefined);
    await Promise.all(this.ownedShards.map((shard) => this.exclusive(shard, () => this.handOver(shard))));
  }
}
