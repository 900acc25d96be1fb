import type { Role } from '@fleetwire/config';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What a worker's charger models add up to, counted when scraped (not on the hot path). */
export interface FleetCensus {
  readonly byStatus: ReadonlyMap<string, number>;
  readonly connected: number;
  readonly activeTransactions: number;
}

/** What a worker's site models add up to, counted when scraped. */
export interface SiteCensus {
  readonly sites: number;
  readonly queued: number;
}

/** Seconds, for round trips that are usually milliseconds and sometimes seconds. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds, for lags that are usually under a second and sometimes minutes. */
const lagBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Every Fleetwire metric, in one registry per process; a role uses the ones that concern it and the rest stay at
 * zero. Gauges of things a component already counts (connections, actors, shards) read them when scraped, so the
 * hot path only ever increments counters and observes histograms.
 */
export class FleetwireMetrics {
  readonly registry = new Registry();

  // Edge: chargers and their CALLs.
  readonly connections: Gauge;
  readonly connectionsOpened: Counter<'authenticated'>;
  readonly handshakesRefused: Counter<'status'>;
  readonly chargerCalls: Counter<'action' | 'outcome'>;
  readonly chargerCallSeconds: Histogram<'action'>;
  readonly centralSystemCalls: Counter<'action' | 'outcome'>;

  // Worker: actors, shards and what they commit.
  readonly actors: Gauge;
  readonly actorsPassivated: Gauge;
  readonly shardsOwned: Gauge;
  readonly handOvers: Counter<'direction'>;
  readonly snapshotWrites: Counter<'result'>;
  readonly snapshotWriteSeconds: Histogram;
  readonly streamLagSeconds: Histogram;
  readonly streamMessagesApplied: Counter;
  readonly easeeCommands: Counter<'outcome'>;

  // The fleet, as the worker's charger models see it (bounded labels: OCPP statuses and `offline`).
  readonly chargersByStatus: Gauge<'status'>;
  readonly chargersConnected: Gauge;
  readonly activeTransactions: Gauge;
  readonly energyDelivered: Counter;
  readonly transactionsStopped: Counter;

  // Sites: load management, as the worker's site actors see it.
  readonly siteAllocationsSent: Counter;
  readonly siteAllocationChanges: Counter;
  readonly siteOverLimitRisks: Counter;
  readonly sites: Gauge;
  readonly siteChargersQueued: Gauge;

  // Ingest: the operator queue.
  readonly operatorMessages: Counter<'result'>;
  readonly operatorQueueLagSeconds: Histogram;
  readonly operatorCommandsPublished: Counter;
  readonly amqpConnected: Gauge;

  private readonly sources: {
    connections?: () => number;
    actors?: () => number;
    passivated?: () => number;
    shards?: () => number;
    amqp?: () => boolean;
    /** The worker's chargers: how many per status of connector 1, connected, and transactions open. */
    fleet?: () => FleetCensus;
    /** The worker's sites: how many, and how many of their chargers wait in a queue for current. */
    sites?: () => SiteCensus;
  } = {};

