import type { ChargingProfile, InstalledProfile } from './profiles.ts';

export type RateUnit = 'A' | 'W';

export interface SchedulePeriod {
  /** Seconds from the start of the window. */
  readonly startPeriod: number;
  readonly limit: number;
  readonly numberPhases?: number;
}

export interface WindowSchedule {
  readonly start: string;
  readonly duration: number;
  readonly chargingRateUnit: RateUnit;
  readonly chargingSchedulePeriod: readonly SchedulePeriod[];
}

export interface ScheduleContext {
  /** When the transaction on the connector started (Relative profiles count from it), if one is running. */
  readonly transactionStart?: number;
  /** Volts per phase and phases, to express a W limit in A and back (OCPP 1.6 §7.13: 230 V, 3 phases by default). */
  readonly voltage: number;
  readonly phases: number;
}

const day = 86_400;
const week = 7 * day;

/** When the schedule of `profile` starts for an instant `t` (ms), or undefined when it does not apply then. */
function scheduleStart(profile: ChargingProfile, t: number, context: ScheduleContext): number | undefined {
  if (profile.validFrom !== undefined && t < Date.parse(profile.validFrom)) return undefined;
  if (profile.validTo !== undefined && t >= Date.parse(profile.validTo)) return undefined;
  const { chargingSchedule } = profile;
  switch (profile.chargingProfileKind) {
    case 'Relative':
      return context.transactionStart;
    case 'Recurring': {
      const anchor = Date.parse(chargingSchedule.startSchedule ?? profile.validFrom ?? '1970-01-01T00:00:00Z');
      const periodMs = (profile.recurrencyKind === 'Weekly' ? week : day) * 1000;
      if (t < anchor) return undefined;
      return anchor + Math.floor((t - anchor) / periodMs) * periodMs;
    }
    default:
      return chargingSchedule.startSchedule === undefined ? undefined : Date.parse(chargingSchedule.startSchedule);
  }
}

/** The limit `profile` sets at `t`, in `unit`, or undefined when it sets none then (outside its schedule). */
function limitAt(profile: ChargingProfile, t: number, unit: RateUnit, context: ScheduleContext) {
  const start = scheduleStart(profile, t, context);
  if (start === undefined || t < start) return undefined;
  const { chargingSchedule } = profile;
  const elapsed = (t - start) / 1000;
  if (chargingSchedule.duration !== undefined && elapsed >= chargingSchedule.duration) return undefined;
  let current: (typeof chargingSchedule.chargingSchedulePeriod)[number] | undefined;
  for (const period of chargingSchedule.chargingSchedulePeriod) {
    if (period.startPeriod <= elapsed) current = period;
  }
  if (current === undefined) return undefined;
  const phases = current.numberPhases ?? context.phases;
  let limit = current.limit;
  if (chargingSchedule.chargingRateUnit !== unit) {
    limit = unit === 'A' ? limit / (context.voltage * phases) : limit * context.voltage * phases;
  }
  return { limit, numberPhases: current.numberPhases };
}

/** The profile of a purpose that rules at `t`: the highest stack level among those that set a limit then. */
function ruling(profiles: readonly InstalledProfile[], t: number, unit: RateUnit, context: ScheduleContext) {
  let best: { stackLevel: number; limit: number; numberPhases?: number | undefined } | undefined;
  for (const { profile } of profiles) {
    const set = limitAt(profile, t, unit, context);
    if (set !== undefined && (best === undefined || profile.stackLevel > best.stackLevel)) {
      best = { stackLevel: profile.stackLevel, ...set };
    }
  }
  return best;
}

export type CompositeRule = 'ocpp' | 'easee';

/**
 * The limit on `connectorId` at `t`. OCPP 1.6 §3.13.3: the minimum of ChargePointMaxProfile and the TxProfile
 * (while a transaction runs) or else the TxDefaultProfile, a connector's own TxDefault overriding connector 0's.
 * Easee (docs/reference/easee.md §0.1): purposes are not merged — a valid TxDefaultProfile overrides the
 * ChargePointMaxProfile, and there is no TxProfile.
 */
function limitOn(
  installed: readonly InstalledProfile[],
  connectorId: number,
  t: number,
  unit: RateUnit,
  context: ScheduleContext,
  rule: CompositeRule,
) {
  const of = (purpose: string, connectors: readonly number[]) =>
    installed.filter(
      ({ connectorId: on, profile }) => profile.chargingProfilePurpose === purpose && connectors.includes(on),
    );
  const max = ruling(of('ChargePointMaxProfile', [0]), t, unit, context);
  const defaults =
    ruling(of('TxDefaultProfile', [connectorId]), t, unit, context) ??
    ruling(of('TxDefaultProfile', [0]), t, unit, context);
  if (rule === 'easee') return defaults ?? max;
  const tx =
    context.transactionStart === undefined ? undefined : ruling(of('TxProfile', [connectorId]), t, unit, context);
  const chosen = tx ?? defaults;
  if (chosen === undefined) return max;
  if (max === undefined) return chosen;
  return chosen.limit <= max.limit ? chosen : max;
}

