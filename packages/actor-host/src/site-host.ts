import {
  type ApiReply,
  isValidSerial,
  type SiteApiRequest,
  type SiteRecord,
  type SiteReportItem,
  serialOfShardSubject,
  shardOf,
  subjects,
} from '@fleetwire/contracts';
import type { SiteDefinition } from '@fleetwire/site';
import type { Logger, SiteCensus } from '@fleetwire/telemetry';
import type { OwnedShard } from './charger-runtime.ts';
import { type SiteEntry, SiteRuntime, type SiteRuntimeOptions, siteSnapshotKey, siteView } from './site-runtime.ts';

/** What the site host needs is what its runtime needs: it hosts sites as the runtime runs them. */
export type SiteHostOptions = SiteRuntimeOptions;

function definitionOf(record: SiteRecord): SiteDefinition {
  return {
    siteId: record.siteId,
    ...(record.name === undefined ? {} : { name: record.name }),
    maxCurrentA: record.maxCurrentA,
    phases: record.phases,
    minCurrentA: record.minCurrentA,
    chargers: record.chargers,
    circuits: record.circuits,
    ...(record.fallbackCurrentA === undefined ? {} : { fallbackCurrentA: record.fallbackCurrentA }),
  };
}

/**
 * The sites of a worker's shards (sharded by site id like chargers by serial): loaded with the shard, kept to the
 * definition in the site store, fed the reports of their chargers, asked by the API.
 */
export class SiteHost {
  private readonly runtime: SiteRuntime;
  private readonly options: SiteHostOptions;
  private readonly log: Logger;

  constructor(options: SiteHostOptions) {
    this.options = options;
    this.log = options.logger;
    this.runtime = new SiteRuntime(options);
  }

  get siteCount(): number {
    return this.runtime.entries.size;
  }

  /** The worker's sites added up, for the metrics (when scraped). */
  census(): SiteCensus {
    let queued = 0;
    for (const entry of this.runtime.entries.values()) {
      for (const share of Object.values(entry.committed?.context.shares ?? {})) {
        if (share.wantingSince !== null) queued += 1;
      }
    }
    return { sites: this.runtime.entries.size, queued };
  }

  async acquire(owned: OwnedShard): Promise<void> {
    const { stores, bus } = this.options;
    const siteIds = await stores.sites.idsInShard(owned.shard);
    const stored = await stores.snapshots.claim(siteIds.map(siteSnapshotKey), owned.leaseToken);
    for (const siteId of siteIds) {
      if (this.runtime.entries.has(siteId)) continue;
      const entry = this.runtime.create(siteId, owned, stored.get(siteSnapshotKey(siteId)));
      await this.reconcile(entry).catch((error: unknown) =>
        this.log.warn({ siteId, err: error }, 'site definition not applied'),
      );
    }
    owned.subscriptions.push(
      bus.subscribe(subjects.siteReportsOfShard(owned.shard), (data, subject) =>
        this.report(owned, serialOfShardSubject(subject), data as SiteReportItem),
      ),
      bus.serve(subjects.siteApiOfShard(owned.shard), (data, subject) =>
        this.handleApi(owned, serialOfShardSubject(subject), data as SiteApiRequest),
      ),
    );
  }

  async release(owned: OwnedShard): Promise<void> {
    const entries = this.entriesOf(owned);
    await this.runtime.drain(entries);
    for (const entry of entries) this.runtime.forget(entry);
  }

  /** A newer owner fenced the shard off: its sites go once their inputs in flight end, writing nothing more. */
  dropped(owned: OwnedShard): void {
    for (const entry of this.entriesOf(owned)) void entry.tail.then(() => this.runtime.forget(entry));
  }

  halt(): void {
    this.runtime.stop();
    for (const entry of [...this.runtime.entries.values()]) this.runtime.forget(entry);
  }

  stop(): void {
    this.runtime.stop();
  }

  private entriesOf(owned: OwnedShard): SiteEntry[] {
    return [...this.runtime.entries.values()].filter((entry) => entry.owned === owned);
  }

  /** Brings the site's actor to the definition in the store: defined, changed, or removed. */
  private async reconcile(entry: SiteEntry): Promise<void> {
    const record = await this.options.stores.sites.get(entry.siteId);
    const at = this.options.clock();
    if (record === undefined) {
      if (entry.actor.getSnapshot().context.definition !== null) {
        await this.runtime.apply(entry, { type: 'SITE_REMOVED', at });
      }
      this.runtime.forget(entry);
      await this.options.stores.snapshots.delete(siteSnapshotKey(entry.siteId));
      return;
    }
    const definition = definitionOf(record);
    const current = entry.actor.getSnapshot().context.definition;
    if (JSON.stringify(current) !== JSON.stringify(definition)) {
      await this.runtime.apply(entry, { type: 'SITE_DEFINED', at, definition });
    }
  }

  private entryFor(owned: OwnedShard, siteId: string): Promise<SiteEntry> {
    if (!isValidSerial(siteId) || shardOf(siteId, this.options.shardCount) !== owned.shard) {
      return Promise.reject(new Error(`${siteId} is not a site of shard ${owned.shard}`));
    }
    return this.runtime.load(siteId, owned);
  }

  private report(owned: OwnedShard, siteId: string, item: SiteReportItem): void {
    if (!this.options.isServing(owned) || !isValidSerial(item.serial)) return;
    const entry = this.runtime.entries.get(siteId);
    // A report for a site this worker has not loaded: the site does not exist (or not yet): the report goes.
    if (entry === undefined) return;
    void this.runtime
      .apply(entry, {
        type: 'CHARGER_REPORTED',
        at: this.options.clock(),
        serial: item.serial,
        report: item.data.report,
      })
      .catch((error: unknown) =>
        this.log.debug({ siteId, serial: item.serial, err: error }, 'site report not applied'),
      );
  }

  private async handleApi(owned: OwnedShard, siteId: string, request: SiteApiRequest): Promise<ApiReply> {
    const entry = await this.entryFor(owned, siteId);
    const at = this.options.clock();
    switch (request.op) {
      case 'define':
        await this.reconcile(entry);
        break;
      case 'limit':
        if (entry.actor.getSnapshot().context.definition === null) {
          return { ok: false, status: 404, error: `no site ${siteId}` };
        }
        await this.runtime.apply(entry, {
          type: 'LIMIT_SET',
          at,
          maxCurrentA: request.maxCurrentA,
          until: request.until,
        });
        break;
      case 'view':
        break;
    }
    const context = entry.actor.getSnapshot().context;
    if (context.definition === null) return { ok: false, status: 404, error: `no site ${siteId}` };
    return { ok: true, body: siteView(context, this.options.clock()) };
  }
}