  constructor(role: Role = 'all', options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const sources = this.sources;
    this.registry.setDefaultLabels({ role });
    if (options.defaultMetrics === true) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges that prom-client names like counters, which Prometheus (promtool check metrics) refuses; the
      // event-loop and heap metrics say what they would.
      for (const misnamed of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ]) {
        this.registry.removeSingleMetric(misnamed);
      }
    }
    this.connections = new Gauge({
      name: 'fleetwire_ocpp_connections',
      help: 'Chargers connected to this edge now',
      registers,
      collect() {
        this.set(sources.connections?.() ?? 0);
      },
    });
    this.connectionsOpened = new Counter({
      name: 'fleetwire_ocpp_connections_opened_total',
      help: 'Charger connections accepted',
      labelNames: ['authenticated'],
      registers,
    });
    this.handshakesRefused = new Counter({
      name: 'fleetwire_ocpp_handshakes_refused_total',
      help: 'WebSocket upgrades refused, by HTTP status (401 bad credentials, 404 unknown, 503 busy or draining)',
      labelNames: ['status'],
      registers,
    });
    this.chargerCalls = new Counter({
      name: 'fleetwire_ocpp_charger_calls_total',
      help: 'CALLs from chargers by action and outcome (answered, call_error, refused, unavailable)',
      labelNames: ['action', 'outcome'],
      registers,
    });
    this.chargerCallSeconds = new Histogram({
      name: 'fleetwire_ocpp_charger_call_duration_seconds',
      help: 'From a charger CALL arriving to its answer leaving the edge',
      labelNames: ['action'],
      buckets: latencyBuckets,
      registers,
    });
    this.centralSystemCalls = new Counter({
      name: 'fleetwire_ocpp_central_system_calls_total',
      help: 'Central-system CALLs sent to chargers by action and outcome (answered, call_error, timeout, disconnected)',
      labelNames: ['action', 'outcome'],
      registers,
    });
    this.actors = new Gauge({
      name: 'fleetwire_actors',
      help: 'Charger actors live in this worker',
      registers,
      collect() {
        this.set(sources.actors?.() ?? 0);
      },
    });
    this.actorsPassivated = new Gauge({
      name: 'fleetwire_actors_passivated',
      help: 'Charger actors this worker let go until their next input (their state is in the store)',
      registers,
      collect() {
        this.set(sources.passivated?.() ?? 0);
      },
    });
    this.shardsOwned = new Gauge({
      name: 'fleetwire_shards_owned',
      help: 'Shards this worker holds the lease of',
      registers,
      collect() {
        this.set(sources.shards?.() ?? 0);
      },
    });
    this.handOvers = new Counter({
      name: 'fleetwire_shard_handovers_total',
      help: 'Shards taken on (acquired) or given up (released) by this worker',
      labelNames: ['direction'],
      registers,
    });
    this.snapshotWrites = new Counter({
      name: 'fleetwire_snapshot_writes_total',
      help: 'Actor snapshot writes: written, or fenced (refused because a newer owner holds the charger)',
      labelNames: ['result'],
      registers,
    });
    this.snapshotWriteSeconds = new Histogram({
      name: 'fleetwire_snapshot_write_duration_seconds',
      help: 'One batch of snapshot writes to the store',
      buckets: latencyBuckets,
      registers,
    });
    this.streamLagSeconds = new Histogram({
      name: 'fleetwire_easee_stream_lag_seconds',
      help: "From an Easee observation's timestamp to its actor applying it",
      buckets: lagBuckets,
      registers,
    });
    this.streamMessagesApplied = new Counter({
      name: 'fleetwire_easee_stream_messages_applied_total',
      help: 'Easee stream messages (observations and command responses) applied by their charger and committed',
      registers,
    });
    this.easeeCommands = new Counter({
      name: 'fleetwire_easee_commands_total',
      help: 'Easee commands by outcome (accepted, rejected, no-response, expired)',
      labelNames: ['outcome'],
      registers,
    });
    this.chargersByStatus = new Gauge({
      name: 'fleetwire_chargers',
      help: 'Chargers of this worker by the OCPP status of connector 1 (offline: not connected over OCPP)',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const [status, count] of sources.fleet?.().byStatus ?? []) this.set({ status }, count);
      },
    });
    this.chargersConnected = new Gauge({
      name: 'fleetwire_chargers_connected',
      help: 'Chargers of this worker connected over OCPP now',
      registers,
      collect() {
        this.set(sources.fleet?.().connected ?? 0);
      },
    });
    this.activeTransactions = new Gauge({
      name: 'fleetwire_transactions_active',
      help: 'Transactions open on the chargers of this worker',
      registers,
      collect() {
        this.set(sources.fleet?.().activeTransactions ?? 0);
      },
    });
    this.energyDelivered = new Counter({
      name: 'fleetwire_energy_delivered_wh_total',
      help: 'Energy of the transactions this worker saw stop, by their meter values (Wh)',
      registers,
    });
    this.transactionsStopped = new Counter({
      name: 'fleetwire_transactions_stopped_total',
      help: 'Transactions this worker saw stop',
      registers,
    });
    this.siteAllocationsSent = new Counter({
      name: 'fleetwire_site_allocations_sent_total',
      help: 'Allocations the sites of this worker sent to their chargers (changes, renewals and re-sends)',
      registers,
    });
    this.siteAllocationChanges = new Counter({
      name: 'fleetwire_site_allocation_changes_total',
      help: "Rebalances of this worker's sites that changed what at least one charger may draw",
      registers,
    });
    this.siteOverLimitRisks = new Counter({
      name: 'fleetwire_site_over_limit_risks_total',
      help: 'Site over-limit-risk alerts: a lowering a fuse needs not confirmed within its deadline',
      registers,
    });
    this.sites = new Gauge({
      name: 'fleetwire_sites',
      help: 'Sites hosted by this worker',
      registers,
      collect() {
        this.set(sources.sites?.().sites ?? 0);
      },
    });
    this.siteChargersQueued = new Gauge({
      name: 'fleetwire_site_chargers_queued',
      help: "Chargers of this worker's sites whose car waits in the queue for current (given 0)",
      registers,
      collect() {
        this.set(sources.sites?.().queued ?? 0);
      },
    });
    this.operatorMessages = new Counter({
      name: 'fleetwire_easee_operator_messages_total',
      help: 'Operator-queue messages: forwarded to FW_EASEE, or parked as unusable',
      labelNames: ['result'],
      registers,
    });
    this.operatorQueueLagSeconds = new Histogram({
      name: 'fleetwire_easee_operator_queue_lag_seconds',
      help: 'From ArrivalTime at the Easee cloud to FW_EASEE acknowledging the message',
      buckets: lagBuckets,
      registers,
    });
    this.operatorCommandsPublished = new Counter({
      name: 'fleetwire_easee_operator_commands_published_total',
      help: 'Easee commands confirmed by the operator exchange',
      registers,
    });
    this.amqpConnected = new Gauge({
      name: 'fleetwire_easee_amqp_connected',
      help: '1 while connected to the Easee operator stream',
      registers,
      collect() {
        this.set(sources.amqp?.() === true ? 1 : 0);
      },
    });
  }

  /** Where the gauges read their values when scraped. */
  observe(sources: FleetwireMetrics['sources']): void {
    Object.assign(this.sources, sources);
  }
}
