/** NATS subjects (docs/design.md). Serials are checked against `serialPattern` before they get here. */
export const subjects = {
  chargerCall: (shard: number, serial: string) => `fw.cp.${shard}.${serial}.call`,
  chargerCallsOfShard: (shard: number) => `fw.cp.${shard}.*.call`,
  chargerSession: (shard: number, serial: string) => `fw.cp.${shard}.${serial}.session`,
  chargerSessionsOfShard: (shard: number) => `fw.cp.${shard}.*.session`,
  // One subject per edge, not per charger: a subscription per connected charger costs every edge memory.
  edgeCall: (edgeId: string) => `fw.edge.${edgeId}.call`,
  edgeEvict: (serial: string) => `fw.edge.${serial}.evict`,
  api: (shard: number, serial: string) => `fw.api.${shard}.${serial}`,
  apiOfShard: (shard: number) => `fw.api.${shard}.*`,
  event: (type: string, serial: string) => `fw.events.${type}.${serial}`,
  // What an ingest from before ADR 18 published, one message each; a worker still reads them.
  easee: (shard: number, serial: string, kind: 'o' | 'cr', id: number) => `fw.easee.${shard}.${serial}.${kind}.${id}`,
  easeeOfShard: (shard: number) => `fw.easee.${shard}.>`,
  // A shard's batches (ADR 18). Outside `easeeOfShard`, so a worker from before batches never reads one.
  easeeBatch: (shard: number) => `fw.easee.b.${shard}`,
  easeeCommand: (serial: string) => `fw.easee-cmd.${serial}`,
  parked: (source: string) => `fw.parked.${source}`,
  // Site load management (docs/design.md "Sites"): charger actors report to their site, the site allocates.
  siteReport: (shard: number, siteId: string) => `fw.site.${shard}.${siteId}`,
  siteReportsOfShard: (shard: number) => `fw.site.${shard}.*`,
  siteAllocation: (shard: number, serial: string) => `fw.site-alloc.${shard}.${serial}`,
  siteAllocationsOfShard: (shard: number) => `fw.site-alloc.${shard}.*`,
  siteApi: (shard: number, siteId: string) => `fw.site-api.${shard}.${siteId}`,
  siteApiOfShard: (shard: number) => `fw.site-api.${shard}.*`,
} as const;

/** The serial in a subject of the form `fw.<kind>.<shard>.<serial>...`. */
export function serialOfShardSubject(subject: string): string {
  const parts = subject.split('.', 4);
  return parts[3] ?? '';
}
