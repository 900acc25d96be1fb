/** ChargerOpMode, observation 109 (docs/reference/easee.md §2.1). */
export const opModeNames: Readonly<Record<number, string>> = {
  0: 'Offline',
  1: 'Disconnected',
  2: 'AwaitingStart',
  3: 'Charging',
  4: 'Completed',
  5: 'Error',
  6: 'ReadyToCharge',
  7: 'AwaitingAuthentication',
  8: 'Deauthenticating',
};

export const OpMode = {
  Offline: 0,
  Disconnected: 1,
  AwaitingStart: 2,
  Charging: 3,
  Completed: 4,
  Error: 5,
  ReadyToCharge: 6,
  AwaitingAuthentication: 7,
  Deauthenticating: 8,
} as const;

/** The OCPP 1.6 status of connector 1 an op mode stands for; Offline (0) stands for none (reference §2.2). */
export function ocppStatusOfOpMode(opMode: number): string | undefined {
  switch (opMode) {
    case OpMode.Disconnected:
      return 'Available';
    case OpMode.AwaitingStart:
      return 'SuspendedEVSE';
    case OpMode.Charging:
      return 'Charging';
    case OpMode.Completed:
      return 'SuspendedEV';
    case OpMode.Error:
      return 'Faulted';
    case OpMode.ReadyToCharge:
      return 'SuspendedEV';
    case OpMode.AwaitingAuthentication:
      return 'Preparing';
    case OpMode.Deauthenticating:
      return 'Finishing';
    default:
      return undefined;
  }
}

/** ReasonForNoCurrent, observation 96 (reference §2.3; the names Easee's changelog gives, else the meaning). */
export const reasonForNoCurrentNames: Readonly<Record<number, string>> = {
  0: 'OK',
  1: 'MaxCircuitCurrentTooLow',
  2: 'MaxDynamicCircuitCurrentTooLow',
  3: 'MaxDynamicOfflineFallbackCircuitCurrentTooLow',
  4: 'CircuitFuseTooLow',
  5: 'WaitingInQueue',
  6: 'WaitingInFully',
  7: 'IllegalGridType',
  8: 'PrimaryUnitNoCurrentRequest',
  9: 'MasterCommunicationLost',
  10: 'EqualizerCurrentTooLow',
  11: 'PhaseNotConnected',
  25: 'LimitedByCircuitFuse',
  26: 'LimitedByCircuitMaxCurrent',
  27: 'LimitedByDynamicCircuitCurrent',
  28: 'LimitedByEqualizer',
  29: 'LimitedByCircuitLoadBalancing',
  30: 'LimitedByOfflineSettings',
  50: 'SecondaryNotRequestingCurrent',
  51: 'MaxChargerCurrentTooLow',
  52: 'MaxDynamicChargerCurrentTooLow',
  53: 'ChargerDisabled',
  54: 'PendingScheduledCharging',
  55: 'PendingAuthorization',
  56: 'ChargerInErrorState',
  57: 'ErraticEV',
  75: 'LimitedByCableRating',
  76: 'LimitedBySchedule',
  77: 'LimitedByChargerMaxCurrent',
  78: 'LimitedByDynamicChargerCurrent',
  79: 'LimitedByCarNotCharging',
  80: 'LimitedByLocalAdjustment',
  81: 'LimitedByCar',
  100: 'UndefinedError',
};
