/**
 * The configuration of an Easee charge point as its central system sees it (docs/reference/easee.md §0.1, §5.1): only
 * fourteen Core keys are writable, every other key is read-only and describes what the charger does, plus the
 * free-charging extension keys.
 */

export type ChangeConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

type Kind = 'boolean' | 'integer' | 'measurands' | 'string' | 'rfid' | 'amps';

interface KeySpec {
  readonly value: string;
  readonly writable: boolean;
  readonly kind: Kind;
}

/** The measurands Easee documents for MeterValues. */
export const easeeMeasurands: ReadonlySet<string> = new Set([
  'Current.Import',
  'Current.Offered',
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Voltage',
  'Temperature',
]);

const rw = (value: string, kind: Kind): KeySpec => ({ value, writable: true, kind });
const ro = (value: string): KeySpec => ({ value, writable: false, kind: 'string' });

const defaults: Readonly<Record<string, KeySpec>> = {
  // The fourteen writable Core keys.
  AllowOfflineTxForUnknownId: rw('false', 'boolean'),
  ConnectionTimeOut: rw('90', 'integer'),
  ConnectorPhaseRotation: rw('0.RST,1.RST', 'string'),
  HeartbeatInterval: rw('180', 'integer'),
  LocalAuthorizeOffline: rw('true', 'boolean'),
  LocalAuthListEnabled: rw('true', 'boolean'),
  LocalPreAuthorize: rw('false', 'boolean'),
  MeterValuesSampledData: rw('Energy.Active.Import.Register', 'measurands'),
  MeterValueSampleInterval: rw('60', 'integer'),
  StopTxnSampledData: rw('Energy.Active.Import.Register', 'measurands'),
  StopTransactionOnInvalidId: rw('true', 'boolean'),
  TransactionMessageAttempts: rw('3', 'integer'),
  TransactionMessageRetryInterval: rw('60', 'integer'),
  UnlockConnectorOnEVSideDisconnect: rw('false', 'boolean'),
  // Read-only, even where OCPP says read-write.
  AuthorizeRemoteTxRequests: ro('false'),
  ClockAlignedDataInterval: ro('0'),
  GetConfigurationMaxKeys: ro('64'),
  LocalAuthListMaxLength: ro('1000'),
  MeterValuesAlignedData: ro(''),
  NumberOfConnectors: ro('1'),
  ResetRetries: ro('0'),
  SendLocalListMaxLength: ro('1000'),
  StopTransactionOnEVSideDisconnect: ro('true'),
  StopTxnAlignedData: ro(''),
  SupportedFeatureProfiles: ro('Core,LocalAuthListManagement,RemoteTrigger,SmartCharging'),
  ChargeProfileMaxStackLevel: ro('10'),
  ChargingScheduleAllowedChargingRateUnit: ro('Current'),
  ChargingScheduleMaxPeriods: ro('16'),
  MaxChargingProfilesInstalled: ro('10'),
  // Easee extensions: free charging, and the switch that turns it off again.
  freecharging: rw('false', 'boolean'),
  rfidtagfreecharging: rw('', 'rfid'),
  ExternalAuthorizationRequired: rw('true', 'boolean'),
  // The real-time current extension (docs/reference/easee.md §5.1): volatile, so it reads back Easee's default.
  DynamicChargerCurrent: rw('32', 'amps'),
};

/** Easee's documents spell the free-charging tag key two ways; both name the same setting. */
const aliases: Readonly<Record<string, string>> = { rfidfreecharging: 'rfidtagfreecharging' };

function acceptable(kind: Kind, value: string): boolean {
  switch (kind) {
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'integer':
      return /^\d{1,9}$/.test(value);
    case 'measurands':
      return value === '' || value.split(',').every((measurand) => easeeMeasurands.has(measurand.trim()));
    case 'rfid':
      return value.length >= 5 && value.length <= 20;
    case 'string':
      return value.length <= 500;
    case 'amps': {
      const amps = Number(value);
      return value.trim() !== '' && Number.isFinite(amps) && amps >= 0 && amps <= 40;
    }
  }
}

export interface ConfigurationEntry {
  readonly key: string;
  readonly readonly: boolean;
  readonly value: string;
}

/** One charge point's configuration keys: persistent across reboots, like the charger's own. */
export class EaseeConfiguration {
  private readonly values = new Map<string, string>();

  constructor() {
    for (const [key, spec] of Object.entries(defaults)) this.values.set(key, spec.value);
  }

  private static canonical(key: string): string {
    return aliases[key] ?? key;
  }

  get(key: string): string | undefined {
    return this.values.get(EaseeConfiguration.canonical(key));
  }

  flag(key: string): boolean {
    return this.get(key) === 'true';
  }

  integer(key: string): number {
    return Number(this.get(key) ?? 0);
  }

  list(key: string): string[] {
    return (this.get(key) ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }

  /** GetConfiguration: the keys asked for (all when none), and the names it does not know. */
  read(keys: readonly string[] | undefined): { configurationKey: ConfigurationEntry[]; unknownKey: string[] } {
    const wanted = keys === undefined || keys.length === 0 ? [...this.values.keys()] : keys;
    const configurationKey: ConfigurationEntry[] = [];
    const unknownKey: string[] = [];
    for (const asked of wanted) {
      const key = EaseeConfiguration.canonical(asked);
      const spec = defaults[key];
      if (spec === undefined) unknownKey.push(asked);
      else configurationKey.push({ key: asked, readonly: !spec.writable, value: this.values.get(key) ?? '' });
    }
    return { configurationKey, unknownKey };
  }

  /** ChangeConfiguration as an Easee answers it. */
  change(asked: string, value: string): ChangeConfigurationStatus {
    const key = EaseeConfiguration.canonical(asked);
    const spec = defaults[key];
    if (spec === undefined) return 'NotSupported';
    if (!spec.writable || !acceptable(spec.kind, value)) return 'Rejected';
    this.values.set(key, value);
    // Free charging needs no authorization; requiring authorization again ends free charging.
    if (key === 'freecharging') this.values.set('ExternalAuthorizationRequired', value === 'true' ? 'false' : 'true');
    if (key === 'ExternalAuthorizationRequired' && value === 'true') this.values.set('freecharging', 'false');
    return 'Accepted';
  }

  /** What the charger itself sets, whatever a central system may write (UnlockConnector does this). */
  set(key: string, value: string): void {
    this.values.set(EaseeConfiguration.canonical(key), value);
  }
}
