import type { TransactionRecord } from '@fleetwire/contracts';
import { type ActorSystem, type ActorSystemInfo, fromTransition, type SnapshotFrom } from 'xstate';
import type {
  ChargerContext,
  ChargerEvent,
  ChargerInput,
  EmittedEvent,
  ObservationKey,
  ObservedValue,
} from './model.ts';
import { observationEntries, observationKey } from './observed.ts';
import { initialContext, initialDecisionState, initialStreamState, reduceInput } from './reduce.ts';

/**
 * The version of the stored snapshot's shape (it began as the state machine's, hence the name); bumped whenever
 * that shape changes, and `migrateSnapshot` brings older ones forward so that a rolling upgrade can restore what
 * the previous release wrote.
 */
export const chargerMachineVersion = 4;

/**
 * A charger's actor logic: each input goes through `reduceInput`, which decides everything (ADR 1), and what it
 * emits goes to the actor's listeners. Transition logic rather than a state machine: the machine's two states
 * (online, offline) only restated `context.session`, and interpreting it cost three times the reducer itself (ADR 15).
 */
export const chargerLogic = fromTransition<
  ChargerContext,
  ChargerEvent,
  ActorSystem<ActorSystemInfo>,
  ChargerInput,
  EmittedEvent
>(
  (context, event, scope) => {
    const reduced = reduceInput(context, event);
    for (const emitted of reduced.events) scope.emit(emitted);
    return reduced.context;
  },
  ({ input }) => initialContext(input),
);

export type ChargerSnapshot = SnapshotFrom<typeof chargerLogic>;

/**
 * The stored form of a charger snapshot: the shape the state machine of earlier releases persisted (its state
 * value, `online` or `offline`, is whether the charger has a session), so that such a release restores it during a
 * rolling upgrade. The context is shared but for the two collections kept differently in memory (`storedContext`).
 */
export function persistedChargerSnapshot(snapshot: ChargerSnapshot): unknown {
  const { status, output, error, context } = snapshot;
  const value = context.session === null ? 'offline' : 'online';
  return { status, value, historyValue: {}, output, error, context: storedContext(context), children: {} };
}

/**
 * The context as it is stored: running transactions by id and observations by id, the shape every release since
 * machine version 1 reads. In memory both are kept without keys that V8 takes for array indices (docs/adr/0014),
 * which would cost a charger kilobytes on every update; on disk the shape stays, so that a release before that
 * change can still restore what this one wrote during a rolling upgrade.
 */
export function storedContext(context: ChargerContext): Record<string, unknown> {
  const observations: Record<string, ObservedValue> = {};
  for (const [id, observed] of observationEntries(context.stream)) observations[id] = observed;
  const transactions: Record<string, TransactionRecord> = {};
  for (const running of context.transactions) transactions[running.id] = running;
  return { ...context, transactions, stream: { ...context.stream, observations } };
}

/** The live context of a stored one (`storedContext` undone). */
function liveContext(stored: Record<string, unknown>): ChargerContext {
  const stream = stored.stream as Record<string, unknown> & { observations: Record<string, ObservedValue> };
  const observations: Record<ObservationKey, ObservedValue> = {};
  for (const [id, observed] of Object.entries(stream.observations)) observations[observationKey(Number(id))] = observed;
  return {
    ...stored,
    transactions: Object.values(stored.transactions as Record<string, TransactionRecord>),
    stream: { ...stream, observations },
  } as unknown as ChargerContext;
}

/**
 * Inputs that a commit may journal instead of a snapshot (ADR 10): the charger's own messages, its sessions, the
 * stream and timers — what comes at the charger's rate and carries nothing secret. An operator's request (its
 * payload may hold a key or a password) and a charger's answer to one (GetConfiguration lists secrets) commit a
 * snapshot, which keeps only what the model kept.
 */
export function isJournaledInput(event: ChargerEvent): boolean {
  switch (event.type) {
    case 'CALL':
    case 'SESSION_OPENED':
    case 'SESSION_CLOSED':
    case 'TIMER':
    case 'STREAM_OBSERVATION':
    case 'STREAM_COMMAND_RESPONSE':
    case 'SITE_ALLOCATION':
      return true;
    default:
      return false;
  }
}

/** A snapshot as the store keeps it: the XState persisted snapshot and the machine version that wrote it. */
export interface VersionedSnapshot {
  readonly machineVersion: number;
  readonly snapshot: unknown;
}

type PersistedSnapshot = { readonly context: Record<string, unknown> } & Record<string, unknown>;

/** Each step brings a snapshot one version forward; a rolling upgrade restores what the previous release wrote. */
const migrations: Record<number, (snapshot: PersistedSnapshot) => PersistedSnapshot> = {
  // 1 → 2: the Easee stream joined the model; session notices became ordered by socket-open time.
  1: (snapshot) => ({
    ...snapshot,
    context: {
      ...snapshot.context,
      stream: initialStreamState,
      latestConnectAt: snapshot.context.latestConnectAt ?? 0,
    },
  }),
  // 2 → 3: decisions moved into the mailbox (outgoing calls, configuration, availability, dynamic current). A
  // command in flight across the upgrade is recorded by the old release; its profile write was already counted.
  2: (snapshot) => ({ ...snapshot, context: { ...initialDecisionState, ...snapshot.context } }),
  // 3 → 4: site load management; a charger is on no site until a site allocates it current.
  3: (snapshot) => ({ ...snapshot, context: { ...snapshot.context, site: null } }),
};

/** A stored snapshot brought forward to this release's version, in its live form: what `createActor` takes. */
export function migrateSnapshot(stored: VersionedSnapshot): ChargerSnapshot {
  if (stored.machineVersion > chargerMachineVersion) {
    throw new Error(
      `charger snapshot version ${stored.machineVersion} is newer than this release (${chargerMachineVersion})`,
    );
  }
  let snapshot = stored.snapshot as PersistedSnapshot;
  for (let version = stored.machineVersion; version < chargerMachineVersion; version++) {
    const step = migrations[version];
    if (step === undefined) throw new Error(`no migration from charger snapshot version ${version}`);
    snapshot = step(snapshot);
  }
  const context = liveContext(snapshot.context);
  // A machine that stopped on an error stays stopped; anything else restores active, as the machine did.
  return snapshot.status === 'error'
    ? { status: 'error', output: undefined, error: snapshot.error, context }
    : { status: 'active', output: undefined, error: undefined, context };
}
