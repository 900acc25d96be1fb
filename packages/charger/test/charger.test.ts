import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { migrateSnapshot } from '../src/charger-logic.ts';
import { chargerLogic, persistedChargerSnapshot, reduceInput } from '../src/index.ts';
import { ChargerDriver } from './driver.ts';

const start = (overrides: Record<string, unknown> = {}) => ({
  connectorId: 1,
  idTag: 'tag-ok',
  meterStart: 1000,
  timestamp: '2026-11-22T10:00:05.000Z',
  ...overrides,
});

describe('boot, heartbeat and status', () => {
  it('accepts a boot with the configured heartbeat interval and the server time', () => {
    const charger = new ChargerDriver();
    charger.connect();
    const outcome = charger.call('BootNotification', {
      chargePointVendor: 'Easee',
      chargePointModel: 'Home',
      firmwareVersion: '289/1.5.2.0',
    });
    expect(outcome).toEqual({
      ok: true,
      payload: { status: 'Accepted', currentTime: '2026-11-22T10:00:00.000Z', interval: 300 },
    });
    expect(charger.context.boot?.firmwareVersion).toBe('289/1.5.2.0');
    expect(charger.eventsOf('boot')).toHaveLength(1);
  });

  it('answers Heartbeat with the clock it was given', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.advance(61_000);
    expect(charger.call('Heartbeat', {})).toEqual({ ok: true, payload: { currentTime: '2026-11-22T10:01:01.000Z' } });
  });

  it('keeps the status of connector 0 and of each connector, and reports only changes', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
    charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    expect(charger.context.connectors['0']?.status).toBe('Available');
    expect(charger.context.connectors['1']?.status).toBe('Charging');
    expect(charger.eventsOf('status').map((event) => event.data.status)).toEqual([
      'Available',
      'Preparing',
      'Charging',
    ]);
  });
});

describe('authorization', () => {
  it('answers with the registered status, case-insensitively, and Invalid for an unknown tag', () => {
    const charger = new ChargerDriver();
    charger.connect();
    expect(charger.call('Authorize', { idTag: 'Tag-Ok' })).toEqual({
      ok: true,
      payload: { idTagInfo: { status: 'Accepted' } },
    });
    expect(charger.call('Authorize', { idTag: 'nobody' })).toEqual({
      ok: true,
      payload: { idTagInfo: { status: 'Invalid' } },
    });
  });
});

