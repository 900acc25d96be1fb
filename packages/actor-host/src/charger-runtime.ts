import type { Subscription } from '@fleetwire/bus';
import {
  type ChargerEvent,
  chargerMachine,
  chargerMachineVersion,
  type EmittedEvent,
  migrateSnapshot,
  type OcppCallOrder,
  persistedChargerSnapshot,
} from '@fleetwire/charger';
import type { CommandSink, Outgoing, StreamDelivery } from '@fleetwire/contracts';
import type { StoredSnapshot, Stores } from '@fleetwire/store';
import type { FleetwireMetrics, Logger } from '@fleetwire/telemetry';
import { type Actor, createActor, type SnapshotFrom } from 'xstate';
import { NotOwnerError } from './errors.ts';
import { OutboxPublisher } from './outbox.ts';
import { SnapshotWriter } from './snapshot-writer.ts';
import { TimerService } from './timer-service.ts';

export interface OwnedShard {
  readonly shard: number;
  readonly leaseToken: number;
  readonly serials: Set<string>;
  readonly subscriptions: Subscription[];
  /** Set while handing the shard over: inputs in flight finish, no new charger is loaded. */
  releasing: boolean;
  closeStream?: () => Promise<void>;
}

export interface ChargerEntry {
  readonly serial: string;
  readonly owned: OwnedShard;
  readonly actor: Actor<typeof chargerMachine>;
  /** The end of this charger's mailbox: inputs run one after another, each to its commit. */
  tail: Promise<unknown>;
  depth: number;
  /** Emitted since the last commit. */
  emitted: EmittedEvent[];
  /** Committed with a snapshot and not yet published. */
  readonly outbox: Outgoing[];
  /** How many items the stored snapshot's outbox holds; written back once they are published. */
  storedOutbox: number;
  committed: SnapshotFrom<typeof chargerMachine> | undefined;
  publishing: Promise<void> | undefined;
  /** Stream sequence applied to the actor, and the one the stored snapshot holds. */
  lastSeq: number;
  committedSeq: number;
  /** Stream messages applied but not yet committed: acknowledged by the commit that covers them. */
  pendingAcks: StreamDelivery[];
}

export interface ChargerRuntimeOptions {
  readonly stores: Stores;
  readonly commands: CommandSink | undefined;
  readonly heartbeatIntervalS: number;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Whether inputs may still run for charger entries of this shard. */
  readonly isServing: (owned: OwnedShard) => boolean;
  /** A newer owner fenced the shard off. */
  readonly onFenced: (owned: OwnedShard) => void;
  /**
   * After every commit, with what it committed: the events and commands now in the outbox, and the central-system
   * CALLs the model ordered, for the host to send (never before the decision is durable, never by a fenced owner).
   */
  readonly onCommitted?: (serial: string, items: readonly Outgoing[], orders: readonly OcppCallOrder[]) => void;
  readonly metrics: FleetwireMetrics;
}

const maxMailboxDepth = 64;
// An outbox emptied by publishing is written back by the charger's next commit anyway; only a charger that stays
// quiet is tidied on its own, a while later and a bounded number at a time, so tidying never comes in bursts.
const tidyAfterMs = 10_000;
const tidyIntervalMs = 250;
const maxTidiesPerPass = 250;

/**
 * The live charger actors of a worker and the discipline around them: one input at a time per charger, each to a
 * durable, fenced commit of its snapshot; the events and commands it produced ride in that snapshot (an outbox)
 * and are published after the commit; deadlines drive one timer heap.
 */
export class ChargerRuntime {
  readonly entries = new Map<string, ChargerEntry>();
  private readonly loading = new Map<string, Promise<ChargerEntry>>();
  /** Chargers whose stored outbox holds published items, with when that became so (oldest first). */
  private readonly needsTidy = new Map<ChargerEntry, number>();
  private readonly timers: TimerService;
  private readonly writer: SnapshotWriter;
  private readonly publisher: OutboxPublisher;
  private readonly tidyTimer: NodeJS.Timeout;
  private readonly options: ChargerRuntimeOptions;
  private readonly log: Logger;

