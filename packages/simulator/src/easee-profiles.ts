import type { OcppRequest, OcppResponse, SetChargingProfileRequest } from '@fleetwire/ocpp';

export type ChargingProfile = SetChargingProfileRequest['csChargingProfiles'];

const dayMs = 86_400_000;

/**
 * Why an Easee refuses a profile (docs/reference/easee.md §0.1): no Relative kind, no TxProfile, connectors 0 and 1
 * only, at most 16 periods, current (A) the only rate unit. Undefined when it takes it.
 */
export function easeeRefusal(connectorId: number, profile: ChargingProfile): string | undefined {
  if (connectorId > 1) return 'connector';
  if (profile.chargingProfileKind === 'Relative') return 'kind';
  if (profile.chargingProfilePurpose === 'TxProfile') return 'purpose';
  if (profile.chargingSchedule.chargingSchedulePeriod.length > 16) return 'periods';
  if (profile.chargingSchedule.chargingRateUnit !== 'A') return 'rate unit';
  return undefined;
}

/** When the current run of `profile`'s schedule began, for an instant `t`; undefined when it is not running. */
function runStart(profile: ChargingProfile, t: number): number | undefined {
  if (profile.validFrom !== undefined && t < Date.parse(profile.validFrom)) return undefined;
  if (profile.validTo !== undefined && t >= Date.parse(profile.validTo)) return undefined;
  const { startSchedule, duration } = profile.chargingSchedule;
  let start: number;
  if (profile.chargingProfileKind === 'Recurring') {
    const anchor = Date.parse(startSchedule ?? profile.validFrom ?? '1970-01-01T00:00:00Z');
    const every = profile.recurrencyKind === 'Weekly' ? 7 * dayMs : dayMs;
    if (t < anchor) return undefined;
    start = anchor + Math.floor((t - anchor) / every) * every;
  } else {
    start = startSchedule === undefined ? Number.NEGATIVE_INFINITY : Date.parse(startSchedule);
  }
  if (t < start) return undefined;
  if (duration !== undefined && t >= start + duration * 1000) return undefined;
  return start;
}

function limitOf(profile: ChargingProfile, start: number, t: number): number {
  const elapsedS = Number.isFinite(start) ? (t - start) / 1000 : Number.POSITIVE_INFINITY;
  let limit = profile.chargingSchedule.chargingSchedulePeriod[0]?.limit ?? 0;
  for (const period of profile.chargingSchedule.chargingSchedulePeriod)
    if (period.startPeriod <= elapsedS) limit = period.limit;
  return limit;
}

/**
 * The profiles an Easee keeps in flash, and the one it obeys. Purposes are not merged as OCPP would: any running
 * TxDefaultProfile overrides ChargePointMaxProfile, and the highest stack level of that purpose rules.
 */
export class EaseeProfiles {
  private readonly byId = new Map<number, ChargingProfile>();

  get count(): number {
    return this.byId.size;
  }

  all(): ChargingProfile[] {
    return [...this.byId.values()];
  }

  /** Keeps `profile`, replacing one with its id or with its purpose and stack level (OCPP 1.6 §3.13.2). */
  install(profile: ChargingProfile): void {
    for (const [id, kept] of this.byId) {
      if (kept.chargingProfilePurpose === profile.chargingProfilePurpose && kept.stackLevel === profile.stackLevel) {
        this.byId.delete(id);
      }
    }
    this.byId.set(profile.chargingProfileId, profile);
  }

  /** SetChargingProfile: kept (in flash) unless an Easee refuses it. */
  set(request: OcppRequest<'SetChargingProfile'>): OcppResponse<'SetChargingProfile'>['status'] {
    const profile = request.csChargingProfiles as ChargingProfile;
    if (easeeRefusal(request.connectorId, profile) !== undefined) return 'Rejected';
    this.install(profile);
    return 'Accepted';
  }

