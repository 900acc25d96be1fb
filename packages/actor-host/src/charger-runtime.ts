import type { Subscription } from '@fleetwire/bus';
import {
  type ChargerContext,
  type ChargerEvent,
  type ChargerSnapshot,
  chargerLogic,
  chargerMachineVersion,
  type EmittedEvent,
  isJournaledInput,
  migrateSnapshot,
  type OcppCallOrder,
  persistedChargerSnapshot,
} from '@fleetwire/charger';
import type { CommandSink, Outgoing, SiteReportItem, StreamDelivery } from '@fleetwire/contracts';
import type { JournaledInputs, StoredSnapshot, Stores } from '@fleetwire/store';
import type { FleetwireMetrics, Logger } from '@fleetwire/telemetry';
import { type Actor, createActor } from 'xstate';
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
  readonly actor: Actor<typeof chargerLogic>;
  /** The end of this charger's mailbox: inputs run one after another, each to its commit. */
  tail: Promise<unknown>;
  depth: number;
  /** Emitted since the last commit. */
  emitted: EmittedEvent[];
  /** Inputs applied since the last commit, which the commit journals (or covers with a snapshot). */
  applied: ChargerEvent[];
  /** Committed and not yet published. */
  readonly outbox: Outgoing[];
  /** How many outbox items were published before `outbox[0]`, and how many the store knows were. */
  published: number;
  storedPublished: number;
  /** Commits journaled since the stored snapshot; the next commit writes a snapshot when due. */
  journaled: number;
  snapshotDue: boolean;
  committed: ChargerSnapshot | undefined;
  publishing: Promise<void> | undefined;
  /** Stream sequence applied to the actor, and the one the stored snapshot holds. */
  lastSeq: number;
  committedSeq: number;
  /** Stream messages applied but not yet committed: acknowledged by the commit that covers them. */
  pendingAcks: StreamDelivery[];
  /** Set when the actor was let go (`passivate`): its inputs go to the charger's next entry, loaded from the store. */
  passivated: boolean;
}

/** What the census needs of a charger whose actor was let go: the figures of its last state. */
export interface PassivatedCharger {
  readonly owned: OwnedShard;
  readonly status: string;
  readonly connected: boolean;
  readonly activeTransactions: number;
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
  /** Sends chargers' reports to their sites (at most once: a charger reports again within a minute). */
  readonly reportToSites?: (reports: readonly SiteReportItem[]) => void;
  /**
   * A snapshot every this many commits; the commits between journal their inputs (ADR 10). 1: a snapshot every
   * commit, what releases before the journal wrote (and all they can read).
   */
  readonly snapshotEvery?: number;
  /**
   * An actor without an input for this long is let go: its state is in the store, its deadlines stay armed, and
   * its next input loads it again (Orleans' grains and Akka's passivation do the same). Undefined: never.
   */
  readonly passivateAfterMs?: number;
  /**
   * Beyond this many live actors the least recently used are let go too, quiet or not: a worker's memory stays
   * bounded however fast its chargers arrive (a ramp or a storm brings thousands within the quiet time).
   */
  readonly maxLiveActors?: number;
}

const maxMailboxDepth = 64;
// Quiet actors are looked for this often, and at most this many let go a pass, so that it never comes in bursts.
const passivateIntervalMs = 1_000;
const maxPassivationsPerPass = 2_000;
export const defaultSnapshotEvery = 16;
// What was published is recorded by the charger's next commit anyway; only a charger that stays quiet records it
// on its own, a while later (well inside the event log's 120 s dedup window, so that a restore publishing it again
// is a duplicate that is dropped) and a bounded number at a time, so that this never comes in bursts.
const tidyAfterMs = 30_000;
const tidyIntervalMs = 250;
const maxTidiesPerPass = 250;

/**
 * The live charger actors of a worker and the discipline around them: one input at a time per charger, each to a
 * durable, fenced commit — its inputs appended to the charger's journal, or every `snapshotEvery` commits (and on
 * hand-over) a snapshot; the events and commands it produced are published after the commit (an outbox that a
 * restore rebuilds by replaying the journal); deadlines drive one timer heap.
 */