describe('transactions', () => {
  it('gives a retried StartTransaction the same id and applies it once', () => {
    const charger = new ChargerDriver();
    charger.connect();
    const first = charger.call('StartTransaction', start());
    const retry = charger.call('StartTransaction', start());
    expect(first).toEqual({ ok: true, payload: { transactionId: 100, idTagInfo: { status: 'Accepted' } } });
    expect(retry).toEqual(first);
    expect(charger.eventsOf('transaction-started')).toHaveLength(1);
    expect(charger.nextTransactionId).toBe(101);
  });

  it('starts a new transaction when the meterStart differs', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StartTransaction', start({ connectorId: 1 }));
    const second = charger.call('StartTransaction', start({ connectorId: 2, meterStart: 2000 }));
    expect(second).toMatchObject({ ok: true, payload: { transactionId: 101 } });
    expect(charger.context.transactions.map((running) => running.id).sort()).toEqual([100, 101]);
  });

  it('closes the open transaction of a connector when a new one starts there', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StartTransaction', start());
    charger.call('StartTransaction', start({ meterStart: 5000, timestamp: '2026-11-22T12:00:00.000Z' }));
    const stopped = charger.eventsOf('transaction-stopped')[0]?.data.transaction as Record<string, unknown>;
    expect(stopped).toMatchObject({
      id: 100,
      status: 'stopped',
      stopReason: 'Superseded',
      flags: ['superseded-by: 101'],
    });
    expect(charger.context.transactions.map((running) => running.id)).toEqual([101]);
  });

  it('normalises kWh meter values to Wh and tracks the energy of the transaction', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StartTransaction', start({ meterStart: 1000 }));
    charger.call('MeterValues', {
      connectorId: 1,
      transactionId: 100,
      meterValue: [
        {
          timestamp: '2026-11-22T10:10:00.000Z',
          sampledValue: [
            { value: '3.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register' },
            { value: '7.4', unit: 'kW', measurand: 'Power.Active.Import' },
            { value: '16', unit: 'A', measurand: 'Current.Import', phase: 'L1' },
          ],
        },
      ],
    });
    expect(charger.context.transactions[0]).toMatchObject({ id: 100, lastMeterWh: 3500, energyWh: 2500, powerW: 7400 });
    const readings = charger.eventsOf('meter-values')[0]?.data.readings as {
      samples: { unit?: string; value: number }[];
    }[];
    expect(readings[0]?.samples.map((sample) => [sample.value, sample.unit])).toEqual([
      [3500, 'Wh'],
      [7400, 'W'],
      [16, 'A'],
    ]);
  });

  it('stops a transaction once, and answers a retried StopTransaction without applying it again', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StartTransaction', start({ meterStart: 1000 }));
    const stop = {
      transactionId: 100,
      meterStop: 9000,
      timestamp: '2026-11-22T11:00:00.000Z',
      idTag: 'TAG-OK',
      reason: 'EVDisconnected',
    };
    expect(charger.call('StopTransaction', stop)).toEqual({ ok: true, payload: { idTagInfo: { status: 'Accepted' } } });
    expect(charger.call('StopTransaction', stop)).toEqual({ ok: true, payload: { idTagInfo: { status: 'Accepted' } } });
    const stopped = charger.eventsOf('transaction-stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]?.data.transaction).toMatchObject({
      status: 'stopped',
      energyWh: 8000,
      stopReason: 'EVDisconnected',
    });
    expect(charger.context.transactions).toEqual([]);
  });

  it('answers a StopTransaction for an unknown id and keeps it as an orphan stop', () => {
    const charger = new ChargerDriver();
    charger.connect();
    expect(
      charger.call('StopTransaction', { transactionId: -1, meterStop: 500, timestamp: '2026-11-22T09:00:00Z' }),
    ).toEqual({
      ok: true,
      payload: {},
    });
    expect(charger.eventsOf('transaction-stopped')[0]?.data).toMatchObject({
      orphan: true,
      transactionId: -1,
      meterStopWh: 500,
    });
  });

  it('accepts and flags a StartTransaction that breaks its schema', () => {
    const charger = new ChargerDriver();
    charger.connect();
    const plan = { connectorId: 1, idTag: 'TAG-OK', meterStart: 12.5, timestamp: 'garbage' };
    charger.send({
      type: 'CALL',
      at: charger.now,
      sessionId: 's1',
      messageId: 'x1',
      action: 'StartTransaction',
      payload: plan,
      violation: { code: 'TypeConstraintViolation', message: 'meterStart must be integer' },
      lookups: { heartbeatIntervalS: 300, idTagInfo: { status: 'Accepted' }, transactionId: 7 },
    });
    expect(charger.context.lastCall?.response).toMatchObject({ ok: true, payload: { transactionId: 7 } });
    // The garbage timestamp is kept in a flag; the transaction is ordered by the server's time.
    expect(charger.context.transactions[0]).toMatchObject({
      id: 7,
      startedAt: '2026-11-22T10:00:00.000Z',
      flags: ['schema: meterStart must be integer', 'unparseable-timestamp: "garbage"'],
    });
  });

  it('does not let two different malformed StartTransactions share a transaction id', () => {
    const charger = new ChargerDriver();
    charger.connect();
    const first = charger.call('StartTransaction', { idTag: 'TAG-OK', timestamp: 'yesterday' });
    const second = charger.call('StartTransaction', { idTag: 'TAG-OK', timestamp: 'tomorrow' });
    const retried = charger.call('StartTransaction', { idTag: 'tag-ok', timestamp: 'tomorrow' });
    expect(first).toMatchObject({ ok: true, payload: { transactionId: 100 } });
    expect(second).toMatchObject({ ok: true, payload: { transactionId: 101 } });
    expect(retried).toEqual(second);
  });

  it('keeps a transaction on an out-of-range connector, flagged, and refuses such a StatusNotification', () => {
    const charger = new ChargerDriver();
    charger.connect();
    expect(charger.call('StartTransaction', start({ connectorId: 1e308 }))).toMatchObject({ ok: true });
    expect(charger.eventsOf('transaction-started')[0]?.data.transaction).toMatchObject({
      connectorId: 0,
      flags: ['connector-out-of-range: 1e+308'],
    });
    for (const connectorId of [-1, 1e308, 2]) {
      expect(
        charger.call('StatusNotification', { connectorId, status: 'Available', errorCode: 'NoError' }),
      ).toMatchObject({
        ok: false,
        code: 'PropertyConstraintViolation',
      });
    }
    expect(Object.keys(charger.context.connectors)).toEqual([]);
  });
});