  /** ClearChargingProfile: Accepted when anything matched. */
  clearFor(request: OcppRequest<'ClearChargingProfile'>): OcppResponse<'ClearChargingProfile'>['status'] {
    const cleared = this.clear({
      ...(request.id === undefined ? {} : { id: request.id }),
      ...(request.chargingProfilePurpose === undefined
        ? {}
        : { chargingProfilePurpose: request.chargingProfilePurpose }),
      ...(request.stackLevel === undefined ? {} : { stackLevel: request.stackLevel }),
    });
    return cleared ? 'Accepted' : 'Unknown';
  }

  /** Easee's GetCompositeSchedule: the active profile's own schedule, not a composite of all of them. */
  composite(
    request: OcppRequest<'GetCompositeSchedule'>,
    now: number,
    scheduleStart: string,
  ): OcppResponse<'GetCompositeSchedule'> {
    const active = this.active(now);
    if (active === undefined || request.connectorId > 1 || request.chargingRateUnit === 'W') {
      return { status: 'Rejected' };
    }
    return {
      status: 'Accepted',
      connectorId: request.connectorId,
      scheduleStart,
      chargingSchedule: active.profile.chargingSchedule,
    };
  }

  /** ClearChargingProfile: whether anything matched. */
  clear(filter: { id?: number; chargingProfilePurpose?: string; stackLevel?: number }): boolean {
    let cleared = false;
    for (const [id, profile] of this.byId) {
      const matches =
        filter.id !== undefined
          ? id === filter.id
          : (filter.chargingProfilePurpose === undefined ||
              profile.chargingProfilePurpose === filter.chargingProfilePurpose) &&
            (filter.stackLevel === undefined || profile.stackLevel === filter.stackLevel);
      if (matches) {
        this.byId.delete(id);
        cleared = true;
      }
    }
    return cleared;
  }

  /** The profile the charger obeys at `t` and the current it allows, if any profile is running. */
  active(t: number): { profile: ChargingProfile; limitA: number } | undefined {
    for (const purpose of ['TxDefaultProfile', 'ChargePointMaxProfile']) {
      let best: { profile: ChargingProfile; limitA: number } | undefined;
      for (const profile of this.byId.values()) {
        if (profile.chargingProfilePurpose !== purpose) continue;
        const start = runStart(profile, t);
        if (start === undefined || (best !== undefined && best.profile.stackLevel >= profile.stackLevel)) continue;
        best = { profile, limitA: limitOf(profile, start, t) };
      }
      if (best !== undefined) return best;
    }
    return undefined;
  }

  /** The next instant after `t` at which the obeyed limit may change: a period, run or validity boundary. */
  nextChange(t: number): number | undefined {
    let next = Number.POSITIVE_INFINITY;
    const consider = (at: number) => {
      if (at > t && at < next) next = at;
    };
    for (const profile of this.byId.values()) {
      if (profile.validFrom !== undefined) consider(Date.parse(profile.validFrom));
      if (profile.validTo !== undefined) consider(Date.parse(profile.validTo));
      const { startSchedule, duration, chargingSchedulePeriod } = profile.chargingSchedule;
      const anchor = Date.parse(startSchedule ?? profile.validFrom ?? '1970-01-01T00:00:00Z');
      let starts = [anchor];
      if (profile.chargingProfileKind === 'Recurring') {
        const every = profile.recurrencyKind === 'Weekly' ? 7 * dayMs : dayMs;
        const base = t < anchor ? anchor : anchor + Math.floor((t - anchor) / every) * every;
        starts = [base, base + every];
      }
      for (const start of starts) {
        if (!Number.isFinite(start)) continue;
        consider(start);
        for (const period of chargingSchedulePeriod) consider(start + period.startPeriod * 1000);
        if (duration !== undefined) consider(start + duration * 1000);
      }
    }
    return Number.isFinite(next) ? next : undefined;
  }
}
