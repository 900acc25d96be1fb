import type {
  CommandSink,
  FleetEvent,
  OutboundCommand,
  Outgoing,
  SiteReportItem,
  TransactionRecord,
} from '@fleetwire/contracts';
import type { LiveState, OrphanStop, Stores } from '@fleetwire/store';
import type { FleetwireMetrics } from '@fleetwire/telemetry';

interface Waiting {
  readonly batch: readonly Outgoing[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Publishes what chargers committed: fleet events to the event log (and the transaction store and the fleet's
 * live index, projections of those events), Easee commands to the command sink. The batches of every charger that
 * asks in one turn of the event loop go out together (one append, one projection write); every step is idempotent,
 * so a batch can be published again after a crash.
 */
export class OutboxPublisher {
  private readonly stores: Stores;
  private readonly commands: CommandSink | undefined;
  private readonly metrics: FleetwireMetrics | undefined;
  private waiting: Waiting[] = [];
  private scheduled = false;

  private readonly reportToSites: ((reports: readonly SiteReportItem[]) => void) | undefined;

  constructor(
    stores: Stores,
    commands: CommandSink | undefined,
    metrics?: FleetwireMetrics,
    reportToSites?: (reports: readonly SiteReportItem[]) => void,
  ) {
    this.stores = stores;
    this.commands = commands;
    this.metrics = metrics;
    this.reportToSites = reportToSites;
  }

  publish(batch: readonly Outgoing[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        const waiting = this.waiting;
        this.waiting = [];
        this.publishNow(waiting).then(
          () => {
            for (const caller of waiting) caller.resolve();
          },
          (error: unknown) => {
            for (const caller of waiting) caller.reject(error);
          },
        );
      });
    });
  }

  private async publishNow(waiting: readonly Waiting[]): Promise<void> {
    const events: FleetEvent[] = [];
    const commands: OutboundCommand[] = [];
    const reports: SiteReportItem[] = [];
    for (const { batch } of waiting) {
      for (const item of batch) {
        if (item.type === 'easee-command') commands.push(item);
        else if (item.type === 'site-report') reports.push(item);
        else events.push(item);
      }
    }
    // Reports go out at most once: the charger sends a fresh one within a minute anyway.
    if (reports.length > 0) this.reportToSites?.(reports);
    if (commands.length > 0) {
      if (this.commands === undefined)
        throw new Error('an Easee command was committed but no command sink is configured');
      await this.commands.publish(commands);
    }
    if (events.length > 0) {
      await this.stores.events.append(events);
      await this.project(events);
    }
  }

  private async project(events: readonly FleetEvent[]): Promise<void> {
    const transactions = new Map<number, TransactionRecord>();
    const orphans: OrphanStop[] = [];
    const live = new Map<string, LiveState>();
    const change = (serial: string, state: LiveState) => live.set(serial, { ...live.get(serial), ...state });
    for (const event of events) {
      if (event.type === 'command' && event.data.channel === 'easee' && typeof event.data.status === 'string') {
        this.metrics?.easeeCommands.inc({ outcome: event.data.status });
      }
      if (event.type === 'connection') {
        change(event.serial, { connected: event.data.connected === true, ocppSeenAt: event.at });
      } else if (event.type === 'status' && event.data.source === 'stream' && typeof event.data.opMode === 'number') {
        change(event.serial, { opMode: event.data.opMode, streamSeenAt: event.at });
      } else if (event.type === 'status' && event.data.connectorId === 1 && typeof event.data.status === 'string') {
        change(event.serial, { ocppStatus: event.data.status, ocppSeenAt: event.at });
      }
      const transaction = event.data.transaction as TransactionRecord | undefined;
      if (event.type === 'transaction-stopped' && transaction !== undefined) {
        this.metrics?.transactionsStopped.inc();
        if (transaction.energyWh !== undefined && transaction.energyWh > 0) {
          this.metrics?.energyDelivered.inc(transaction.energyWh);
        }
      }
      if (transaction !== undefined) {
        // The newest record of each transaction in the batch is enough: the store keeps the newest anyway.
        const earlier = transactions.get(transaction.id);
        if (earlier === undefined || earlier.updatedAt <= transaction.updatedAt) {
          transactions.set(transaction.id, transaction);
        }
      } else if (event.type === 'transaction-stopped' && event.data.orphan === true) {
        orphans.push({ serial: event.serial, eventId: event.id, data: event.data });
      }
    }
    await this.stores.transactions.upsert([...transactions.values()]);
    await this.stores.transactions.keepOrphanStops(orphans);
    await this.stores.chargers.updateLive(live);
  }
}
