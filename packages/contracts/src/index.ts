export { AckFloor } from './ack-floor.ts';
export { type Backoff, retryWithBackoff } from './backoff.ts';
export {
  type AuthorizationStatus,
  type ChargerRegistration,
  type CircuitDefinition,
  type FleetEvent,
  type FleetEventType,
  fleetEventTypes,
  type IdTagInfo,
  type IdTagRecord,
  type OutboundCommand,
  type Outgoing,
  type SiteAllocation,
  type SiteDefinition,
  type SiteRecord,
  type SiteReport,
  type SiteReportItem,
  type TransactionRecord,
} from './domain.ts';
export {
  type ApiReply,
  type ApiRequest,
  type CallOutcome,
  type ChargerCallRequest,
  type ChargerSessionEvent,
  type CommandRuleSettings,
  type CommandSink,
  type CommandSource,
  type EaseeIngestPort,
  type EdgeCallOutcome,
  type EdgeCallRequest,
  type EvictNotice,
  type ParkedMessage,
  ruleSettingsOf,
  type ShardStreamSource,
  type SiteApiRequest,
  type StreamDelivery,
} from './messages.ts';
export { isValidSerial } from './serial.ts';
export { fnv1a32, shardOf } from './shard.ts';
export { serialOfShardSubject, subjects } from './subjects.ts';
