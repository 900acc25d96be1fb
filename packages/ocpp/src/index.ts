export {
  centralSystemInitiated,
  chargePointInitiated,
  isCentralSystemAction,
  isChargePointAction,
  isKnownAction,
  transactionRelated,
} from './actions.ts';
export { CallQueue, type CallQueueDriver, type CallQueueLimits, type QueuedCall } from './call-queue.ts';
export { type ErrorCode, normalizeErrorCode, OcppError } from './errors.ts';
export {
  type CallFrame,
  type Frame,
  parseFrame,
  serializeCall,
  serializeCallError,
  serializeCallResult,
} from './frames.ts';
export type { OcppRequest, OcppResponse, SetChargingProfileRequest } from './payloads.ts';
export { chargePointStatuses } from './statuses.ts';
export { type Violation, validateRequest, validateResponse } from './validation.ts';
