export { announceWait, createLogger, type Logger } from './logger.ts';
export { type FleetCensus, FleetwireMetrics, type SiteCensus } from './metrics.ts';
export type { OpsServerOptions } from './ops-server.ts';
export { type Readiness, startOpsServer } from './ops-server.ts';
