import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { chargerLogic, chargerMachineVersion, migrateSnapshot } from '../src/index.ts';
import { observationOf } from '../src/observed.ts';
import { ChargerDriver } from './driver.ts';

function observe(charger: ChargerDriver, observationId: number, value: unknown, timestamp: number, extra = {}) {
  charger.send({ type: 'STREAM_OBSERVATION', at: charger.now, observationId, timestamp, value, ...extra });
}

describe('observations', () => {
  it('keeps the newest value per observation id; late and duplicate deliveries do not move it back', () => {
    const charger = new ChargerDriver();
    observe(charger, 120, 7400, 2_000);
    observe(charger, 120, 3000, 1_000);
    observe(charger, 120, 9999, 2_000);
    expect(observationOf(charger.context.stream, 120)).toMatchObject({ value: 7400, timestamp: 2_000 });
    observe(charger, 120, 11000, 3_000);
    expect(observationOf(charger.context.stream, 120)?.value).toBe(11000);
  });

  it('maps op modes to OCPP statuses, with ReasonForNoCurrent as vendor error code for SuspendedEVSE', () => {
    const charger = new ChargerDriver();
    observe(charger, 96, 55, 1_000);
    observe(charger, 109, 2, 1_000);
    observe(charger, 109, 3, 2_000);
    observe(charger, 109, 3, 2_500);
    const statuses = charger.eventsOf('status').map((event) => event.data);
    expect(statuses).toEqual([
      expect.objectContaining({
        status: 'SuspendedEVSE',
        source: 'stream',
        vendorErrorCode: '55',
        reason: 'PendingAuthorization',
      }),
      expect.objectContaining({ status: 'Charging', previousStatus: 'SuspendedEVSE', opModeName: 'Charging' }),
    ]);
    expect(charger.context.stream.status).toBe('Charging');
  });

  it('records stream sessions from 223 and 129, once each', () => {
    const charger = new ChargerDriver();
    const start = {
      Id: 7,
      MeterValue: 100.5,
      Start: '2026-11-22T10:00:00Z',
      Auth: 'TAG',
      AuthReason: 'BlindlyAcceptToken',
    };
    const done = {
      ...start,
      Stop: '2026-11-22T11:00:00Z',
      EnergyKwh: 7.2,
      MeterValueStart: 100.5,
      MeterValueStop: 107.7,
    };
    observe(charger, 223, start, 1_000);
    expect(charger.context.stream.session).toMatchObject({ sessionId: 7, meterStartWh: 100500 });
    observe(charger, 129, done, 2_000);
    observe(charger, 129, done, 2_000);
    expect(charger.context.stream.session).toBeNull();
    expect(charger.eventsOf('stream-session-stopped')).toHaveLength(1);
    expect(charger.context.stream.recentSessions[0]).toMatchObject({ sessionId: 7, energyWh: 7200 });
  });
});

