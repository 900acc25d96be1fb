import type { operations } from './api-types.ts';

/** `GET /api/fleet`: the fleet counted by OCPP status and op mode. */
export type Fleet = operations['getFleet']['responses'][200]['content']['application/json'];

/** OCPP 1.6 ChargePointStatus, in the order a connector goes through them (what the chargers filter takes). */
export { chargePointStatuses } from '@fleetwire/ocpp/statuses';
