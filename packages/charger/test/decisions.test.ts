import { describe, expect, it } from 'vitest';
import { ChargerDriver } from './driver.ts';

const profile = (limit: number, purpose = 'TxDefaultProfile', id = 20, connectorId = 1) => ({
  connectorId,
  csChargingProfiles: {
    chargingProfileId: id,
    stackLevel: purpose === 'ChargePointMaxProfile' ? 0 : 1,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: '2026-11-22T00:00:00.000Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
    },
  },
});

function connected(): ChargerDriver {
  const charger = new ChargerDriver();
  charger.connect();
  charger.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' });
  return charger;
}

/** Spends writes of the budget with accepted, distinct profiles until `left` remain. */
function spendUntil(charger: ChargerDriver, left: number): void {
  for (let write = 0; write < 25 - left; write++) {
    charger.answer(charger.request('SetChargingProfile', profile(6 + (write % 20), 'TxDefaultProfile', 100 + write)), {
      status: 'Accepted',
    });
  }
  expect(Math.floor(charger.context.smartCharging.writeBudget?.tokens ?? 0)).toBe(left);
}

describe('the flash-write budget, decided in the mailbox', () => {
  it('lets at most the writes left reach the charger when ten requests arrive before any answer', () => {
    const charger = connected();
    spendUntil(charger, 2);
    const ordersBefore = charger.orders().length;
    const requests = Array.from({ length: 10 }, (_, i) => charger.request('SetChargingProfile', profile(7 + i)));
    expect(charger.orders().length - ordersBefore).toBe(2);
    const refused = requests.filter((requestId) => charger.outcomeOf(requestId)?.rule === 'easee-profile-write-budget');
    expect(refused).toHaveLength(8);
    expect(charger.context.smartCharging.writeBudget?.tokens).toBeLessThan(1);
  });

  it('gives a reserved write back when the charger refuses, and keeps it when it accepts', () => {
    const charger = connected();
    spendUntil(charger, 2);
    const rejected = charger.request('SetChargingProfile', profile(9));
    const accepted = charger.request('SetChargingProfile', profile(10));
    expect(Math.floor(charger.context.smartCharging.writeBudget?.tokens ?? 0)).toBe(0);
    charger.answer(rejected, { status: 'Rejected' });
    expect(Math.floor(charger.context.smartCharging.writeBudget?.tokens ?? 0)).toBe(1);
    charger.answer(accepted, { status: 'Accepted' });
    expect(Math.floor(charger.context.smartCharging.writeBudget?.tokens ?? 0)).toBe(1);
    charger.send({
      type: 'CS_CALL_SETTLED',
      at: charger.now,
      requestId: charger.request('SetChargingProfile', profile(11)),
      outcome: { ok: false, error: 'timeout', description: 'no answer' },
    });
    expect(Math.floor(charger.context.smartCharging.writeBudget?.tokens ?? 0)).toBe(1);
  });

  it('keeps a reservation across a hand-over, and keeps it spent when no answer was ever recorded', () => {
    const charger = connected();
    spendUntil(charger, 1);
    const requestId = charger.request('SetChargingProfile', profile(12));
    charger.restore();
    // The new owner sees the write as taken: another request is refused.
    const second = charger.request('SetChargingProfile', profile(13));
    expect(charger.outcomeOf(second)).toMatchObject({ rule: 'easee-profile-write-budget' });
    const deadline = charger.context.deadlines[`call:${requestId}`] as number;
    charger.send({ type: 'TIMER', at: deadline, name: `call:${requestId}`, deadline });
    expect(charger.outcomeOf(requestId)).toMatchObject({ error: 'unknown' });
    expect(charger.context.smartCharging.writeBudget?.tokens).toBeLessThan(1);
    // The old owner's answer, handed over late, finds nothing left to settle.
    charger.answer(requestId, { status: 'Accepted' });
    expect(charger.eventsOf('command').filter((event) => event.data.requestId === requestId)).toHaveLength(1);
  });

  it('decides a retried request (same id) once', () => {
    const charger = connected();
    const requestId = charger.request('SetChargingProfile', profile(14));
    charger.request('SetChargingProfile', profile(14), { requestId });
    expect(charger.orders().filter((order) => order.data.requestId === requestId)).toHaveLength(1);
    charger.answer(requestId, { status: 'Accepted' });
    charger.request('SetChargingProfile', profile(14), { requestId });
    expect(charger.orders().filter((order) => order.data.requestId === requestId)).toHaveLength(1);
  });

  it('treats connectors 0 and 1 of an Easee as one: a re-send on the other is not a write', () => {
    const charger = connected();
    charger.answer(charger.request('SetChargingProfile', profile(16, 'TxDefaultProfile', 30, 1)), {
      status: 'Accepted',
    });
    const tokens = charger.context.smartCharging.writeBudget?.tokens;
    charger.request('SetChargingProfile', profile(16, 'TxDefaultProfile', 30, 0));
    expect(charger.orders().at(-1)?.data.action).toBe('SetChargingProfile');
    expect(charger.context.smartCharging.writeBudget?.tokens).toBe(tokens);
  });

  it("counts a RemoteStartTransaction's profile as a write", () => {
    const charger = connected();
    spendUntil(charger, 1);
    const rules = { easee: true, txProfile: true };
    const txProfile = { ...profile(10, 'TxProfile').csChargingProfiles, stackLevel: 0 };
    charger.request(
      'RemoteStartTransaction',
      { idTag: 'TAG-OK', connectorId: 1, chargingProfile: txProfile },
      { rules },
    );
    expect(charger.context.smartCharging.writeBudget?.tokens).toBeLessThan(1);
    const refused = charger.request(
      'RemoteStartTransaction',
      { idTag: 'TAG-OK', connectorId: 1, chargingProfile: txProfile },
      { rules },
    );
    expect(charger.outcomeOf(refused)).toMatchObject({ rule: 'easee-profile-write-budget' });
    // Without a profile it writes nothing, and goes.
    charger.request('RemoteStartTransaction', { idTag: 'TAG-OK', connectorId: 1 }, { rules });
    expect(charger.orders().at(-1)?.data.action).toBe('RemoteStartTransaction');
  });

  it('refuses a request while the charger is not connected, without taking a write', () => {
    const charger = new ChargerDriver();
    const requestId = charger.request('SetChargingProfile', profile(10));
    expect(charger.outcomeOf(requestId)).toMatchObject({ error: 'not-connected' });
    expect(charger.context.smartCharging.writeBudget).toBeNull();
    expect(charger.orders()).toHaveLength(0);
  });
});