describe('robustness', () => {
  it('answers a redelivered CALL (same session and message id) with the first answer and changes nothing', () => {
    const charger = new ChargerDriver();
    charger.connect();
    const first = charger.call('StartTransaction', start(), 'dup');
    const eventsBefore = charger.events.length;
    const again = charger.call('StartTransaction', start({ meterStart: 99 }), 'dup');
    expect(again).toEqual(first);
    expect(charger.events.length).toBe(eventsBefore);
  });

  it('turns a failure inside the model into an InternalError and stays alive', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.send({
      type: 'CALL',
      at: charger.now,
      sessionId: 's1',
      messageId: 'no-id',
      action: 'StartTransaction',
      payload: start(),
      lookups: { heartbeatIntervalS: 300 },
    });
    expect(charger.context.lastCall?.response).toMatchObject({ ok: false, code: 'InternalError' });
    expect(charger.actor.getSnapshot().status).toBe('active');
    expect(charger.call('Heartbeat', {})).toMatchObject({ ok: true });
  });

  it('applies a redelivered session opening once', () => {
    const charger = new ChargerDriver();
    charger.connect('s1');
    charger.advance(5_000);
    charger.connect('s1');
    expect(charger.eventsOf('connection')).toHaveLength(1);
    expect(charger.context.session?.since).toBe(charger.now - 5_000);
  });

  it('ignores the late notice of a session older than the current one', () => {
    const charger = new ChargerDriver();
    charger.send({ type: 'SESSION_OPENED', at: charger.now, connectedAt: 2_000, sessionId: 'new', edgeId: 'e2' });
    charger.send({ type: 'SESSION_OPENED', at: charger.now, connectedAt: 1_000, sessionId: 'old', edgeId: 'e1' });
    expect(charger.context.session?.id).toBe('new');
    charger.send({ type: 'SESSION_CLOSED', at: charger.now, sessionId: 'new' });
    charger.send({ type: 'SESSION_OPENED', at: charger.now, connectedAt: 1_000, sessionId: 'old', edgeId: 'e1' });
    expect(charger.context.session).toBeNull();
  });

  it('ignores the late close of a replaced session', () => {
    const charger = new ChargerDriver();
    charger.connect('old');
    charger.advance(1_000);
    charger.connect('new');
    charger.send({ type: 'SESSION_CLOSED', at: charger.now, sessionId: 'old' });
    expect(charger.context.session).not.toBeNull();
    expect(charger.context.session?.id).toBe('new');
    charger.send({ type: 'SESSION_CLOSED', at: charger.now, sessionId: 'new', closeCode: 1006 });
    expect(charger.context.session).toBeNull();
  });
});

