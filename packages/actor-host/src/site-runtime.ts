import type { Bus } from '@fleetwire/bus';
import { type FleetEvent, type SiteAllocation, shardOf, subjects } from '@fleetwire/contracts';
import {
  ceilingOf,
  effectiveLimitA,
  fallbackOf,
  persistedSiteSnapshot,
  type SiteContext,
  type SiteEmitted,
  type SiteEvent,
  siteMachine,
  siteMachineVersion,
  steerable,
} from '@fleetwire/site';
import type { StoredSnapshot, Stores } from '@fleetwire/store';
import type { FleetwireMetrics, Logger } from '@fleetwire/telemetry';
import { type Actor, createActor, type SnapshotFrom } from 'xstate';
import type { OwnedShard } from './charger-runtime.ts';
import { NotOwnerError } from './errors.ts';
import { SnapshotWriter } from './snapshot-writer.ts';
import { TimerService } from './timer-service.ts';

/** A site's snapshot lives beside the chargers', under a key no serial can have. */
export const siteSnapshotKey = (siteId: string) => `site:${siteId}`;

export interface SiteEntry {
  readonly siteId: string;
  readonly owned: OwnedShard;
  readonly actor: Actor<typeof siteMachine>;
  tail: Promise<unknown>;
  emitted: SiteEmitted[];
  committed: SnapshotFrom<typeof siteMachine> | undefined;
}

export interface SiteRuntimeOptions {
  readonly stores: Stores;
  readonly bus: Bus;
  readonly shardCount: number;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly metrics: FleetwireMetrics;
  readonly isServing: (owned: OwnedShard) => boolean;
  readonly onFenced: (owned: OwnedShard) => void;
}

/**
 * The site actors of a worker, hosted like its chargers: one input at a time per site, each committed (a fenced
 * snapshot: a site is small) before what it decided goes out — allocations to the chargers' actors with the
 * shard's lease token, events to the event log. A site's deadlines drive its own timer heap.
 */
export class SiteRuntime {
  readonly entries = new Map<string, SiteEntry>();
  private readonly timers: TimerService;
  private readonly writer: SnapshotWriter;
  private readonly options: SiteRuntimeOptions;
  private readonly log: Logger;

  constructor(options: SiteRuntimeOptions) {
    this.options = options;
    this.log = options.logger;
    this.timers = new TimerService(options.clock, (siteId, name, deadline) => this.fire(siteId, name, deadline));
    this.writer = new SnapshotWriter(options.stores.snapshots, options.metrics);
  }

  create(siteId: string, owned: OwnedShard, stored: StoredSnapshot | undefined): SiteEntry {
    const restorable = stored !== undefined && stored.snapshot !== null && stored.machineVersion === siteMachineVersion;
    if (stored !== undefined && !restorable) {
      this.log.error({ siteId, machineVersion: stored.machineVersion }, 'site snapshot not restorable; starting empty');
    }
    const actor = createActor(siteMachine, {
      input: { siteId },
      ...(restorable ? { snapshot: stored.snapshot as SnapshotFrom<typeof siteMachine> } : {}),
    });
    const entry: SiteEntry = { siteId, owned, actor, tail: Promise.resolve(), emitted: [], committed: undefined };
    actor.on('*', (item) => entry.emitted.push(item));
    actor.start();
    entry.committed = actor.getSnapshot();
    this.entries.set(siteId, entry);
    this.timers.sync(siteId, entry.committed.context.deadlines);
    // What the last owner committed and may not have sent: allocations carry their ids, so a charger drops a
    // repeat; events carry theirs, so the event log does.
    if (restorable) this.publish(entry, stored.outbox as unknown as SiteEmitted[]);
    return entry;
  }

  async load(siteId: string, owned: OwnedShard): Promise<SiteEntry> {
    const existing = this.entries.get(siteId);
    if (existing !== undefined) return existing;
    const stored = await this.options.stores.snapshots.claim([siteSnapshotKey(siteId)], owned.leaseToken);
    if (!this.options.isServing(owned)) throw new NotOwnerError(siteId, owned.shard);
    return this.entries.get(siteId) ?? this.create(siteId, owned, stored.get(siteSnapshotKey(siteId)));
  }

  forget(entry: SiteEntry): void {
    entry.actor.stop();
    this.entries.delete(entry.siteId);
    this.timers.forget(entry.siteId);
  }

