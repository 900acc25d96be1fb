// docs/design.md "Redis keys": one charger's keys share a hash tag, so they live in one Redis Cluster slot.
export const redisKeys = {
  snapshot: (serial: string) => `fw:snap:{${serial}}`,
  /** The inputs committed after the snapshot, one list item per commit (ADR 10). */
  journal: (serial: string) => `fw:journal:{${serial}}`,
  charger: (serial: string) => `fw:charger:{${serial}}`,
  idTag: (idTagKey: string) => `fw:idtag:${idTagKey}`,
  transaction: (id: number) => `fw:txn:${id}`,
  transactionSeq: 'fw:txn:seq',
  orphanStops: (serial: string) => `fw:orphans:{${serial}}`,
  // Fleet indexes: serials and id tags by name (lexicographic ranges), chargers by shard, transactions by id.
  chargerIndex: 'fw:index:chargers',
  idTagIndex: 'fw:index:idtags',
  shardMembers: (shard: number) => `fw:index:shard:${shard}`,
  transactionIndex: 'fw:index:txns',
  transactionsOfCharger: (serial: string) => `fw:index:txns:charger:{${serial}}`,
  transactionsOfIdTag: (idTagKey: string) => `fw:index:txns:idtag:${idTagKey}`,
  live: (serial: string) => `fw:live:{${serial}}`,
  connectedIndex: 'fw:index:connected',
  ocppStatusIndex: (status: string) => `fw:index:ocpp-status:${status}`,
  opModeIndex: (opMode: number | string) => `fw:index:opmode:${opMode}`,
  idTagsOfParent: (parentKey: string) => `fw:index:idtags:parent:${parentKey}`,
  token: (hash: string) => `fw:token:${hash}`,
  // Sites: the definition, the site a charger is on, and the sites by id and by shard.
  site: (siteId: string) => `fw:site:{${siteId}}`,
  siteOf: (serial: string) => `fw:site-of:{${serial}}`,
  siteIndex: 'fw:index:sites',
  sitesOfShard: (shard: number) => `fw:index:site-shard:${shard}`,
  tokenIndex: 'fw:index:tokens',
} as const;
