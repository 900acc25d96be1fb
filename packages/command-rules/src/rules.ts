import { type ChargingProfile, type InstalledProfile, isInstalled } from '@fleetwire/smart-charging';
import { type BudgetPolicy, easeeBudget, nextWriteAt, type WriteBudget } from './write-budget.ts';

export type RuleName =
  | 'easee-configuration-keys'
  | 'easee-trigger-message'
  | 'easee-profile-kind'
  | 'easee-profile-purpose'
  | 'easee-profile-periods'
  | 'easee-profile-connector'
  | 'easee-profile-rate-unit'
  | 'easee-profile-write-budget';

/** Per charger: whether the Easee rules apply (off for a non-Easee charger), and Easee's best-effort TxProfile. */
export interface RuleSettings {
  readonly easee: boolean;
  readonly txProfile: boolean;
}

export interface ChargerFacts {
  readonly installedProfiles: readonly InstalledProfile[];
  readonly writeBudget: WriteBudget;
  /** For converting a W schedule to A on request. */
  readonly voltage: number;
  readonly phases: number;
}

export type Verdict =
  | { readonly ok: true; readonly payload: unknown; readonly profileWrite: boolean }
  | { readonly ok: false; readonly rule: RuleName; readonly message: string; readonly retryAt?: number };

/** The configuration keys an Easee charger lets a central system write (reference/easee.md §0.1). */
export const writableEaseeKeys: readonly string[] = [
  'AllowOfflineTxForUnknownId',
  'ConnectionTimeOut',
  'ConnectorPhaseRotation',
  'HeartbeatInterval',
  'LocalAuthorizeOffline',
  'LocalAuthListEnabled',
  'LocalPreAuthorize',
  'MeterValuesSampledData',
  'MeterValueSampleInterval',
  'StopTxnSampledData',
  'StopTransactionOnInvalidId',
  'TransactionMessageAttempts',
  'TransactionMessageRetryInterval',
  'UnlockConnectorOnEVSideDisconnect',
  'freecharging',
  // Easee's pages spell the free-charging RFID key both ways.
  'rfidtagfreecharging',
  'rfidfreecharging',
];
const writableKeys = new Set(writableEaseeKeys.map((key) => key.toLowerCase()));

export const triggerableByEasee: readonly string[] = [
  'BootNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
];

const refuse = (rule: RuleName, message: string, retryAt?: number): Verdict => ({
  ok: false,
  rule,
  message,
  ...(retryAt === undefined ? {} : { retryAt }),
});

function checkProfile(
  profile: ChargingProfile,
  connectorId: number,
  settings: RuleSettings,
  facts: ChargerFacts,
  convertToAmps: boolean,
): { ok: true; profile: ChargingProfile } | Extract<Verdict, { ok: false }> {
  if (profile.chargingProfileKind === 'Relative') {
    return refuse('easee-profile-kind', 'Easee chargers do not accept Relative charging profiles') as Extract<
      Verdict,
      { ok: false }
    >;
  }
  if (profile.chargingProfilePurpose === 'TxProfile' && !settings.txProfile) {
    return refuse(
      'easee-profile-purpose',
      'Easee chargers do not support TxProfile; use TxDefaultProfile, or enable TxProfile for this charger',
    ) as Extract<Verdict, { ok: false }>;
  }
  const periods = profile.chargingSchedule.chargingSchedulePeriod;
  if (periods.length > 16) {
    return refuse(
      'easee-profile-periods',
      `Easee chargers take at most 16 schedule periods, not ${periods.length}`,
    ) as Extract<Verdict, { ok: false }>;
  }
  if (connectorId !== 0 && connectorId !== 1) {
    return refuse(
      'easee-profile-connector',
      `Easee chargers take profiles on connector 0 or 1, not ${connectorId}`,
    ) as Extract<Verdict, { ok: false }>;
  }
  if (profile.chargingSchedule.chargingRateUnit !== 'A') {
    if (!convertToAmps) {
      return refuse(
        'easee-profile-rate-unit',
        'Easee chargers take limits in A only; send the schedule in A, or ask for it to be converted (convert=A)',
      ) as Extract<Verdict, { ok: false }>;
    }
    return {
      ok: true,
      profile: {
        ...profile,
        chargingSchedule: {
          ...profile.chargingSchedule,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: periods.map((period) => ({
            ...period,
            limit: Math.floor((period.limit / (facts.voltage * (period.numberPhases ?? facts.phases))) * 10) / 10,
          })),
        },
      },
    };
  }
  return { ok: true, profile };
}

export interface CommandToCheck {
  readonly action: string;
  readonly payload: unknown;
  /** Convert a W schedule to A with the charger's phases and voltage instead of refusing it. */
  readonly convertToAmps?: boolean;
}

/**
 * Whether a central-system command may go to the charger, and in what form. `profileWrite` says whether sending
 * it writes a profile to flash (an identical re-send does not).
 */
export function checkCommand(
  command: CommandToCheck,
  settings: RuleSettings,
  facts: ChargerFacts,
  now: number,
  budget: BudgetPolicy = easeeBudget,
): Verdict {
  if (!settings.easee)
    return { ok: true, payload: command.payload, profileWrite: command.action === 'SetChargingProfile' };
  const payload = command.payload as Record<string, unknown>;
  switch (command.action) {
    case 'ChangeConfiguration': {
      const key = String(payload.key);
      return writableKeys.has(key.toLowerCase())
        ? { ok: true, payload, profileWrite: false }
        : refuse('easee-configuration-keys', `Easee chargers do not let a central system write ${key}`);
    }
    case 'TriggerMessage': {
      const requested = String(payload.requestedMessage);
      return triggerableByEasee.includes(requested)
        ? { ok: true, payload, profileWrite: false }
        : refuse('easee-trigger-message', `Easee chargers answer TriggerMessage ${requested} with NotImplemented`);
    }
    case 'RemoteStartTransaction': {
      const profile = payload.chargingProfile as ChargingProfile | undefined;
      if (profile === undefined) return { ok: true, payload, profileWrite: false };
      const connectorId = typeof payload.connectorId === 'number' ? payload.connectorId : 1;
      const checked = checkProfile(profile, connectorId, settings, facts, command.convertToAmps === true);
      return checked.ok
        ? { ok: true, payload: { ...payload, chargingProfile: checked.profile }, profileWrite: false }
        : checked;
    }
    case 'SetChargingProfile': {
      const connectorId = Number(payload.connectorId);
      const checked = checkProfile(
        payload.csChargingProfiles as ChargingProfile,
        connectorId,
        settings,
        facts,
        command.convertToAmps === true,
      );
      if (!checked.ok) return checked;
      const next = { connectorId, profile: checked.profile };
      if (isInstalled(facts.installedProfiles, next)) {
        return { ok: true, payload: { connectorId, csChargingProfiles: checked.profile }, profileWrite: false };
      }
      const retryAt = nextWriteAt(facts.writeBudget, budget, now);
      if (retryAt > now) {
        return refuse(
          'easee-profile-write-budget',
          `profile-write budget spent (${budget.capacity} writes refilled at ${budget.perDay} a day protect the charger's flash); next write allowed at ${new Date(retryAt).toISOString()}`,
          retryAt,
        );
      }
      return { ok: true, payload: { connectorId, csChargingProfiles: checked.profile }, profileWrite: true };
    }
    default:
      return { ok: true, payload, profileWrite: false };
  }
}
