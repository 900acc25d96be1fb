/**
 * Every OCPP 1.6 action (edition 2) plus the eleven of the "Improved security for OCPP 1.6-J" white paper,
 * with the side that initiates it and the feature profile it belongs to.
 */
export type FeatureProfile =
  | 'Core'
  | 'FirmwareManagement'
  | 'LocalAuthListManagement'
  | 'Reservation'
  | 'SmartCharging'
  | 'RemoteTrigger'
  | 'Security';

export const chargePointInitiated = {
  Authorize: 'Core',
  BootNotification: 'Core',
  DataTransfer: 'Core',
  DiagnosticsStatusNotification: 'FirmwareManagement',
  FirmwareStatusNotification: 'FirmwareManagement',
  Heartbeat: 'Core',
  MeterValues: 'Core',
  StartTransaction: 'Core',
  StatusNotification: 'Core',
  StopTransaction: 'Core',
  LogStatusNotification: 'Security',
  SecurityEventNotification: 'Security',
  SignCertificate: 'Security',
  SignedFirmwareStatusNotification: 'Security',
} as const satisfies Record<string, FeatureProfile>;

export const centralSystemInitiated = {
  CancelReservation: 'Reservation',
  ChangeAvailability: 'Core',
  ChangeConfiguration: 'Core',
  ClearCache: 'Core',
  ClearChargingProfile: 'SmartCharging',
  DataTransfer: 'Core',
  GetCompositeSchedule: 'SmartCharging',
  GetConfiguration: 'Core',
  GetDiagnostics: 'FirmwareManagement',
  GetLocalListVersion: 'LocalAuthListManagement',
  RemoteStartTransaction: 'Core',
  RemoteStopTransaction: 'Core',
  ReserveNow: 'Reservation',
  Reset: 'Core',
  SendLocalList: 'LocalAuthListManagement',
  SetChargingProfile: 'SmartCharging',
  TriggerMessage: 'RemoteTrigger',
  UnlockConnector: 'Core',
  UpdateFirmware: 'FirmwareManagement',
  CertificateSigned: 'Security',
  DeleteCertificate: 'Security',
  ExtendedTriggerMessage: 'Security',
  GetInstalledCertificateIds: 'Security',
  GetLog: 'Security',
  InstallCertificate: 'Security',
  SignedUpdateFirmware: 'Security',
} as const satisfies Record<string, FeatureProfile>;

export type ChargePointAction = keyof typeof chargePointInitiated;
export type CentralSystemAction = keyof typeof centralSystemInitiated;
export type Action = ChargePointAction | CentralSystemAction;

/**
 * A central system must never refuse these for their content: the charger would retry them and then drop them,
 * losing billing data (OCPP 1.6 §3.7, §4.7, §4.8, §4.10). They are accepted, flagged and kept.
 */
export const transactionRelated: ReadonlySet<string> = new Set(['StartTransaction', 'StopTransaction', 'MeterValues']);

export function isChargePointAction(action: string): action is ChargePointAction {
  return Object.hasOwn(chargePointInitiated, action);
}

export function isCentralSystemAction(action: string): action is CentralSystemAction {
  return Object.hasOwn(centralSystemInitiated, action);
}

export function isKnownAction(action: string): action is Action {
  return isChargePointAction(action) || isCentralSystemAction(action);
}
