export { chargerFacts } from './handlers/calls.ts';
export { handlesAction } from './handlers/index.ts';
export { channelsDisagree } from './handlers/stream.ts';
export { retriedStartId, startKey } from './handlers/transactions.ts';
export {
  chargerMachine,
  chargerMachineVersion,
  isJournaledInput,
  migrateSnapshot,
  persistedChargerSnapshot,
  type VersionedSnapshot,
} from './machine.ts';
export { latestTotals, type MeterReading, normalizeMeterValues, type Sample } from './meter.ts';
export * from './model.ts';
export { type CallPlan, planCall } from './plan.ts';
export { answeredBefore, initialContext, type Reduced, reduceInput } from './reduce.ts';
