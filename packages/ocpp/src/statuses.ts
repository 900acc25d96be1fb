/** OCPP 1.6 ChargePointStatus (§7.7), in the order a connector goes through them. */
export const chargePointStatuses = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const;
