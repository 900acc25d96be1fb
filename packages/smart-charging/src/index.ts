export type { ChargingSchedule } from './profiles.ts';
export {
  type ChargingProfile,
  type ClearFilter,
  clear,
  type InstalledProfile,
  install,
  isInstalled,
  onEaseeConnector,
} from './profiles.ts';
export type { RateUnit, SchedulePeriod } from './schedule.ts';
export { capOverride, chargePointMaxAt, compositeSchedule } from './schedule.ts';
