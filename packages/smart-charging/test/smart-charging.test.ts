import { describe, expect, it } from 'vitest';
import {
  type ChargingProfile,
  clear,
  compositeSchedule,
  type InstalledProfile,
  install,
  isInstalled,
} from '../src/index.ts';

const t0 = Date.parse('2026-11-22T00:00:00Z');
const context = { voltage: 230, phases: 3 };

function profile(
  overrides: Partial<ChargingProfile> & Pick<ChargingProfile, 'chargingProfilePurpose'>,
): ChargingProfile {
  return {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: '2026-11-22T00:00:00Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    },
    ...overrides,
  } as ChargingProfile;
}

const on = (connectorId: number, p: ChargingProfile): InstalledProfile => ({ connectorId, profile: p });

describe('composite schedule', () => {
  it('follows the periods of a TxDefaultProfile', () => {
    const installed = [
      on(
        0,
        profile({
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingSchedule: {
            startSchedule: '2026-11-22T00:00:00Z',
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 32 },
              { startPeriod: 3_600, limit: 10 },
            ],
          },
        }),
      ),
    ];
    expect(compositeSchedule(installed, 1, t0, 7_200, 'A', context, 'ocpp').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 32 },
      { startPeriod: 3_600, limit: 10 },
    ]);
  });

  it("takes the minimum with ChargePointMaxProfile by the OCPP rules, the TxDefaultProfile alone by Easee's", () => {
    const installed = [
      on(0, profile({ chargingProfileId: 1, chargingProfilePurpose: 'ChargePointMaxProfile' })),
      on(
        0,
        profile({
          chargingProfileId: 2,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingSchedule: {
            ...profile({ chargingProfilePurpose: 'TxDefaultProfile' }).chargingSchedule,
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }],
          },
        }),
      ),
    ];
    expect(compositeSchedule(installed, 1, t0, 3_600, 'A', context, 'ocpp').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 16 },
    ]);
    expect(compositeSchedule(installed, 1, t0, 3_600, 'A', context, 'easee').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 32 },
    ]);
  });

  it('lets the higher stack level rule while it is valid, then falls back', () => {
    const base = profile({ chargingProfileId: 1, chargingProfilePurpose: 'TxDefaultProfile' });
    const boost = profile({
      chargingProfileId: 2,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      validTo: '2026-11-22T00:30:00Z',
      chargingSchedule: { ...base.chargingSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] },
    });
    expect(
      compositeSchedule([on(0, base), on(0, boost)], 1, t0, 3_600, 'A', context, 'ocpp').chargingSchedulePeriod,
    ).toEqual([
      { startPeriod: 0, limit: 6 },
      { startPeriod: 1_800, limit: 16 },
    ]);
  });

  it('repeats a daily recurring profile and converts W to A', () => {
    const nightly = profile({
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
      chargingSchedule: {
        startSchedule: '2026-11-21T00:00:00Z',
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 11_040 },
          { startPeriod: 6 * 3_600, limit: 4_140 },
        ],
      },
    });
    expect(compositeSchedule([on(0, nightly)], 1, t0, 24 * 3_600, 'A', context, 'ocpp').chargingSchedulePeriod).toEqual(
      [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 6 * 3_600, limit: 6 },
      ],
    );
  });

  it("uses a connector's own TxDefaultProfile over connector 0's", () => {
    const general = profile({ chargingProfileId: 1, chargingProfilePurpose: 'TxDefaultProfile' });
    const own = profile({
      chargingProfileId: 2,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingSchedule: { ...general.chargingSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 8 }] },
    });
    expect(
      compositeSchedule([on(0, general), on(1, own)], 1, t0, 60, 'A', context, 'ocpp').chargingSchedulePeriod,
    ).toEqual([{ startPeriod: 0, limit: 8 }]);
  });
});

describe('installed profiles', () => {
  it('replace by id and by stack level and purpose on the same connector, and clear by filter', () => {
    const a = on(0, profile({ chargingProfileId: 1, chargingProfilePurpose: 'TxDefaultProfile' }));
    const b = on(0, profile({ chargingProfileId: 2, chargingProfilePurpose: 'TxDefaultProfile' }));
    const max = on(0, profile({ chargingProfileId: 3, chargingProfilePurpose: 'ChargePointMaxProfile' }));
    const installed = install(install(install([], a), max), b);
    expect(installed.map((entry) => entry.profile.chargingProfileId)).toEqual([3, 2]);
    expect(
      clear(installed, { chargingProfilePurpose: 'ChargePointMaxProfile' }).map(
        (entry) => entry.profile.chargingProfileId,
      ),
    ).toEqual([2]);
    expect(clear(installed, { id: 2 })).toEqual([max]);
    expect(isInstalled(installed, b)).toBe(true);
    expect(isInstalled(installed, { ...b, connectorId: 1 })).toBe(false);
  });
});
