import { describe, expect, it } from 'vitest';
import {
  centralSystemInitiated,
  chargePointInitiated,
  isCentralSystemAction,
  isChargePointAction,
  transactionRelated,
  validateRequest,
  validateResponse,
} from '../src/index.ts';

describe('action catalogue', () => {
  it('has the 28 core actions of 1.6 and the 11 of the security white paper', () => {
    const all = new Set([...Object.keys(chargePointInitiated), ...Object.keys(centralSystemInitiated)]);
    expect(all.size).toBe(39);
    expect(isChargePointAction('DataTransfer') && isCentralSystemAction('DataTransfer')).toBe(true);
    expect(isChargePointAction('Reset')).toBe(false);
    expect([...transactionRelated].sort()).toEqual(['MeterValues', 'StartTransaction', 'StopTransaction']);
  });

  it('has a request and a response schema for every action', () => {
    for (const action of [...Object.keys(chargePointInitiated), ...Object.keys(centralSystemInitiated)]) {
      expect(validateRequest(action, null)?.code, `${action}.req`).not.toBe('NotImplemented');
      expect(validateResponse(action, null)?.code, `${action}.conf`).not.toBe('NotImplemented');
    }
  });
});

describe('validators', () => {
  it('accepts a valid BootNotification and names the missing field of an invalid one', () => {
    expect(validateRequest('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' })).toBe(
      undefined,
    );
    expect(validateRequest('BootNotification', { chargePointVendor: 'Easee' })).toEqual({
      code: 'OccurenceConstraintViolation',
      message: "payload must have required property 'chargePointModel'",
    });
  });

  it('enforces the OCA lengths, types, enums and closed objects', () => {
    expect(
      validateRequest('BootNotification', { chargePointVendor: 'x'.repeat(21), chargePointModel: 'm' })?.code,
    ).toBe('PropertyConstraintViolation');
    expect(validateRequest('Authorize', { idTag: 42 })?.code).toBe('TypeConstraintViolation');
    expect(validateRequest('Reset', { type: 'Gentle' })?.code).toBe('PropertyConstraintViolation');
    expect(validateRequest('Heartbeat', { extra: 1 })?.code).toBe('FormationViolation');
  });

  it('accepts a limit of 16.3 A although 16.3 is not an exact multiple of 0.1 in binary', () => {
    const profile = {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.3 }] },
      },
    };
    expect(validateRequest('SetChargingProfile', profile)).toBe(undefined);
  });

  it('checks responses too', () => {
    expect(validateResponse('Heartbeat', { currentTime: '2026-11-22T10:00:00.000Z' })).toBe(undefined);
    expect(validateResponse('Heartbeat', { currentTime: 'yesterday' })?.code).toBe('PropertyConstraintViolation');
  });
});
