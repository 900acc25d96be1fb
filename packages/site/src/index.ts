export { allocate, type Claimant } from './allocate.ts';
export { persistedSiteSnapshot, siteMachine, siteMachineVersion } from './machine.ts';
export type {
  AllocationOrder,
  ChargerReport,
  SiteContext,
  SiteDefinition,
  SiteEmitted,
  SiteEvent,
  SiteFleetEvent,
} from './model.ts';
export {
  ceilingOf,
  constraintsOf,
  effectiveLimitA,
  fallbackOf,
  initialSiteContext,
  membersOf,
  reduceSite,
  steerable,
} from './reduce.ts';