describe('the ChargePointMaxProfile cap', () => {
  it('refuses a TxDefaultProfile above an installed ChargePointMax, since an Easee would apply it instead', () => {
    const charger = connected();
    charger.answer(charger.request('SetChargingProfile', profile(10, 'ChargePointMaxProfile', 1, 0)), {
      status: 'Accepted',
    });
    const above = charger.request('SetChargingProfile', profile(32));
    expect(charger.outcomeOf(above)).toMatchObject({ error: 'refused', rule: 'easee-cap-override' });
    charger.request('SetChargingProfile', profile(8));
    expect(charger.orders().at(-1)?.data.payload).toMatchObject(profile(8));
  });

  it('clamps a current limit to the cap, and says so', () => {
    const charger = connected();
    charger.answer(charger.request('SetChargingProfile', profile(10, 'ChargePointMaxProfile', 1, 0)), {
      status: 'Accepted',
    });
    charger.send({
      type: 'CURRENT_LIMIT_REQUESTED',
      at: charger.now,
      requestId: 'limit-1',
      amps: 32,
      ttlMinutes: 10,
      rules: { easee: true, txProfile: false },
      timeoutMs: 30_000,
      streamCommands: false,
      easeeCommands: { responseTimeoutMs: 60_000, maxAttempts: 3, expiresInMs: 600_000 },
    });
    const order = charger.orders().at(-1);
    // Not on the stream: the real-time configuration key, not a profile (no flash write).
    expect(order?.data).toMatchObject({
      action: 'ChangeConfiguration',
      payload: { key: 'DynamicChargerCurrent', value: '10' },
    });
    charger.answer(order?.data.requestId as string, { status: 'Accepted' });
    expect(charger.eventsOf('current-limit').at(-1)?.data).toMatchObject({
      requestId: 'limit-1',
      channel: 'ocpp-key',
      status: 'accepted',
      clamped: { requestedA: 32, appliedA: 10, capA: 10 },
    });
  });

  it('falls back to a TxDefaultProfile within the budget when the charger does not take the key', () => {
    const charger = connected();
    charger.send({
      type: 'CURRENT_LIMIT_REQUESTED',
      at: charger.now,
      requestId: 'limit-2',
      amps: 12.5,
      ttlMinutes: 10,
      rules: { easee: true, txProfile: false },
      timeoutMs: 30_000,
      streamCommands: false,
      easeeCommands: { responseTimeoutMs: 60_000, maxAttempts: 3, expiresInMs: 600_000 },
    });
    charger.answer(charger.orders().at(-1)?.data.requestId as string, { status: 'NotSupported' });
    const fallback = charger.orders().at(-1);
    expect(fallback?.data).toMatchObject({
      action: 'SetChargingProfile',
      payload: {
        csChargingProfiles: { chargingSchedule: { duration: 600, chargingSchedulePeriod: [{ limit: 12.5 }] } },
      },
    });
    charger.answer(fallback?.data.requestId as string, { status: 'Accepted' });
    expect(charger.eventsOf('current-limit').at(-1)?.data).toMatchObject({
      channel: 'ocpp-profile',
      status: 'accepted',
    });
    expect(charger.context.dynamicCurrentKey).toBe(false);
  });
});