  constructor(options: ChargerRuntimeOptions) {
    this.options = options;
    this.log = options.logger;
    this.timers = new TimerService(options.clock, (serial, name, deadline) => this.fire(serial, name, deadline));
    this.writer = new SnapshotWriter(options.stores.snapshots, options.metrics);
    this.publisher = new OutboxPublisher(options.stores, options.commands, options.metrics);
    this.tidyTimer = setInterval(() => this.tidy(), tidyIntervalMs);
    this.tidyTimer.unref();
  }

  create(serial: string, owned: OwnedShard, stored: StoredSnapshot | undefined): ChargerEntry {
    let snapshot: unknown;
    if (stored !== undefined && stored.snapshot !== null) {
      try {
        snapshot = migrateSnapshot(stored);
      } catch (error) {
        this.log.error({ serial, err: error }, 'charger snapshot cannot be restored; starting from an empty model');
      }
    }
    const actor = createActor(chargerMachine, {
      input: { serial, heartbeatIntervalS: this.options.heartbeatIntervalS },
      ...(snapshot === undefined ? {} : { snapshot: snapshot as SnapshotFrom<typeof chargerMachine> }),
    });
    const lastSeq = stored?.lastSeq ?? 0;
    const entry: ChargerEntry = {
      serial,
      owned,
      actor,
      tail: Promise.resolve(),
      depth: 0,
      emitted: [],
      outbox: [...(stored?.outbox ?? [])],
      storedOutbox: stored?.outbox.length ?? 0,
      committed: undefined,
      publishing: undefined,
      lastSeq,
      committedSeq: lastSeq,
      pendingAcks: [],
    };
    actor.on('*', (item) => entry.emitted.push(item));
    actor.start();
    entry.committed = actor.getSnapshot();
    this.entries.set(serial, entry);
    owned.serials.add(serial);
    this.timers.sync(serial, entry.committed.context.deadlines);
    this.publish(entry);
    return entry;
  }

  /** The entry of a charger registered after its shard was acquired: fenced and loaded alone. */
  load(serial: string, owned: OwnedShard): Promise<ChargerEntry> {
    const existing = this.entries.get(serial);
    if (existing !== undefined) return Promise.resolve(existing);
    let loading = this.loading.get(serial);
    if (loading === undefined) {
      loading = this.options.stores.snapshots.claim([serial], owned.leaseToken).then((stored) => {
        if (!this.options.isServing(owned)) throw new NotOwnerError(serial, owned.shard);
        return this.entries.get(serial) ?? this.create(serial, owned, stored.get(serial));
      });
      this.loading.set(serial, loading);
      const done = () => this.loading.delete(serial);
      loading.then(done, done);
    }
    return loading;
  }

  forget(entry: ChargerEntry): void {
    entry.actor.stop();
    this.entries.delete(entry.serial);
    entry.owned.serials.delete(entry.serial);
    this.needsTidy.delete(entry);
    this.timers.forget(entry.serial);
  }

  /** Runs `work` after every earlier input of the charger, as long as its shard is still served here. */
  enqueue<T>(entry: ChargerEntry, work: () => Promise<T>): Promise<T> {
    if (entry.depth >= maxMailboxDepth) {
      return Promise.reject(new Error(`busy: ${entry.serial} has ${entry.depth} inputs waiting`));
    }
    entry.depth += 1;
    const guarded = async () => {
      if (!this.options.isServing(entry.owned)) throw new NotOwnerError(entry.serial, entry.owned.shard);
      return work();
    };
    const run = entry.tail.then(guarded, guarded);
    const done = () => {
      entry.depth -= 1;
    };
    entry.tail = run.then(done, done);
    return run;
  }

  /** Sends one input to the charger and commits what it changed. */
  apply(entry: ChargerEntry, event: ChargerEvent): Promise<void> {
    return this.enqueue(entry, async () => {
      entry.actor.send(event);
      await this.commit(entry);
    });
  }

