import { asArray, asNumber, asString, fieldOf } from './lenient.ts';

/** A sampled value in base units: energy Wh (varh), power W (var, VA), current A, voltage V, temperature Celsius. */
export interface Sample {
  readonly measurand: string;
  readonly value: number;
  readonly unit?: string;
  readonly phase?: string;
  readonly context?: string;
  readonly location?: string;
}

export interface MeterReading {
  readonly timestamp: string;
  readonly samples: readonly Sample[];
}

/** What a MeterValues (or StopTransaction.transactionData) said, normalised, and what could not be read. */
export interface NormalizedMeterValues {
  readonly readings: readonly MeterReading[];
  readonly unreadable: number;
}

const defaultMeasurand = 'Energy.Active.Import.Register';

// Multiplier to the base unit and the base unit's name; OCPP 1.6 §7.31 UnitOfMeasure.
const units: Record<string, readonly [number, string]> = {
  Wh: [1, 'Wh'],
  kWh: [1000, 'Wh'],
  varh: [1, 'varh'],
  kvarh: [1000, 'varh'],
  W: [1, 'W'],
  kW: [1000, 'W'],
  VA: [1, 'VA'],
  kVA: [1000, 'VA'],
  var: [1, 'var'],
  kvar: [1000, 'var'],
  A: [1, 'A'],
  V: [1, 'V'],
  Celsius: [1, 'Celsius'],
  // The 1.6 schema carries the misspelling too.
  Celcius: [1, 'Celsius'],
  Percent: [1, 'Percent'],
};

function defaultUnit(measurand: string): string | undefined {
  if (measurand.startsWith('Energy.Reactive')) return 'varh';
  if (measurand.startsWith('Energy.')) return 'Wh';
  if (measurand.startsWith('Power.Reactive')) return 'var';
  if (measurand === 'Power.Factor') return undefined;
  if (measurand.startsWith('Power.')) return 'W';
  if (measurand.startsWith('Current.')) return 'A';
  if (measurand === 'Voltage') return 'V';
  if (measurand === 'Temperature') return 'Celsius';
  if (measurand === 'SoC') return 'Percent';
  return undefined;
}

function toBaseUnit(value: number, unit: string | undefined): readonly [number, string | undefined] {
  if (unit === undefined) return [value, undefined];
  if (unit === 'K') return [value - 273.15, 'Celsius'];
  if (unit === 'Fahrenheit') return [((value - 32) * 5) / 9, 'Celsius'];
  const known = units[unit];
  return known === undefined ? [value, unit] : [value * known[0], known[1]];
}

function normalizeSample(raw: unknown): Sample | undefined {
  if (asString(fieldOf(raw, 'format')) === 'SignedData') return undefined;
  const value = asNumber(fieldOf(raw, 'value'));
  if (value === undefined) return undefined;
  const measurand = asString(fieldOf(raw, 'measurand')) ?? defaultMeasurand;
  const [base, unit] = toBaseUnit(value, asString(fieldOf(raw, 'unit')) ?? defaultUnit(measurand));
  const phase = asString(fieldOf(raw, 'phase'));
  const context = asString(fieldOf(raw, 'context'));
  const location = asString(fieldOf(raw, 'location'));
  return {
    measurand,
    value: base,
    ...(unit === undefined ? {} : { unit }),
    ...(phase === undefined ? {} : { phase }),
    ...(context === undefined ? {} : { context }),
    ...(location === undefined ? {} : { location }),
  };
}

export function normalizeMeterValues(meterValue: unknown): NormalizedMeterValues {
  const readings: MeterReading[] = [];
  let unreadable = 0;
  for (const entry of asArray(meterValue)) {
    const samples: Sample[] = [];
    for (const raw of asArray(fieldOf(entry, 'sampledValue'))) {
      const sample = normalizeSample(raw);
      if (sample === undefined) unreadable += 1;
      else samples.push(sample);
    }
    readings.push({ timestamp: asString(fieldOf(entry, 'timestamp')) ?? '', samples });
  }
  return { readings, unreadable };
}

/**
 * One figure for a measurand in a reading: the value without a phase when the charger sent one, otherwise the
 * sum of the line phases (L1, L2, L3) it sent, which is what a total register or total power means.
 */
function totalOf(reading: MeterReading, measurand: string): number | undefined {
  let phaseSum: number | undefined;
  for (const sample of reading.samples) {
    if (sample.measurand !== measurand) continue;
    if (sample.phase === undefined) return sample.value;
    if (sample.phase === 'L1' || sample.phase === 'L2' || sample.phase === 'L3') {
      phaseSum = (phaseSum ?? 0) + sample.value;
    }
  }
  return phaseSum;
}

/** The newest energy register (Wh) and active power (W) among the readings, with the time they were taken. */
export function latestTotals(readings: readonly MeterReading[]): {
  energyWh?: number;
  energyAt?: string;
  powerW?: number;
} {
  let energyWh: number | undefined;
  let energyAt: string | undefined;
  let energyTime = Number.NEGATIVE_INFINITY;
  let powerW: number | undefined;
  for (const reading of readings) {
    const energy = totalOf(reading, 'Energy.Active.Import.Register');
    const time = Date.parse(reading.timestamp);
    if (energy !== undefined && (Number.isNaN(time) || time >= energyTime)) {
      energyWh = energy;
      energyAt = reading.timestamp;
      if (!Number.isNaN(time)) energyTime = time;
    }
    powerW = totalOf(reading, 'Power.Active.Import') ?? powerW;
  }
  return {
    ...(energyWh === undefined ? {} : { energyWh }),
    ...(energyAt === undefined ? {} : { energyAt }),
    ...(powerW === undefined ? {} : { powerW }),
  };
}