describe('free charging', () => {
  it('answers the free-charging tag Accepted on this charger once it was set, and stops when it is turned off', () => {
    const charger = connected();
    expect(charger.call('Authorize', { idTag: 'FREE-TAG-1' })).toMatchObject({
      payload: { idTagInfo: { status: 'Invalid' } },
    });
    for (const [key, value] of [
      ['freecharging', 'true'],
      ['rfidtagfreecharging', 'FREE-TAG-1'],
    ]) {
      const requestId = charger.request('ChangeConfiguration', { key, value });
      expect(charger.outcomeOf(requestId)).toBeUndefined();
      charger.answer(requestId, { status: 'Accepted' });
    }
    expect(charger.call('Authorize', { idTag: 'free-tag-1' })).toMatchObject({
      payload: { idTagInfo: { status: 'Accepted' } },
    });
    expect(
      charger.call('StartTransaction', {
        connectorId: 1,
        idTag: 'FREE-TAG-1',
        meterStart: 0,
        timestamp: '2026-11-22T10:00:00Z',
      }),
    ).toMatchObject({ payload: { idTagInfo: { status: 'Accepted' } } });
    // The documented off switch is writable, and ends it.
    const off = charger.request('ChangeConfiguration', { key: 'ExternalAuthorizationRequired', value: 'true' });
    expect(charger.orders().at(-1)?.data.requestId).toBe(off);
    charger.answer(off, { status: 'Accepted' });
    expect(charger.call('Authorize', { idTag: 'FREE-TAG-1' })).toMatchObject({
      payload: { idTagInfo: { status: 'Invalid' } },
    });
  });

  it('learns the tag from GetConfiguration too', () => {
    const charger = connected();
    charger.answer(charger.request('GetConfiguration', {}), {
      configurationKey: [
        { key: 'rfidfreecharging', readonly: false, value: 'FREE-READ' },
        { key: 'AuthorizationKey', readonly: false, value: 'never-kept' },
      ],
    });
    expect(charger.call('Authorize', { idTag: 'FREE-READ' })).toMatchObject({
      payload: { idTagInfo: { status: 'Accepted' } },
    });
    expect(JSON.stringify(charger.context)).not.toContain('never-kept');
  });
});

