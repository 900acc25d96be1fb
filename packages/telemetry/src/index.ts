export * from './logger.ts';
export { type FleetCensus, FleetwireMetrics, type SiteCensus } from './metrics.ts';
export { type OpsServerOptions, type Readiness, startOpsServer } from './ops-server.ts';