  /** Applies one input to the site after every earlier one, and commits it before anything it decided goes out. */
  apply(entry: SiteEntry, event: SiteEvent): Promise<void> {
    const run = async () => {
      if (!this.options.isServing(entry.owned)) throw new NotOwnerError(entry.siteId, entry.owned.shard);
      entry.actor.send(event);
      await this.commit(entry);
    };
    const next = entry.tail.then(run, run);
    entry.tail = next.catch(() => undefined);
    return next;
  }

  private async commit(entry: SiteEntry): Promise<void> {
    const state = entry.actor.getSnapshot();
    const emitted = entry.emitted;
    entry.emitted = [];
    if (state === entry.committed && emitted.length === 0) return;
    const accepted = await this.writer.write({
      serial: siteSnapshotKey(entry.siteId),
      leaseToken: entry.owned.leaseToken,
      machineVersion: siteMachineVersion,
      lastSeq: 0,
      snapshot: persistedSiteSnapshot(state),
      outbox: emitted as unknown as StoredSnapshot['outbox'],
    });
    if (!accepted) {
      this.options.onFenced(entry.owned);
      throw new NotOwnerError(entry.siteId, entry.owned.shard);
    }
    entry.committed = state;
    this.timers.sync(entry.siteId, state.context.deadlines);
    this.publish(entry, emitted);
  }

  private publish(entry: SiteEntry, items: readonly SiteEmitted[]): void {
    const events: FleetEvent[] = [];
    for (const item of items) {
      if (item.type === 'allocation') {
        this.options.metrics.siteAllocationsSent.inc();
        const allocation: SiteAllocation = { ...item.data, token: entry.owned.leaseToken };
        this.options.bus.publish(
          subjects.siteAllocation(shardOf(item.serial, this.options.shardCount), item.serial),
          allocation,
        );
      } else {
        if (item.type === 'site-allocation') this.options.metrics.siteAllocationChanges.inc();
        if (item.type === 'alert' && item.data.kind === 'site-over-limit-risk')
          this.options.metrics.siteOverLimitRisks.inc();
        events.push(item as FleetEvent);
      }
    }
    if (events.length > 0) {
      void this.options.stores.events
        .append(events)
        .catch((error: unknown) => this.log.warn({ siteId: entry.siteId, err: error }, 'site events not appended'));
    }
  }

  private fire(siteId: string, name: string, deadline: number): void {
    const entry = this.entries.get(siteId);
    if (entry === undefined) return;
    void this.apply(entry, { type: 'TIMER', at: this.options.clock(), name, deadline }).catch((error: unknown) =>
      this.log.warn({ siteId, timer: name, err: error }, 'site timer input failed'),
    );
  }

  async drain(entries: readonly SiteEntry[]): Promise<void> {
    await Promise.all(entries.map((entry) => entry.tail));
    await this.writer.idle();
  }

  stop(): void {
    this.timers.stop();
  }
}

/** What `GET /api/sites/{siteId}` shows of a site's live allocation. */
export function siteView(context: SiteContext, at: number) {
  const definition = context.definition;
  const chargers = Object.entries(context.shares).map(([serial, share]) => ({
    serial,
    circuitId: share.circuitId,
    allowedA: share.allowedA,
    ceilingA: ceilingOf(share, at),
    measuredA: share.report?.measuredA ?? null,
    wants: share.report?.wants ?? null,
    online: share.report?.online ?? null,
    answering: steerable(share, at),
    queued: share.wantingSince !== null,
    channel: share.report?.channel ?? null,
    appliedAt: share.sentAt,
    confirmedAt: share.report?.confirmedId === share.allocationId ? share.report.confirmedAt : null,
    reportedAt: share.reportedAt,
  }));
  const sum = (pick: (charger: (typeof chargers)[number]) => number) =>
    chargers.reduce((total, charger) => total + pick(charger), 0);
  return {
    siteId: context.siteId,
    defined: definition !== null,
    limitA: effectiveLimitA(context, at),
    temporaryLimit: context.temporaryLimit,
    fallbackA: fallbackOf(context, at),
    allowedTotalA: sum((charger) => charger.allowedA),
    ceilingTotalA: sum((charger) => charger.ceilingA),
    measuredTotalA: sum((charger) => charger.measuredA ?? 0),
    circuits: (definition?.circuits ?? []).map((circuit) => ({
      id: circuit.id,
      limitA: Math.min(circuit.maxCurrentA, effectiveLimitA(context, at)),
      ceilingTotalA: chargers
        .filter((charger) => charger.circuitId === circuit.id)
        .reduce((total, charger) => total + charger.ceilingA, 0),
    })),
    chargers,
  };
}
