import type { CommandSink, FleetEvent, OutboundCommand, Outgoing, TransactionRecord } from '@fleetwire/contracts';
import type { LiveState, OrphanStop, Stores } from '@fleetwire/store';
import type { FleetwireMetrics } from '@fleetwire/telemetry';

/**
 * Publishes what a charger committed: fleet events to the event log (and the transaction store and the fleet's
 * live index, projections of those events), Easee commands to the command sink. Every step is idempotent, so a batch can be
 * published again after a crash.
 */
export class OutboxPublisher {
  private readonly stores: Stores;
  private readonly commands: CommandSink | undefined;
  private readonly metrics: FleetwireMetrics | undefined;

  constructor(stores: Stores, commands: CommandSink | undefined, metrics?: FleetwireMetrics) {
    this.stores = stores;
    this.commands = commands;
    this.metrics = metrics;
  }

  async publish(batch: readonly Outgoing[]): Promise<void> {
    const events: FleetEvent[] = [];
    const commands: OutboundCommand[] = [];
    for (const item of batch) {
      if (item.type === 'easee-command') commands.push(item);
      else events.push(item);
    }
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
    const transactions: TransactionRecord[] = [];
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
      if (transaction !== undefined) transactions.push(transaction);
      else if (event.type === 'transaction-stopped' && event.data.orphan === true) {
        orphans.push({ serial: event.serial, eventId: event.id, data: event.data });
      }
    }
    await this.stores.transactions.upsert(transactions);
    await this.stores.transactions.keepOrphanStops(orphans);
    await this.stores.chargers.updateLive(live);
  }
}