  async commit(entry: ChargerEntry): Promise<void> {
    const snapshot = entry.actor.getSnapshot();
    const emitted = entry.emitted;
    const unchanged =
      snapshot === entry.committed &&
      emitted.length === 0 &&
      entry.storedOutbox === entry.outbox.length &&
      entry.lastSeq === entry.committedSeq;
    if (unchanged) {
      this.acknowledge(entry);
      return;
    }
    entry.emitted = [];
    const orders: OcppCallOrder[] = [];
    const items: Outgoing[] = [];
    for (const item of emitted) {
      if (item.type === 'ocpp-call') orders.push(item);
      else items.push(item);
    }
    const outbox = items.length === 0 ? [...entry.outbox] : [...entry.outbox, ...items];
    const lastSeq = entry.lastSeq;
    const accepted = await this.writer.write({
      serial: entry.serial,
      machineVersion: chargerMachineVersion,
      leaseToken: entry.owned.leaseToken,
      lastSeq,
      snapshot: persistedChargerSnapshot(snapshot),
      outbox,
    });
    if (!accepted) {
      this.options.onFenced(entry.owned);
      throw new NotOwnerError(entry.serial, entry.owned.shard);
    }
    entry.committed = snapshot;
    entry.committedSeq = lastSeq;
    entry.outbox.push(...items);
    entry.storedOutbox = outbox.length;
    // This commit wrote back whatever had been published: the charger needs no tidy until it publishes again.
    this.needsTidy.delete(entry);
    this.acknowledge(entry);
    this.timers.sync(entry.serial, snapshot.context.deadlines);
    if (emitted.length > 0) this.options.onCommitted?.(entry.serial, items, orders);
    this.publish(entry);
  }

  private acknowledge(entry: ChargerEntry): void {
    const covered = entry.pendingAcks.filter((delivery) => delivery.seq <= entry.committedSeq);
    if (covered.length === 0) return;
    entry.pendingAcks = entry.pendingAcks.filter((delivery) => delivery.seq > entry.committedSeq);
    for (const delivery of covered) delivery.ack();
  }

  publish(entry: ChargerEntry): void {
    if (entry.publishing !== undefined || entry.outbox.length === 0) return;
    entry.publishing = this.publishNow(entry).finally(() => {
      entry.publishing = undefined;
    });
  }

  async publishNow(entry: ChargerEntry): Promise<void> {
    if (entry.publishing !== undefined) await entry.publishing;
    try {
      while (entry.outbox.length > 0) {
        const batch = entry.outbox.slice();
        await this.publisher.publish(batch);
        entry.outbox.splice(0, batch.length);
      }
      if (entry.storedOutbox > 0 && !this.needsTidy.has(entry)) this.needsTidy.set(entry, this.options.clock());
    } catch (error) {
      this.log.error({ serial: entry.serial, err: error }, 'publishing charger outbox failed; retrying');
      setTimeout(() => this.publish(entry), 1_000).unref();
    }
  }

  /**
   * Writes the emptied outbox of chargers whose items were published, so that a restart does not publish them
   * again long after (a dedup window is minutes, not days). Only chargers quiet for `tidyAfterMs`, oldest first,
   * at most `maxTidiesPerPass` a pass.
   */
  private tidy(): void {
    const due = this.options.clock() - tidyAfterMs;
    let tidied = 0;
    for (const [entry, since] of this.needsTidy) {
      if (since > due || tidied === maxTidiesPerPass) return;
      this.needsTidy.delete(entry);
      if (entry.storedOutbox === entry.outbox.length) continue;
      tidied += 1;
      void this.tidyNow(entry).catch((error: unknown) =>
        this.log.debug({ serial: entry.serial, err: error }, 'outbox tidy skipped'),
      );
    }
  }

  tidyNow(entry: ChargerEntry): Promise<void> {
    if (entry.storedOutbox === entry.outbox.length) return Promise.resolve();
    return this.enqueue(entry, () => this.commit(entry));
  }

  private fire(serial: string, name: string, deadline: number): void {
    const entry = this.entries.get(serial);
    if (entry === undefined) return;
    void this.apply(entry, { type: 'TIMER', at: this.options.clock(), name, deadline }).catch((error: unknown) =>
      this.log.warn({ serial, timer: name, err: error }, 'timer input failed'),
    );
  }

  /** Finishes what is in flight for these chargers, publishes what they committed, writes back the outbox. */
  async drain(entries: readonly ChargerEntry[]): Promise<void> {
    await Promise.all(entries.map((entry) => entry.tail));
    await Promise.all(
      entries.map((entry) =>
        this.publishNow(entry)
          .then(() => this.tidyNow(entry))
          .catch((error: unknown) => this.log.warn({ serial: entry.serial, err: error }, 'hand-over flush failed')),
      ),
    );
    await this.writer.idle();
  }

  stop(): void {
    clearInterval(this.tidyTimer);
    this.timers.stop();
  }
}