describe('Easee commands', () => {
  const request = (charger: ChargerDriver, overrides = {}) =>
    charger.send({
      type: 'EASEE_COMMAND_REQUESTED',
      at: charger.now,
      requestId: 'r1',
      name: 'SetDynamicChargerCurrent',
      args: { current: 13, ttlMinutes: 5 },
      expiresAt: charger.now + 600_000,
      responseTimeoutMs: 60_000,
      maxAttempts: 3,
      ...overrides,
    });

  it('publishes the command through the outbox and settles it on its command response', () => {
    const charger = new ChargerDriver();
    request(charger);
    const [sent] = charger.commands();
    expect(sent?.data).toMatchObject({
      requestId: 'r1',
      commandId: 48,
      body: {
        Id: 48,
        Arguments: [
          { Id: 1, Value: '13' },
          { Id: 2, Value: '5' },
        ],
      },
    });
    expect(charger.context.deadlines['cmd:r1']).toBe(charger.now + 60_000);
    charger.send({
      type: 'STREAM_COMMAND_RESPONSE',
      at: charger.now,
      commandId: 48,
      ticks: (sent?.data as { ticks: string } | undefined)?.ticks ?? '',
      wasAccepted: true,
      resultCode: 0,
      comment: '',
    });
    expect(charger.eventsOf('command')[0]?.data).toMatchObject({ requestId: 'r1', status: 'accepted', attempts: 1 });
    expect(charger.context.stream.commands).toEqual({});
    expect(charger.context.deadlines['cmd:r1']).toBeUndefined();
  });

  it('sends again with new ticks when no response comes, then records no-response', () => {
    const charger = new ChargerDriver();
    request(charger, { maxAttempts: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const deadline = charger.context.deadlines['cmd:r1'] as number;
      charger.now = deadline;
      charger.send({ type: 'TIMER', at: deadline, name: 'cmd:r1', deadline });
    }
    const ticks = charger.commands().map((command) => (command.data as { ticks: string }).ticks);
    expect(new Set(ticks).size).toBe(2);
    expect(charger.eventsOf('command')[0]?.data).toMatchObject({ requestId: 'r1', status: 'no-response', attempts: 2 });
  });

  it('does not send a command again past its ExpiresAt', () => {
    const charger = new ChargerDriver();
    request(charger, { expiresAt: charger.now + 30_000 });
    const deadline = charger.context.deadlines['cmd:r1'] as number;
    charger.send({ type: 'TIMER', at: deadline, name: 'cmd:r1', deadline });
    expect(charger.commands()).toHaveLength(1);
    expect(charger.eventsOf('command')[0]?.data).toMatchObject({ status: 'expired' });
  });

  it('answers an RFID token seen on the stream from the id tags', () => {
    const charger = new ChargerDriver();
    observe(charger, 128, '04A1B2', 1_000, { authorization: { status: 'Accepted' } });
    observe(charger, 128, 'BADTAG', 2_000, { authorization: { status: 'Blocked' } });
    expect(
      charger.commands().map((command) => (command.data as { body: { Id: number; Arguments: unknown } }).body),
    ).toEqual([
      expect.objectContaining({
        Id: 25,
        Arguments: [
          { Id: 1, Value: '04A1B2' },
          { Id: 2, Value: '42' },
        ],
      }),
      expect.objectContaining({
        Id: 26,
        Arguments: [
          { Id: 1, Value: 'BADTAG' },
          { Id: 2, Value: '0' },
        ],
      }),
    ]);
  });
});

describe('both channels', () => {
  it('raises an alert when OCPP says Charging while the stream says Disconnected for five minutes', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    observe(charger, 109, 1, 1_000);
    const deadline = charger.context.deadlines.disagreement as number;
    expect(deadline).toBe(charger.now + 5 * 60_000);
    charger.send({ type: 'TIMER', at: deadline, name: 'disagreement', deadline });
    expect(charger.eventsOf('alert').map((event) => event.data.kind)).toEqual(['channels-disagree']);
    observe(charger, 109, 3, 2_000);
    expect(charger.context.deadlines.disagreement).toBeUndefined();
    expect(charger.context.stream.disagreementAlerted).toBe(false);
  });

  it('raises nothing when they agree again in time', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    observe(charger, 109, 1, 1_000);
    const deadline = charger.context.deadlines.disagreement as number;
    charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    charger.send({ type: 'TIMER', at: deadline, name: 'disagreement', deadline });
    expect(charger.eventsOf('alert')).toEqual([]);
  });
});

describe('snapshot migration', () => {
  it('restores a version 1 snapshot, written before the stream joined the model', () => {
    const current = createActor(chargerLogic, { input: { serial: 'EH1', heartbeatIntervalS: 300 } }).start();
    const persisted = JSON.parse(JSON.stringify(current.getPersistedSnapshot()));
    delete persisted.context.stream;
    delete persisted.context.latestConnectAt;
    const migrated = migrateSnapshot({ machineVersion: 1, snapshot: persisted });
    const restored = createActor(chargerLogic, {
      input: { serial: 'EH1', heartbeatIntervalS: 300 },
      snapshot: migrated as never,
    }).start();
    restored.send({ type: 'STREAM_OBSERVATION', at: 0, observationId: 109, timestamp: 1, value: 3 });
    expect(restored.getSnapshot().context.stream.status).toBe('Charging');
    expect(() => migrateSnapshot({ machineVersion: chargerMachineVersion + 1, snapshot: persisted })).toThrow(
      /newer than this release/,
    );
  });
});