export class ChargerRuntime {
  readonly entries = new Map<string, ChargerEntry>();
  private readonly loading = new Map<string, Promise<ChargerEntry>>();
  /** Chargers whose actor was let go, by serial: their state is in the store. */
  readonly passivated = new Map<string, PassivatedCharger>();
  /** Chargers whose stored outbox holds published items, with when that became so (oldest first). */
  private readonly needsTidy = new Map<ChargerEntry, number>();
  /** Live actors by the time of their last commit, least recent first: the candidates for passivation. */
  private readonly quiet = new Map<ChargerEntry, number>();
  /** Loads asked for in this turn of the event loop, claimed from the store in one request per shard. */
  private claims = new Map<OwnedShard, Map<string, PromiseWithResolvers<ChargerEntry>>>();
  private readonly passivateTimer: NodeJS.Timeout | undefined;
  private readonly timers: TimerService;
  private readonly writer: SnapshotWriter;
  private readonly publisher: OutboxPublisher;
  private readonly tidyTimer: NodeJS.Timeout;
  private readonly options: ChargerRuntimeOptions;
  private readonly log: Logger;
  private readonly snapshotEvery: number;

  constructor(options: ChargerRuntimeOptions) {
    this.options = options;
    this.log = options.logger;
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? defaultSnapshotEvery);
    this.timers = new TimerService(options.clock, (serial, name, deadline) => this.fire(serial, name, deadline));
    this.writer = new SnapshotWriter(options.stores.snapshots, options.metrics);
    this.publisher = new OutboxPublisher(options.stores, options.commands, options.metrics, options.reportToSites);
    this.tidyTimer = setInterval(() => this.tidy(), tidyIntervalMs);
    this.tidyTimer.unref();
    if (options.passivateAfterMs !== undefined || options.maxLiveActors !== undefined) {
      this.passivateTimer = setInterval(() => this.passivateQuiet(), passivateIntervalMs);
      this.passivateTimer.unref();
    }
  }

  create(serial: string, owned: OwnedShard, stored: StoredSnapshot | undefined): ChargerEntry {
    let snapshot: ChargerSnapshot | undefined;
    if (stored !== undefined && stored.snapshot !== null) {
      try {
        snapshot = migrateSnapshot(stored);
      } catch (error) {
        this.log.error({ serial, err: error }, 'charger snapshot cannot be restored; starting from an empty model');
      }
    }
    const actor = createActor(chargerLogic, {
      input: { serial, heartbeatIntervalS: this.options.heartbeatIntervalS },
      ...(snapshot === undefined ? {} : { snapshot }),
    });
    const published = stored?.published ?? 0;
    const entry: ChargerEntry = {
      serial,
      owned,
      actor,
      tail: Promise.resolve(),
      depth: 0,
      emitted: [],
      applied: [],
      outbox: [...(stored?.outbox ?? [])],
      published,
      storedPublished: published,
      journaled: 0,
      // A charger's first commit is a snapshot, and so is a new owner's first after replaying a journal or
      // migrating: the journal after a snapshot is then always written by the release that wrote the snapshot.
      snapshotDue:
        snapshot === undefined || (stored?.inputs?.length ?? 0) > 0 || stored?.machineVersion !== chargerMachineVersion,
      committed: undefined,
      publishing: undefined,
      lastSeq: stored?.lastSeq ?? 0,
      committedSeq: 0,
      pendingAcks: [],
      passivated: false,
    };
    actor.on('*', (item) => entry.emitted.push(item));
    actor.start();
    if (snapshot !== undefined) this.replay(entry, stored?.inputs ?? []);
    entry.committedSeq = entry.lastSeq;
    entry.committed = actor.getSnapshot();
    this.entries.set(serial, entry);
    this.passivated.delete(serial);
    owned.serials.add(serial);
    this.timers.sync(serial, entry.committed.context.deadlines);
    this.quiet.set(entry, this.options.clock());
    this.publish(entry);
    return entry;
  }

  /**
   * Runs the journaled inputs through the restored snapshot again, rebuilding the outbox: what they emitted, less
   * what the journal says was published. Central-system CALLs they ordered are not sent again: the model gives up
   * on those by its own deadline.
   */
  private replay(entry: ChargerEntry, journal: readonly JournaledInputs[]): void {
    let total = entry.published + entry.outbox.length;
    for (const record of journal) {
      if (record.machineVersion > chargerMachineVersion) {
        this.log.error(
          { serial: entry.serial, machineVersion: record.machineVersion },
          'journal written by a newer release; its inputs are not replayed',
        );
        break;
      }
      for (const input of record.inputs) entry.actor.send(input as ChargerEvent);
      const items = entry.emitted.filter((item) => item.type !== 'ocpp-call') as Outgoing[];
      entry.emitted = [];
      if (items.length !== record.emitted) {
        this.log.error(
          { serial: entry.serial, expected: record.emitted, replayed: items.length },
          'journal replay emitted a different number of items than the commit did',
        );
      }
      entry.outbox.push(...items);
      total += items.length;
      entry.lastSeq = Math.max(entry.lastSeq, record.lastSeq);
      if (record.published > entry.published) {
        entry.outbox.splice(0, Math.min(entry.outbox.length, record.published - entry.published));
        entry.published = Math.min(record.published, total);
      }
    }
    entry.storedPublished = entry.published;
  }

  /**
   * The live entry of a charger of `owned`: one registered after its shard was acquired, or one that was let go.
   * Fenced and loaded from the store; the loads asked for in one turn go as one claim per shard (a reconnect storm
   * asks for thousands at once).
   */
  load(serial: string, owned: OwnedShard): Promise<ChargerEntry> {
    const existing = this.entries.get(serial);
    if (existing !== undefined) return Promise.resolve(existing);
    let loading = this.loading.get(serial);
    if (loading === undefined) {
      const claim = Promise.withResolvers<ChargerEntry>();
      loading = claim.promise;
      if (this.claims.size === 0) setImmediate(() => this.claimNow());
      let ofShard = this.claims.get(owned);
      if (ofShard === undefined) {
        ofShard = new Map();
        this.claims.set(owned, ofShard);
      }
      ofShard.set(serial, claim);
      this.loading.set(serial, loading);
      const done = () => this.loading.delete(serial);
      loading.then(done, done);
    }
    return loading;
  }

  private claimNow(): void {
    const claims = this.claims;
    this.claims = new Map();
    for (const [owned, ofShard] of claims) {
      this.options.stores.snapshots.claim([...ofShard.keys()], owned.leaseToken).then(
        (stored) => {
          for (const [serial, claim] of ofShard) {
            if (!this.options.isServing(owned)) claim.reject(new NotOwnerError(serial, owned.shard));
            else claim.resolve(this.entries.get(serial) ?? this.create(serial, owned, stored.get(serial)));
          }
        },
        (error: unknown) => {
          for (const claim of ofShard.values()) claim.reject(error);
        },
      );
    }
  }

  /** Whether the charger has an actor here, live or let go. */
  knows(serial: string): boolean {
    return this.entries.has(serial) || this.passivated.has(serial);
  }

  /** The charger's entry when it has an actor here: the live one, or loaded again if it was let go. */
  entryOf(serial: string): Promise<ChargerEntry> | undefined {
    const live = this.entries.get(serial);
    if (live !== undefined) return Promise.resolve(live);
    const owned = this.passivated.get(serial)?.owned;
    return owned === undefined ? undefined : this.load(serial, owned);
  }

  forget(entry: ChargerEntry): void {
    entry.actor.stop();
    this.entries.delete(entry.serial);
    entry.owned.serials.delete(entry.serial);
    this.needsTidy.delete(entry);
    this.quiet.delete(entry);
    this.timers.forget(entry.serial);
  }

  /** Forgets the chargers of `owned` whose actors were let go (the shard was handed over or fenced off). */
  forgetPassivated(owned: OwnedShard): void {
    for (const serial of [...owned.serials]) {
      if (this.passivated.get(serial)?.owned !== owned) continue;
      this.passivated.delete(serial);
      owned.serials.delete(serial);
      this.timers.forget(serial);
    }
  }

  /**
   * Runs `work` after every earlier input of the charger, as long as its shard is still served here. `work` gets
   * the entry it runs on: when the actor was let go in the meantime, that is the charger's next entry.
   */
  enqueue<T>(entry: ChargerEntry, work: (entry: ChargerEntry) => Promise<T>): Promise<T> {
    if (entry.passivated) return this.load(entry.serial, entry.owned).then((next) => this.enqueue(next, work));
    if (entry.depth >= maxMailboxDepth) {
      return Promise.reject(new Error(`busy: ${entry.serial} has ${entry.depth} inputs waiting`));
    }
    entry.depth += 1;
    const guarded = async () => {
      if (!this.options.isServing(entry.owned)) throw new NotOwnerError(entry.serial, entry.owned.shard);
      if (entry.passivated) return this.enqueue(await this.load(entry.serial, entry.owned), work);
      return work(entry);
    };
    const run = entry.tail.then(guarded, guarded);
    const done = () => {
      entry.depth -= 1;
    };
    entry.tail = run.then(done, done);
    return run;
  }

  /** Applies one input to the charger; the next commit makes it durable. */
  send(entry: ChargerEntry, event: ChargerEvent): void {
    entry.applied.push(event);
    entry.actor.send(event);
  }

  /** Sends one input to the charger and commits what it changed; resolves with the entry it ran on. */
  apply(entry: ChargerEntry, event: ChargerEvent): Promise<ChargerEntry> {
    return this.enqueue(entry, async (current) => {
      this.send(current, event);
      await this.commit(current);
      return current;
    });
  }

  /**
   * Makes what the charger's inputs since the last commit changed durable, then hands on what they emitted. With
   * `snapshot`, writes a snapshot even when only the published mark or the journal is behind.
   */
  async commit(entry: ChargerEntry, snapshot = false): Promise<void> {
    const state = entry.actor.getSnapshot();
    const emitted = entry.emitted;
    const applied = entry.applied;
    entry.emitted = [];
    entry.applied = [];
    const behind = entry.published !== entry.storedPublished || (snapshot && entry.journaled > 0);
    if (
      state.context === entry.committed?.context &&
      emitted.length === 0 &&
      entry.lastSeq === entry.committedSeq &&
      !behind
    ) {
      this.acknowledge(entry);
      return;
    }
    const orders: OcppCallOrder[] = [];
    const items: Outgoing[] = [];
    for (const item of emitted) {
      if (item.type === 'ocpp-call') orders.push(item);
      else items.push(item);
    }
    const lastSeq = entry.lastSeq;
    const published = entry.published;
    const asSnapshot =
      snapshot ||
      entry.snapshotDue ||
      entry.journaled + 1 >= this.snapshotEvery ||
      !applied.every((input) => isJournaledInput(input));
    const common = { serial: entry.serial, leaseToken: entry.owned.leaseToken, machineVersion: chargerMachineVersion };
    const accepted = await this.writer
      .write(
        asSnapshot
          ? {
              ...common,
              lastSeq,
              snapshot: persistedChargerSnapshot(state),
              outbox: items.length === 0 ? [...entry.outbox] : [...entry.outbox, ...items],
              published,
            }
          : { ...common, kind: 'inputs', lastSeq, inputs: applied, emitted: items.length, published },
      )
      .catch((error: unknown) => {
        // The inputs are applied but not journaled: only a snapshot can cover them now.
        entry.snapshotDue = true;
        throw error;
      });
    if (!accepted) {
      this.options.onFenced(entry.owned);
      throw new NotOwnerError(entry.serial, entry.owned.shard);
    }
    entry.committed = state;
    entry.committedSeq = lastSeq;
    entry.outbox.push(...items);
    entry.storedPublished = published;
    if (asSnapshot) {
      entry.journaled = 0;
      entry.snapshotDue = false;
    } else entry.journaled += 1;
    // This commit recorded whatever had been published: the charger needs no tidy until it publishes again.
    this.needsTidy.delete(entry);
    // Quiet since its last input: a tidy or a snapshot of its own does not count.
    if (applied.length > 0) {
      this.quiet.delete(entry);
      this.quiet.set(entry, this.options.clock());
    }
    this.acknowledge(entry);
    this.timers.sync(entry.serial, state.context.deadlines);
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
        entry.published += batch.length;
      }
      if (entry.published !== entry.storedPublished && !this.needsTidy.has(entry)) {
        this.needsTidy.set(entry, this.options.clock());
      }
    } catch (error) {
      this.log.error({ serial: entry.serial, err: error }, 'publishing charger outbox failed; retrying');
      setTimeout(() => this.publish(entry), 1_000).unref();
    }
  }

  /**
   * Records what quiet chargers published, so that a restart does not publish it again long after (a dedup window
   * is minutes, not days). Only chargers quiet for `tidyAfterMs`, oldest first, at most `maxTidiesPerPass` a pass.
   */
  private tidy(): void {
    const due = this.options.clock() - tidyAfterMs;
    let tidied = 0;
    for (const [entry, since] of this.needsTidy) {
      if (since > due || tidied === maxTidiesPerPass) return;
      this.needsTidy.delete(entry);
      if (entry.storedPublished === entry.published) continue;
      tidied += 1;
      void this.tidyNow(entry).catch((error: unknown) =>
        this.log.debug({ serial: entry.serial, err: error }, 'outbox tidy skipped'),
      );
    }
  }

  tidyNow(entry: ChargerEntry): Promise<void> {
    if (entry.storedPublished === entry.published) return Promise.resolve();
    return this.enqueue(entry, (current) => this.commit(current));
  }

  /** Writes a snapshot if the journal or the published mark is behind the charger. */
  snapshotNow(entry: ChargerEntry): Promise<void> {
    if (entry.storedPublished === entry.published && entry.journaled === 0) return Promise.resolve();
    return this.enqueue(entry, (current) => this.commit(current, true));
  }

  private fire(serial: string, name: string, deadline: number): void {
    const entry = this.entryOf(serial);
    if (entry === undefined) return;
    const input: ChargerEvent = { type: 'TIMER', at: this.options.clock(), name, deadline };
    void entry
      .then((current) => this.apply(current, input))
      .catch((error: unknown) => this.log.warn({ serial, timer: name, err: error }, 'timer input failed'));
  }

  /** Lets go of the actors quiet for `passivateAfterMs`, and of the least recent beyond `maxLiveActors`. */
  private passivateQuiet(): void {
    const { passivateAfterMs, maxLiveActors } = this.options;
    const due = passivateAfterMs === undefined ? Number.NEGATIVE_INFINITY : this.options.clock() - passivateAfterMs;
    const excess = maxLiveActors === undefined ? 0 : this.entries.size - maxLiveActors;
    let passivated = 0;
    // Busy now (publishing, a stream acknowledgement pending): looked at again on a later pass.
    const busy: [ChargerEntry, number][] = [];
    for (const [entry, since] of this.quiet) {
      if ((since > due && passivated >= excess) || passivated === maxPassivationsPerPass) break;
      this.quiet.delete(entry);
      if (!this.canPassivate(entry)) {
        if (!entry.passivated && this.entries.get(entry.serial) === entry) busy.push([entry, since]);
        continue;
      }
      passivated += 1;
      void this.passivate(entry).catch((error: unknown) =>
        this.log.debug({ serial: entry.serial, err: error }, 'actor kept: passivation failed'),
      );
    }
    for (const [entry, since] of busy) this.quiet.set(entry, since);
  }

  /** Nothing of the charger is unpublished, being published or unacknowledged. */
  private settled(entry: ChargerEntry): boolean {
    return entry.outbox.length === 0 && entry.publishing === undefined && entry.pendingAcks.length === 0;
  }

  /** Nothing waits in the charger's mailbox, nothing of it is unpublished or unacknowledged. */
  private canPassivate(entry: ChargerEntry): boolean {
    return (
      !entry.passivated &&
      entry.depth === 0 &&
      this.settled(entry) &&
      entry.emitted.length === 0 &&
      entry.applied.length === 0 &&
      this.options.isServing(entry.owned)
    );
  }

  /**
   * Lets go of a quiet charger's actor, in its mailbox: a snapshot first where the journal or the published mark is
   * behind (its next load then replays nothing and publishes nothing again), then the actor goes; its deadlines
   * stay armed, and its census figures stay for the metrics.
   */
  passivate(entry: ChargerEntry): Promise<void> {
    if (!this.canPassivate(entry)) return Promise.resolve();
    return this.enqueue(entry, async (current) => {
      if (current !== entry || entry.depth > 1) return;
      if (entry.journaled > 0 || entry.published !== entry.storedPublished) await this.commit(entry, true);
      if (entry.depth > 1 || !this.canPassivateNow(entry)) return;
      const { context } = entry.actor.getSnapshot();
      this.passivated.set(entry.serial, {
        owned: entry.owned,
        status: statusOf(context),
        connected: context.session !== null,
        activeTransactions: context.transactions.length,
      });
      entry.passivated = true;
      entry.actor.stop();
      this.entries.delete(entry.serial);
      this.needsTidy.delete(entry);
      this.quiet.delete(entry);
    });
  }

  /** `canPassivate`, from inside the mailbox (where this very input counts as one). */
  private canPassivateNow(entry: ChargerEntry): boolean {
    return this.settled(entry) && entry.published === entry.storedPublished && entry.journaled === 0;
  }

  /**
   * Finishes what is in flight for these chargers, publishes what they committed and writes a snapshot where the
   * journal has inputs, so that the next owner starts from a snapshot and replays nothing.
   */
  async drain(entries: readonly ChargerEntry[]): Promise<void> {
    await Promise.all(entries.map((entry) => entry.tail));
    await Promise.all(
      entries.map((entry) =>
        this.publishNow(entry)
          .then(() => this.snapshotNow(entry))
          .catch((error: unknown) => this.log.warn({ serial: entry.serial, err: error }, 'hand-over flush failed')),
      ),
    );
    await this.writer.idle();
  }

  stop(): void {
    clearInterval(this.tidyTimer);
    clearInterval(this.passivateTimer);
    this.timers.stop();
  }
}

/** A charger's status for the census: connector 1's (else 0's) while connected, else offline. */
export function statusOf(context: ChargerContext): string {
  if (context.session === null) return 'offline';
  return context.connectors['1']?.status ?? context.connectors['0']?.status ?? 'Unknown';
}