describe('wanted availability and the Available blip after a reboot', () => {
  function inoperative(): ChargerDriver {
    const charger = connected();
    charger.answer(charger.request('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }), {
      status: 'Accepted',
    });
    charger.call('StatusNotification', { connectorId: 1, status: 'Unavailable', errorCode: 'NoError' });
    charger.connect('s2');
    charger.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' });
    return charger;
  }

  it('does not show an Available that the charger takes back within the hold', () => {
    const charger = inoperative();
    const statuses = charger.eventsOf('status').length;
    charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    expect(charger.context.connectors['1']?.status).toBe('Unavailable');
    charger.advance(1_500);
    charger.call('StatusNotification', { connectorId: 1, status: 'Unavailable', errorCode: 'NoError' });
    expect(charger.eventsOf('status')).toHaveLength(statuses);
    expect(charger.context.deadlines['blip:1']).toBeUndefined();
    expect(charger.eventsOf('alert')).toHaveLength(0);
  });

  it('shows an Available that lasts, raises an alert and asks for Inoperative again', () => {
    const charger = inoperative();
    charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    const deadline = charger.context.deadlines['blip:1'] as number;
    expect(deadline).toBe(charger.now + 5_000);
    charger.send({ type: 'TIMER', at: deadline, name: 'blip:1', deadline });
    expect(charger.context.connectors['1']?.status).toBe('Available');
    expect(charger.eventsOf('alert').at(-1)?.data).toMatchObject({ kind: 'availability-contradicted' });
    expect(charger.orders().at(-1)?.data).toMatchObject({
      action: 'ChangeAvailability',
      payload: { connectorId: 1, type: 'Inoperative' },
    });
  });
});

describe('Easee command responses', () => {
  function withPending(
    name = 'SetDynamicChargerCurrent',
    args: Record<string, unknown> = { current: 13, ttlMinutes: 5 },
  ) {
    const charger = connected();
    charger.send({
      type: 'EASEE_COMMAND_REQUESTED',
      at: charger.now,
      requestId: 'cmd-1',
      name,
      args,
      expiresAt: charger.now + 600_000,
      responseTimeoutMs: 60_000,
      maxAttempts: 3,
    });
    return charger;
  }

  it("matches a response by command id to the oldest pending command, whatever the cloud's ticks", () => {
    const charger = withPending();
    charger.advance(800);
    // Easee's documented example: ticks 70 ticks (7 µs) off ours; 18 digits, beyond a double's precision.
    const ticks = (BigInt(charger.commands()[0]?.data.ticks as string) + 70n).toString();
    charger.send({
      type: 'STREAM_COMMAND_RESPONSE',
      at: charger.now,
      commandId: 48,
      ticks,
      wasAccepted: true,
      resultCode: 0,
      comment: '',
    });
    expect(charger.context.stream.recentCommands.at(-1)).toMatchObject({ status: 'accepted', ticks });
    expect(charger.context.stream.commands).toEqual({});
  });

  it('corrects a no-response outcome when the response comes late', () => {
    const charger = withPending();
    for (let attempt = 0; attempt < 3; attempt++) {
      const deadline = charger.context.deadlines['cmd:cmd-1'] as number;
      charger.send({ type: 'TIMER', at: deadline, name: 'cmd:cmd-1', deadline });
    }
    expect(charger.context.stream.recentCommands.at(-1)).toMatchObject({ status: 'no-response', attempts: 3 });
    charger.send({
      type: 'STREAM_COMMAND_RESPONSE',
      at: charger.now + 200_000,
      commandId: 48,
      ticks: '639000000000000001',
      wasAccepted: true,
      resultCode: 0,
      comment: '',
    });
    expect(charger.context.stream.recentCommands.at(-1)).toMatchObject({ status: 'accepted', corrected: true });
  });

  it('takes the observation of the new value as the command having taken effect', () => {
    const charger = withPending();
    charger.send({
      type: 'STREAM_OBSERVATION',
      at: charger.now + 500,
      observationId: 48,
      timestamp: charger.now + 400,
      value: 13,
    });
    expect(charger.context.stream.recentCommands.at(-1)).toMatchObject({
      status: 'accepted',
      confirmedBy: 'observation',
    });
  });

  it('does not send a Reboot again once the charger has booted', () => {
    const charger = withPending('Reboot', {});
    charger.advance(20_000);
    charger.connect('s2');
    charger.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' });
    const deadline = charger.context.deadlines['cmd:cmd-1'] as number;
    charger.send({ type: 'TIMER', at: deadline, name: 'cmd:cmd-1', deadline });
    expect(charger.commands()).toHaveLength(1);
    expect(charger.context.stream.recentCommands.at(-1)).toMatchObject({ status: 'accepted', confirmedBy: 'boot' });
  });

  it('sends a Reboot again only when nothing says it took effect', () => {
    const charger = withPending('Reboot', {});
    const deadline = charger.context.deadlines['cmd:cmd-1'] as number;
    charger.send({ type: 'TIMER', at: deadline, name: 'cmd:cmd-1', deadline });
    expect(charger.commands()).toHaveLength(2);
  });
});