describe('time', () => {
  it('keeps the silence deadline as an absolute time and fires only the current one', () => {
    const charger = new ChargerDriver();
    charger.connect('s1', { easee: false, txProfile: false });
    const firstDeadline = charger.context.deadlines.silence;
    expect(firstDeadline).toBe(charger.now + 3 * 300 * 1000);
    charger.advance(60_000);
    charger.call('Heartbeat', {});
    const deadline = charger.context.deadlines.silence as number;
    expect(deadline).toBe(charger.now + 900_000);
    charger.send({ type: 'TIMER', at: firstDeadline as number, name: 'silence', deadline: firstDeadline as number });
    expect(charger.eventsOf('alert')).toHaveLength(0);
    charger.send({ type: 'TIMER', at: deadline, name: 'silence', deadline });
    expect(charger.eventsOf('alert')[0]?.data).toMatchObject({ kind: 'charger-silent' });
    expect(charger.context.deadlines.silence).toBeUndefined();
  });

  it("judges an Easee's silence from its own three-minute heartbeat, whatever HeartbeatInterval says", () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('Heartbeat', {});
    // The configured interval is 300 s; an Easee heartbeats every ~180 s regardless, so silence is 3 × 180 s.
    expect(charger.context.deadlines.silence).toBe(charger.now + 3 * 180 * 1000);
  });

  it('survives persist and restore with its deadlines, like a hand-over to another worker', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StartTransaction', start());
    const deadline = charger.context.deadlines.silence as number;
    charger.restore();
    expect(charger.context.session).not.toBeNull();
    charger.send({ type: 'TIMER', at: deadline, name: 'silence', deadline });
    expect(charger.eventsOf('alert')).toHaveLength(1);
    expect(
      charger.call('StopTransaction', { transactionId: 100, meterStop: 2000, timestamp: '2026-11-22T10:30:00Z' }),
    ).toMatchObject({
      ok: true,
    });
    expect(charger.eventsOf('transaction-stopped')[0]?.data.transaction).toMatchObject({ energyWh: 1000 });
  });

  it('numbers events per charger so that a re-published event keeps its id', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    expect(charger.events.map((event) => event.id)).toEqual(['EH000001:1', 'EH000001:2']);
    const again = reduceInput(charger.context, { type: 'TIMER', at: 0, name: 'none', deadline: 1 });
    expect(again.events).toEqual([]);
  });
});

describe('persistence', () => {
  it('restores a snapshot that the state-machine release stored, and stores it back unchanged', () => {
    // Written by the release before ADR 14 and 15 (its state machine, transactions and observations keyed by id):
    // a worker of that release may restore what this one stores during a rolling upgrade, and the other way round.
    const stored = JSON.parse(readFileSync(new URL('./fixtures/stored-snapshot-v4.json', import.meta.url), 'utf8'));
    const input = { serial: 'EH123456', heartbeatIntervalS: 300 };
    const actor = createActor(chargerLogic, { input, snapshot: migrateSnapshot(stored) }).start();
    expect(actor.getSnapshot().context.transactions.map((running) => running.id)).toEqual([734]);
    expect(JSON.parse(JSON.stringify(persistedChargerSnapshot(actor.getSnapshot())))).toEqual(stored.snapshot);
    actor.send({
      type: 'CALL',
      at: Date.parse('2026-12-06T10:02:00.000Z'),
      sessionId: 's1',
      messageId: '5',
      action: 'MeterValues',
      payload: {
        connectorId: 1,
        transactionId: 734,
        meterValue: [{ timestamp: '2026-12-06T10:02:00.000Z', sampledValue: [{ value: '2500' }] }],
      },
      lookups: { heartbeatIntervalS: 300 },
    });
    expect(actor.getSnapshot().context.transactions[0]).toMatchObject({ id: 734, energyWh: 1500 });
  });

  it('stores running transactions and observations by id, and restores them the same', () => {
    const charger = new ChargerDriver();
    charger.connect();
    charger.call('StartTransaction', start());
    charger.actor.send({ type: 'STREAM_OBSERVATION', at: 1, observationId: 120, timestamp: 1, value: 7.4 });
    const stored = JSON.parse(JSON.stringify(persistedChargerSnapshot(charger.actor.getSnapshot())));
    expect(stored.value).toBe('online');
    expect(Object.keys(stored.context.transactions)).toEqual(['100']);
    expect(stored.context.transactions['100']).toMatchObject({ id: 100, status: 'active' });
    expect(stored.context.stream.observations).toEqual({ 120: { value: 7.4, timestamp: 1, receivedAt: 1 } });
    expect(migrateSnapshot({ machineVersion: 4, snapshot: stored }).context).toEqual(charger.context);
    charger.restore();
    expect(charger.context.transactions[0]?.id).toBe(100);
  });
});