/** Every instant in the window at which some profile may change the limit. */
function breakpoints(
  installed: readonly InstalledProfile[],
  from: number,
  to: number,
  context: ScheduleContext,
): number[] {
  const points = new Set<number>([from]);
  const add = (t: number) => {
    if (t > from && t < to) points.add(t);
  };
  for (const { profile } of installed) {
    if (profile.validFrom !== undefined) add(Date.parse(profile.validFrom));
    if (profile.validTo !== undefined) add(Date.parse(profile.validTo));
    // Walk every start of the schedule that can fall in the window (recurring ones repeat).
    for (let t = from; t < to; ) {
      const start = scheduleStart(profile, t, context);
      if (start === undefined) break;
      for (const period of profile.chargingSchedule.chargingSchedulePeriod) add(start + period.startPeriod * 1000);
      const { duration } = profile.chargingSchedule;
      if (duration !== undefined) add(start + duration * 1000);
      if (profile.chargingProfileKind !== 'Recurring') break;
      t = start + (profile.recurrencyKind === 'Weekly' ? week : day) * 1000;
      add(t);
    }
  }
  return [...points].sort((a, b) => a - b);
}

/**
 * The schedule of a connector over `[from, from + durationS)`, as GetCompositeSchedule would answer it — by the
 * OCPP rules or by Easee's — merged into periods where the limit changes.
 */
export function compositeSchedule(
  installed: readonly InstalledProfile[],
  connectorId: number,
  from: number,
  durationS: number,
  unit: RateUnit,
  context: ScheduleContext,
  rule: CompositeRule,
): WindowSchedule {
  const to = from + durationS * 1000;
  const periods: SchedulePeriod[] = [];
  for (const t of breakpoints(installed, from, to, context)) {
    const set = limitOn(installed, connectorId, t, unit, context, rule);
    if (set === undefined) continue;
    const limit = Math.round(set.limit * 10) / 10;
    const last = periods.at(-1);
    if (last !== undefined && last.limit === limit && last.numberPhases === set.numberPhases) continue;
    periods.push({
      startPeriod: Math.round((t - from) / 1000),
      limit,
      ...(set.numberPhases === undefined ? {} : { numberPhases: set.numberPhases }),
    });
  }
  return {
    start: new Date(from).toISOString(),
    duration: durationS,
    chargingRateUnit: unit,
    chargingSchedulePeriod: periods,
  };
}

/** Where a profile would let an Easee draw more than its ChargePointMaxProfile allows. */
export interface CapOverride {
  /** When it would first happen (ms). */
  readonly at: number;
  readonly limitA: number;
  readonly capA: number;
}

/**
 * Whether installing `candidate` would lift the ChargePointMaxProfile cap on an Easee charger: Easee lets a valid
 * TxDefaultProfile override ChargePointMax (docs/reference/easee.md §0.1), so the cap holds only if, at every instant of
 * the next `horizonS`, what an Easee would apply stays within what the installed ChargePointMax allows.
 */
export function capOverride(
  installed: readonly InstalledProfile[],
  candidate: InstalledProfile,
  from: number,
  horizonS: number,
  context: ScheduleContext,
): CapOverride | undefined {
  const caps = installed.filter(({ profile }) => profile.chargingProfilePurpose === 'ChargePointMaxProfile');
  if (caps.length === 0 || candidate.profile.chargingProfilePurpose !== 'TxDefaultProfile') return undefined;
  const after = [...installed, candidate];
  const to = from + horizonS * 1000;
  for (const t of breakpoints(after, from, to, context)) {
    const cap = ruling(caps, t, 'A', context);
    const applied = limitOn(after, candidate.connectorId, t, 'A', context, 'easee');
    if (cap === undefined || applied === undefined) continue;
    if (applied.limit > cap.limit + 1e-9) return { at: t, limitA: applied.limit, capA: cap.limit };
  }
  return undefined;
}

/** The ChargePointMaxProfile limit in A at `t`, if one is installed and valid then. */
export function chargePointMaxAt(
  installed: readonly InstalledProfile[],
  t: number,
  context: ScheduleContext,
): number | undefined {
  const caps = installed.filter(({ profile }) => profile.chargingProfilePurpose === 'ChargePointMaxProfile');
  return ruling(caps, t, 'A', context)?.limit;
}