describe('a volatile dynamic current is applied again after Easee resets it', () => {
  it('sends the operator limit again, with the TTL left, when a car is plugged in', () => {
    const charger = connected();
    charger.send({ type: 'STREAM_OBSERVATION', at: charger.now, observationId: 109, timestamp: charger.now, value: 1 });
    charger.send({
      type: 'CURRENT_LIMIT_REQUESTED',
      at: charger.now,
      requestId: 'limit-3',
      amps: 10,
      ttlMinutes: 60,
      rules: { easee: true, txProfile: false },
      timeoutMs: 30_000,
      streamCommands: true,
      easeeCommands: { responseTimeoutMs: 60_000, maxAttempts: 3, expiresInMs: 600_000 },
    });
    expect(charger.commands()).toHaveLength(1);
    charger.send({
      type: 'STREAM_COMMAND_RESPONSE',
      at: charger.now + 500,
      commandId: 48,
      ticks: charger.commands()[0]?.data.ticks as string,
      wasAccepted: true,
      resultCode: 0,
      comment: '',
    });
    charger.advance(20 * 60_000);
    charger.send({ type: 'STREAM_OBSERVATION', at: charger.now, observationId: 109, timestamp: charger.now, value: 2 });
    expect(charger.commands()).toHaveLength(2);
    expect(charger.commands()[1]?.data.body).toMatchObject({
      Id: 48,
      Arguments: [
        { Id: 1, Value: '10' },
        { Id: 2, Value: '40' },
      ],
    });
  });
});

describe('the history a charger keeps', () => {
  it('keeps its last ten commands, a large answer left to the command event', () => {
    const charger = connected();
    const configurationKey = Array.from({ length: 200 }, (_, i) => ({
      key: `Key${i}`,
      readonly: false,
      value: 'x'.repeat(40),
    }));
    const large = charger.request('GetConfiguration', {});
    charger.answer(large, { configurationKey });
    const kept = charger.context.centralCommands.find((command) => command.requestId === large);
    expect(kept?.outcome).toMatchObject({ ok: true, response: { omitted: expect.stringMatching(/bytes/) } });
    const event = charger.eventsOf('command').find((item) => item.data.requestId === large);
    expect(event?.data.outcome).toMatchObject({ ok: true, response: { configurationKey } });
    for (let i = 0; i < 12; i++) charger.answer(charger.request('ClearCache', {}), { status: 'Accepted' });
    expect(charger.context.centralCommands).toHaveLength(10);
    expect(charger.context.centralCommands.some((command) => command.requestId === large)).toBe(false);
  });
});
