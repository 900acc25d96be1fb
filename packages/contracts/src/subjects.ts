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
  easee: (shard: number, serial: string, kind: 'o' | 'cr', id: number) => `fw.easee.${shard}.${serial}.${kind}.${id}`,
  easeeOfShard: (shard: number) => `fw.easee.${shard}.>`,
  easeeCommand: (serial: string) => `fw.easee-cmd.${serial}`,
  parked: (source: string) => `fw.parked.${source}`,
} as const;

/** The serial in a subject of the form `fw.<kind>.<shard>.<serial>...`. */
export function serialOfShardSubject(subject: string): string {
  const parts = subject.split('.', 4);
  return parts[3] ?? '';
}
