import { describe, expect, it } from 'vitest';
import { normalizeErrorCode, parseFrame, serializeCallError, serializeCallResult } from '../src/index.ts';

describe('parseFrame', () => {
  it('reads a CALL, a CALLRESULT and a CALLERROR', () => {
    expect(parseFrame('[2,"a1","Heartbeat",{}]')).toEqual({
      kind: 'frame',
      frame: { type: 2, id: 'a1', action: 'Heartbeat', payload: {} },
    });
    expect(parseFrame('[3,"a1",{"currentTime":"2026-01-01T00:00:00Z"}]')).toEqual({
      kind: 'frame',
      frame: { type: 3, id: 'a1', payload: { currentTime: '2026-01-01T00:00:00Z' } },
    });
    expect(parseFrame('[4,"a1","NotSupported","nope",{}]')).toMatchObject({
      kind: 'frame',
      frame: { type: 4, id: 'a1', code: 'NotSupported', description: 'nope' },
    });
  });

  it('answers a CALL whose JSON is broken when its id can still be read', () => {
    expect(parseFrame('[2,"m-7","BootNotification",{"chargePointVendor":')).toEqual({
      kind: 'malformed',
      id: 'm-7',
      code: 'FormationViolation',
      reason: 'message is not valid JSON',
    });
  });

  it('drops what has no usable id and ignores unknown message types (OCPP-J §4.1.3)', () => {
    expect(parseFrame('not json').kind).toBe('drop');
    expect(parseFrame('{"a":1}').kind).toBe('drop');
    expect(parseFrame('[9,"x",{}]').kind).toBe('drop');
    expect(parseFrame('[3,null,{}]').kind).toBe('drop');
  });

  it('refuses a CALL id that is not a string of at most 36 characters', () => {
    expect(parseFrame('[2,42,"Heartbeat",{}]')).toMatchObject({ kind: 'malformed', id: '42' });
    expect(parseFrame(`[2,"${'x'.repeat(37)}","Heartbeat",{}]`)).toMatchObject({ kind: 'malformed' });
  });

  it('refuses a CALL without an action', () => {
    expect(parseFrame('[2,"a",5,{}]')).toMatchObject({ kind: 'malformed', code: 'FormationViolation' });
  });
});

describe('error codes', () => {
  it('accepts both spellings of OccurenceConstraintViolation', () => {
    expect(normalizeErrorCode('OccurenceConstraintViolation')).toBe('OccurenceConstraintViolation');
    expect(normalizeErrorCode('OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
  });

  it('maps codes of other OCPP versions and junk to 1.6 codes', () => {
    expect(normalizeErrorCode('FormatViolation')).toBe('FormationViolation');
    expect(normalizeErrorCode('RpcFrameworkError')).toBe('ProtocolError');
    expect(normalizeErrorCode('Whatever')).toBe('GenericError');
    expect(normalizeErrorCode(17)).toBe('GenericError');
  });

  it('writes CALLERROR with empty details as {}', () => {
    expect(JSON.parse(serializeCallError('a', 'NotImplemented'))).toEqual([4, 'a', 'NotImplemented', '', {}]);
    expect(JSON.parse(serializeCallResult('a', {}))).toEqual([3, 'a', {}]);
  });
});
