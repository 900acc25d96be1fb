/** A charging session as the charger firmware reports it on the stream (observations 223 and 129). */
export interface StreamSession {
  /** Sequence number the firmware gives each session. */
  readonly sessionId: number;
  readonly startedAt: string;
  readonly meterStartWh?: number;
  readonly stoppedAt?: string;
  readonly meterStopWh?: number;
  readonly energyWh?: number;
  readonly auth?: string;
  readonly authReason?: string;
}

function field(record: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (record[name] !== undefined && record[name] !== null) return record[name];
  return undefined;
}

function kwhToWh(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? Math.round(number * 1000 * 1000) / 1000 : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads 223 ChargingSessionStart `{Id, MeterValue, Start, Auth, AuthReason}` and 129 ChargingSession
 * `{Id, Start, Stop, EnergyKwh, MeterValueStart, MeterValueStop, Auth, AuthReason}` (kWh) into Wh.
 */
export function readStreamSession(value: unknown): StreamSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const sessionId = Number(field(record, 'Id', 'id'));
  const startedAt = text(field(record, 'Start', 'start'));
  if (!Number.isInteger(sessionId) || startedAt === undefined) return undefined;
  const optional = {
    meterStartWh: kwhToWh(field(record, 'MeterValueStart', 'MeterValue', 'meterValueStart', 'meterValue')),
    stoppedAt: text(field(record, 'Stop', 'stop')),
    meterStopWh: kwhToWh(field(record, 'MeterValueStop', 'meterValueStop')),
    energyWh: kwhToWh(field(record, 'EnergyKwh', 'energyKwh')),
    auth: text(field(record, 'Auth', 'auth')),
    authReason: text(field(record, 'AuthReason', 'authReason')),
  };
  return {
    sessionId,
    startedAt,
    ...Object.fromEntries(Object.entries(optional).filter(([, entry]) => entry !== undefined)),
  };
}
