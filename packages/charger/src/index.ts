export {
  type ChargerSnapshot,
  chargerLogic,
  chargerMachineVersion,
  isJournaledInput,
  migrateSnapshot,
  persistedChargerSnapshot,
} from './charger-logic.ts';
export { chargerFacts } from './handlers/calls.ts';
export { type LocalListEntry, type LocalListUpdate, localListUpdates } from './local-list.ts';
export {
  type CallLookups,
  type CentralOutcome,
  type ChargerContext,
  type ChargerEvent,
  type CommandOutcome,
  type EmittedEvent,
  type OcppCallOrder,
  streamStaleAfterMs,
} from './model.ts';
export { observationEntries, observedValue } from './observed.ts';
export { planCall } from './plan.ts';
export { answeredBefore, reduceInput } from './reduce.ts';
