export { Car, type CarModel } from './car.ts';
export {
  type ChargePointListener,
  type ConnectorStatus,
  EaseeChargePoint,
  type EaseeChargePointOptions,
  type ObservationSink,
  type TransactionTruth,
} from './easee-charge-point.ts';
export { EaseeConfiguration, easeeMeasurands } from './easee-configuration.ts';
export {
  FakeEaseeCloud,
  type Misbehaviour,
  type ReceivedCommand,
  type StreamDevice,
  type TruthValue,
} from './fake-easee-cloud.ts';
export { FleetConsole, summaryText } from './fleet-console.ts';
export { CallErrorResponse, OcppLink, type OcppLinkOptions } from './ocpp-link.ts';
export { loadScenario, type Scenario, scenarioDir, scenarioIdTags } from './scenario.ts';
export { ScenarioDriver } from './scenario-driver.ts';
export { SeededRandom } from './seeded-random.ts';
export { ManualClock, type SimClock, WallClock } from './sim-clock.ts';
export {
  type FleetOptions,
  type FleetSnapshot,
  type FleetStream,
  SimulatedFleet,
  simulatedSerial,
} from './simulated-fleet.ts';
export { type SimulatedSite, scenarioSites } from './sites.ts';
