export { allocate, type Claimant, type Constraint } from './allocate.ts';
export { persistedSiteSnapshot, siteMachine, siteMachineVersion } from './machine.ts';
export {
  type AllocationOrder,
  allocationTtlMinutes,
  type ChargerReport,
  type ChargerShare,
  type CircuitDefinition,
  type SiteContext,
  type SiteDefinition,
  type SiteEmitted,
  type SiteEvent,
  type SiteFleetEvent,
  type TemporaryLimit,
} from './model.ts';
export {
  ceilingOf,
  constraintsOf,
  effectiveLimitA,
  fallbackOf,
  initialSiteContext,
  membersOf,
  overLimit,
  reduceSite,
  steerable,
} from './reduce.ts';
