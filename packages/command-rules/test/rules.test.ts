import { describe, expect, it } from 'vitest';
import { checkCommand, easeeBudget, fullBudget, spendWrite } from '../src/index.ts';

const now = Date.parse('2026-11-22T10:00:00Z');
const easee = { easee: true, txProfile: false };
const facts = { installedProfiles: [], writeBudget: fullBudget(easeeBudget, now), voltage: 230, phases: 3 };

const profile = (overrides: Record<string, unknown> = {}, schedule: Record<string, unknown> = {}) => ({
  chargingProfileId: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    startSchedule: '2026-11-22T00:00:00Z',
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    ...schedule,
  },
  ...overrides,
});

const setProfile = (p: unknown, connectorId = 1) => ({
  action: 'SetChargingProfile',
  payload: { connectorId, csChargingProfiles: p },
});

describe('Easee rules', () => {
  it('let through only the configuration keys Easee accepts, whatever their case', () => {
    expect(
      checkCommand(
        { action: 'ChangeConfiguration', payload: { key: 'heartbeatinterval', value: '60' } },
        easee,
        facts,
        now,
      ).ok,
    ).toBe(true);
    expect(
      checkCommand(
        { action: 'ChangeConfiguration', payload: { key: 'rfidtagfreecharging', value: 'FREE-TAG-1' } },
        easee,
        facts,
        now,
      ).ok,
    ).toBe(true);
    expect(
      checkCommand(
        { action: 'ChangeConfiguration', payload: { key: 'AuthorizationKey', value: 'x' } },
        easee,
        facts,
        now,
      ),
    ).toMatchObject({
      ok: false,
      rule: 'easee-configuration-keys',
    });
  });

  it('let TriggerMessage ask only for the four messages Easee sends', () => {
    expect(
      checkCommand({ action: 'TriggerMessage', payload: { requestedMessage: 'MeterValues' } }, easee, facts, now).ok,
    ).toBe(true);
    expect(
      checkCommand(
        { action: 'TriggerMessage', payload: { requestedMessage: 'DiagnosticsStatusNotification' } },
        easee,
        facts,
        now,
      ),
    ).toMatchObject({
      ok: false,
      rule: 'easee-trigger-message',
    });
  });

  it('refuse Relative, TxProfile, more than 16 periods, connector 2 and W schedules', () => {
    const cases: [unknown, number, string][] = [
      [profile({ chargingProfileKind: 'Relative' }), 1, 'easee-profile-kind'],
      [profile({ chargingProfilePurpose: 'TxProfile' }), 1, 'easee-profile-purpose'],
      [
        profile(
          {},
          { chargingSchedulePeriod: Array.from({ length: 17 }, (_, i) => ({ startPeriod: i * 60, limit: 10 })) },
        ),
        1,
        'easee-profile-periods',
      ],
      [profile(), 2, 'easee-profile-connector'],
      [profile({}, { chargingRateUnit: 'W' }), 1, 'easee-profile-rate-unit'],
    ];
    for (const [p, connector, rule] of cases) {
      expect(checkCommand(setProfile(p, connector), easee, facts, now)).toMatchObject({ ok: false, rule });
    }
  });

  it("convert a W schedule to A with the charger's phases and voltage when asked", () => {
    const verdict = checkCommand(
      {
        ...setProfile(
          profile(
            {},
            {
              chargingRateUnit: 'W',
              minChargingRate: 4_140,
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 11_040 }],
            },
          ),
        ),
        convertToAmps: true,
      },
      easee,
      facts,
      now,
    );
    expect(verdict).toMatchObject({
      ok: true,
      profileWrite: true,
      payload: {
        csChargingProfiles: {
          // OCPP 1.6 §7.13: minChargingRate is in the schedule's unit, so it is converted too (4,140 W is 6 A).
          chargingSchedule: {
            chargingRateUnit: 'A',
            minChargingRate: 6,
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
          },
        },
      },
    });
  });

  it('refuse a TxDefaultProfile that would lift an installed ChargePointMaxProfile, at any time of its schedule', () => {
    const cap = profile(
      { chargingProfileId: 9, chargingProfilePurpose: 'ChargePointMaxProfile', stackLevel: 0 },
      {
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }],
      },
    );
    const capped = { ...facts, installedProfiles: [{ connectorId: 0, profile: cap as never }] };
    expect(
      checkCommand(
        setProfile(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }] })),
        easee,
        capped,
        now,
      ),
    ).toMatchObject({ ok: false, rule: 'easee-cap-override' });
    // Within the cap now, above it in the evening: refused too.
    const evening = profile(
      {},
      {
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 8 },
          { startPeriod: 18 * 3600, limit: 16 },
        ],
      },
    );
    expect(checkCommand(setProfile(evening), easee, capped, now)).toMatchObject({
      ok: false,
      rule: 'easee-cap-override',
    });
    expect(
      checkCommand(
        setProfile(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] })),
        easee,
        capped,
        now,
      ).ok,
    ).toBe(true);
  });

  it('let free charging be turned on and off, and real-time current be set, checking the values', () => {
    for (const [key, value] of [
      ['ExternalAuthorizationRequired', 'true'],
      ['freecharging', 'false'],
      ['DynamicChargerCurrent', '13'],
    ]) {
      expect(checkCommand({ action: 'ChangeConfiguration', payload: { key, value } }, easee, facts, now).ok).toBe(true);
    }
    expect(
      checkCommand(
        { action: 'ChangeConfiguration', payload: { key: 'freecharging', value: 'yes' } },
        easee,
        facts,
        now,
      ),
    ).toMatchObject({ ok: false, rule: 'easee-configuration-value' });
  });

  it('count only real writes against the budget, and say when the next one is allowed', () => {
    let budget = fullBudget(easeeBudget, now);
    for (let i = 0; i < 25; i++) budget = spendWrite(budget, easeeBudget, now);
    const spent = { ...facts, writeBudget: budget };
    const refused = checkCommand(setProfile(profile()), easee, spent, now);
    expect(refused).toMatchObject({ ok: false, rule: 'easee-profile-write-budget', retryAt: now + 8_640_000 });
    const installed = { ...spent, installedProfiles: [{ connectorId: 1, profile: profile() as never }] };
    expect(checkCommand(setProfile(profile()), easee, installed, now)).toMatchObject({ ok: true, profileWrite: false });
    expect(checkCommand(setProfile(profile()), easee, spent, now + 8_640_000).ok).toBe(true);
  });

  it('apply to nothing when the charger is not an Easee', () => {
    expect(
      checkCommand(
        setProfile(profile({ chargingProfileKind: 'Relative' }), 3),
        { easee: false, txProfile: false },
        facts,
        now,
      ).ok,
    ).toBe(true);
    expect(
      checkCommand(
        setProfile(profile({ chargingProfilePurpose: 'TxProfile' })),
        { easee: true, txProfile: true },
        facts,
        now,
      ).ok,
    ).toBe(true);
  });
});
