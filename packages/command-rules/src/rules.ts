import type { CommandRuleSettings } from '@fleetwire/contracts';
import {
  type ChargingProfile,
  capOverride,
  type InstalledProfile,
  isInstalled,
  onEaseeConnector,
} from '@fleetwire/smart-charging';
import { type BudgetPolicy, easeeBudget, nextWriteAt, type WriteBudget } from './write-budget.ts';

export type RuleName =
  | 'easee-configuration-keys'
  | 'easee-trigger-message'
  | 'easee-profile-kind'
  | 'easee-profile-purpose'
  | 'easee-profile-periods'
  | 'easee-profile-connector'
  | 'easee-profile-rate-unit'
  | 'easee-profile-write-budget'
  | 'easee-cap-override'
  | 'easee-configuration-value';

/** Per charger: whether the Easee rules apply (off for a non-Easee charger), and Easee's best-effort TxProfile. */
export type RuleSettings = CommandRuleSettings;

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

/** The configuration keys an Easee charger lets a central system write (docs/reference/easee.md §0.1). */
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
  // Extension keys (docs/reference/easee.md §5.1): free charging, its off switch, and real-time current.
  'freecharging',
  // Easee's pages spell the free-charging RFID key both ways.
  'rfidtagfreecharging',
  'rfidfreecharging',
  'ExternalAuthorizationRequired',
  'DynamicChargerCurrent',
  'DynamicCircuitCurrent',
];
const writableKeys = new Set(writableEaseeKeys.map((key) => key.toLowerCase()));

export const triggerableByEasee: readonly string[] = [
  'BootNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
];

const booleanKeys = new Set(
  [
    'AllowOfflineTxForUnknownId',
    'LocalAuthorizeOffline',
    'LocalAuthListEnabled',
    'LocalPreAuthorize',
    'StopTransactionOnInvalidId',
    'UnlockConnectorOnEVSideDisconnect',
    'freecharging',
    'ExternalAuthorizationRequired',
  ].map((key) => key.toLowerCase()),
);
const wholeSecondKeys = new Set(
  [
    'ConnectionTimeOut',
    'HeartbeatInterval',
    'MeterValueSampleInterval',
    'TransactionMessageAttempts',
    'TransactionMessageRetryInterval',
  ].map((key) => key.toLowerCase()),
);

/** Why a value for a writable Easee key would be refused by the charger, if it would. */
function badValue(key: string, value: string): string | undefined {
  const lower = key.toLowerCase();
  if (booleanKeys.has(lower) && value !== 'true' && value !== 'false') return `${key} takes "true" or "false"`;
  if (wholeSecondKeys.has(lower) && !/^\d{1,9}$/.test(value)) return `${key} takes a whole number`;
  if ((lower === 'rfidtagfreecharging' || lower === 'rfidfreecharging') && (value.length < 5 || value.length > 20)) {
    return `${key} takes an id tag of 5 to 20 characters`;
  }
  if (lower === 'dynamicchargercurrent') {
    const amps = Number(value);
    if (value.trim() === '' || !Number.isFinite(amps) || amps < 0 || amps > 40) return `${key} takes amps from 0 to 40`;
  }
  return undefined;
}

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
    const toAmps = (watts: number, phases: number) => Math.floor((watts / (facts.voltage * phases)) * 10) / 10;
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
          // OCPP 1.6 §7.13: minChargingRate is in the schedule's unit too.
          ...(profile.chargingSchedule.minChargingRate === undefined
            ? {}
            : { minChargingRate: toAmps(profile.chargingSchedule.minChargingRate, facts.phases) }),
          chargingSchedulePeriod: periods.map((period) => ({
            ...period,
            limit: toAmps(period.limit, period.numberPhases ?? facts.phases),
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

/** How far ahead a TxDefaultProfile is held against the ChargePointMaxProfile cap: a week covers recurrences. */
const capHorizonS = 7 * 86_400;

function budgetRefusal(facts: ChargerFacts, budget: BudgetPolicy, now: number): Verdict | undefined {
  const retryAt = nextWriteAt(facts.writeBudget, budget, now);
  if (retryAt <= now) return undefined;
  return refuse(
    'easee-profile-write-budget',
    `profile-write budget spent (${budget.capacity} writes refilled at ${budget.perDay} a day protect the charger's flash); next write allowed at ${new Date(retryAt).toISOString()}`,
    retryAt,
  );
}

/**
 * Whether a central-system command may go to the charger, and in what form. `profileWrite` says whether sending
 * it writes a profile to flash (an identical re-send does not): the caller reserves a write of the budget for it.
 * `facts.writeBudget` must already count the writes reserved by commands still waiting for their answer.
 */
export function checkCommand(
  command: CommandToCheck,
  settings: RuleSettings,
  facts: ChargerFacts,
  now: number,
  budget: BudgetPolicy = easeeBudget,
): Verdict {
  if (!settings.easee) return { ok: true, payload: command.payload, profileWrite: false };
  const payload = command.payload as Record<string, unknown>;
  switch (command.action) {
    case 'ChangeConfiguration': {
      const key = String(payload.key);
      if (!writableKeys.has(key.toLowerCase())) {
        return refuse('easee-configuration-keys', `Easee chargers do not let a central system write ${key}`);
      }
      const problem = badValue(key, String(payload.value));
      return problem === undefined
        ? { ok: true, payload, profileWrite: false }
        : refuse('easee-configuration-value', problem);
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
      if (!checked.ok) return checked;
      // The charger stores the transaction's profile in flash like any other.
      return (
        budgetRefusal(facts, budget, now) ?? {
          ok: true,
          payload: { ...payload, chargingProfile: checked.profile },
          profileWrite: true,
        }
      );
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
      const sent = { connectorId, csChargingProfiles: checked.profile };
      const next = onEaseeConnector({ connectorId, profile: checked.profile });
      const installed = facts.installedProfiles.map(onEaseeConnector);
      if (isInstalled(installed, next)) return { ok: true, payload: sent, profileWrite: false };
      const lifted = capOverride(installed, next, now, capHorizonS, facts);
      if (lifted !== undefined) {
        return refuse(
          'easee-cap-override',
          `an Easee applies a TxDefaultProfile instead of the ChargePointMaxProfile, so this one would allow ${lifted.limitA} A ` +
            `over the installed ${lifted.capA} A cap from ${new Date(lifted.at).toISOString()}; keep its limits within the cap`,
        );
      }
      return budgetRefusal(facts, budget, now) ?? { ok: true, payload: sent, profileWrite: true };
    }
    default:
      return { ok: true, payload, profileWrite: false };
  }
}
