import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Car } from '../src/car.ts';
import { EaseeChargePoint, type EaseeChargePointOptions } from '../src/easee-charge-point.ts';
import { SeededRandom } from '../src/seeded-random.ts';
import { ManualClock } from '../src/sim-clock.ts';
import { settle, TestCentralSystem } from './central-system.ts';

// Each quirk of docs/reference/easee.md §0.1 and §5.1, shown against an independent, strict central system.

const serial = 'EHQUIRK1';
const threePhase16A = { name: 'Test car', batteryKWh: 75, maxCurrentA: 16, phases: 3 } as const;
const minute = 60_000;

let cs: TestCentralSystem;
let clock: ManualClock;
const started: EaseeChargePoint[] = [];
const observations: { id: number; value: unknown; at: number }[] = [];

beforeEach(async () => {
  cs = await new TestCentralSystem().start();
  clock = new ManualClock();
  observations.length = 0;
});

afterEach(async () => {
  for (const chargePoint of started.splice(0)) chargePoint.stop();
  await cs.close();
});

async function chargePoint(overrides: Partial<EaseeChargePointOptions> = {}): Promise<EaseeChargePoint> {
  const created = new EaseeChargePoint({
    serial,
    url: cs.url,
    clock,
    random: new SeededRandom(7),
    phases: 3,
    voltageV: 230,
    maxCurrentA: 32,
    meterStartWh: 1_000_000,
    stream: { observe: (_serial, id, value, at) => observations.push({ id, value, at }) },
    ...overrides,
  });
  started.push(created);
  await created.start();
  return created;
}

async function charging(chargePoint: EaseeChargePoint, idTag = 'CARD0001'): Promise<number> {
  await chargePoint.plugIn(new Car(threePhase16A, 0.2));
  expect(await chargePoint.presentCard(idTag)).toBe('Accepted');
  const [start] = await cs.until('StartTransaction', 1);
  await cs.until('StatusNotification', 1);
  await settle();
  return start?.params.meterStart;
}

function statuses(): string[] {
  return cs.of('StatusNotification').map((call) => `${call.params.connectorId}:${call.params.status}`);
}

describe('boot and clock', () => {
  it('boots as an Easee: vendor Easee, firmware <firmware>/<OCPP service version>, then both connectors', async () => {
    await chargePoint();
    const [boot] = cs.of('BootNotification');
    expect(boot?.params).toMatchObject({ chargePointVendor: 'Easee', chargePointSerialNumber: serial });
    expect(boot?.params.firmwareVersion).toMatch(/^\d+\/\d+\.\d+\.\d+\.\d+$/);
    expect(statuses()).toEqual(['0:Available', '1:Available']);
  });

  it('keeps its own clock: the currentTime of the central system does not set it', async () => {
    await chargePoint({ clockSkewMs: 4_000 });
    const stamped = Date.parse(cs.of('StatusNotification')[0]?.params.timestamp);
    expect(stamped).toBe(clock.now() + 4_000);
    expect(new Date(stamped).getUTCFullYear()).toBe(2026);
  });

  it('heartbeats about every three minutes, whatever interval it was given or configured', async () => {
    const device = await chargePoint();
    expect(await cs.call(serial, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '10' })).toEqual({
      status: 'Accepted',
    });
    clock.advance(2 * minute);
    await settle();
    expect(cs.of('Heartbeat')).toHaveLength(0);
    clock.advance(65_000);
    await cs.until('Heartbeat', 1);
    clock.advance(3 * minute + 10_000);
    await cs.until('Heartbeat', 2);
    expect(device.configuration.get('HeartbeatInterval')).toBe('10');
  });
});

describe('configuration', () => {
  const writable = {
    AllowOfflineTxForUnknownId: 'true',
    ConnectionTimeOut: '60',
    ConnectorPhaseRotation: '0.RST,1.RST',
    HeartbeatInterval: '300',
    LocalAuthorizeOffline: 'false',
    LocalAuthListEnabled: 'true',
    LocalPreAuthorize: 'true',
    MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import',
    MeterValueSampleInterval: '30',
    StopTxnSampledData: 'Energy.Active.Import.Register',
    StopTransactionOnInvalidId: 'true',
    TransactionMessageAttempts: '5',
    TransactionMessageRetryInterval: '30',
    UnlockConnectorOnEVSideDisconnect: 'true',
  };

  it('lets a central system write only the fourteen documented keys; the rest are read-only or unknown', async () => {
    await chargePoint();
    for (const [key, value] of Object.entries(writable)) {
      expect(await cs.call(serial, 'ChangeConfiguration', { key, value }), key).toEqual({ status: 'Accepted' });
    }
    // Read-write in OCPP 1.6, read-only on an Easee.
    for (const key of ['AuthorizeRemoteTxRequests', 'ClockAlignedDataInterval', 'MeterValuesAlignedData']) {
      expect(await cs.call(serial, 'ChangeConfiguration', { key, value: '0' }), key).toEqual({ status: 'Rejected' });
    }
    expect(await cs.call(serial, 'ChangeConfiguration', { key: 'NoSuchKey', value: '1' })).toEqual({
      status: 'NotSupported',
    });
    expect(await cs.call(serial, 'ChangeConfiguration', { key: 'ConnectionTimeOut', value: 'soon' })).toEqual({
      status: 'Rejected',
    });
    const read = await cs.call(serial, 'GetConfiguration', { key: ['HeartbeatInterval', 'NumberOfConnectors', 'X'] });
    expect(read).toEqual({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'NumberOfConnectors', readonly: true, value: '1' },
      ],
      unknownKey: ['X'],
    });
  });

  it('charges for free with freecharging: no authorization, the free-charging tag as idTag, under both spellings', async () => {
    const device = await chargePoint();
    expect(await cs.call(serial, 'ChangeConfiguration', { key: 'freecharging', value: 'true' })).toEqual({
      status: 'Accepted',
    });
    expect(device.configuration.get('ExternalAuthorizationRequired')).toBe('false');
    expect(await cs.call(serial, 'ChangeConfiguration', { key: 'rfidfreecharging', value: 'FREE1' })).toEqual({
      status: 'Accepted',
    });
    expect(device.configuration.get('rfidtagfreecharging')).toBe('FREE1');
    await device.plugIn(new Car(threePhase16A, 0.5));
    const [start] = await cs.until('StartTransaction', 1);
    expect(start?.params.idTag).toBe('FREE1');
    expect(cs.of('Authorize')).toHaveLength(0);
    await cs.call(serial, 'ChangeConfiguration', { key: 'ExternalAuthorizationRequired', value: 'true' });
    expect(device.configuration.get('freecharging')).toBe('false');
  });
});

describe('smart charging', () => {
  const profile = (overrides: Record<string, unknown> = {}, schedule: Record<string, unknown> = {}) => ({
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    ...overrides,
    chargingSchedule: {
      startSchedule: '2026-01-01T00:00:00.000Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      ...schedule,
    },
  });

  it('refuses Relative, TxProfile, more than 16 periods, W and connector 2; counts each accepted write', async () => {
    const device = await chargePoint();
    const refused = [
      {
        connectorId: 1,
        csChargingProfiles: profile({ chargingProfileKind: 'Relative' }, { startSchedule: undefined }),
      },
      { connectorId: 1, csChargingProfiles: profile({ chargingProfilePurpose: 'TxProfile' }) },
      {
        connectorId: 1,
        csChargingProfiles: profile(
          {},
          { chargingSchedulePeriod: Array.from({ length: 17 }, (_, i) => ({ startPeriod: i * 60, limit: 10 })) },
        ),
      },
      { connectorId: 1, csChargingProfiles: profile({}, { chargingRateUnit: 'W' }) },
      { connectorId: 2, csChargingProfiles: profile() },
    ];
    for (const request of refused) {
      expect(await cs.call(serial, 'SetChargingProfile', request)).toEqual({ status: 'Rejected' });
    }
    expect(device.counters.profileWrites).toBe(0);
    expect(await cs.call(serial, 'SetChargingProfile', { connectorId: 0, csChargingProfiles: profile() })).toEqual({
      status: 'Accepted',
    });
    expect(device.counters.profileWrites).toBe(1);
  });

  it('obeys any running TxDefaultProfile over ChargePointMaxProfile, and reports only that one as composite', async () => {
    const device = await chargePoint();
    await cs.call(serial, 'SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: profile(
        { chargingProfileId: 1, chargingProfilePurpose: 'ChargePointMaxProfile' },
        { chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      ),
    });
    await cs.call(serial, 'SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: profile(
        { chargingProfileId: 2 },
        { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
      ),
    });
    await charging(device);
    // OCPP would allow min(10, 16) = 10 A; an Easee takes the TxDefaultProfile's 16 A.
    expect(device.powerW).toBe(16 * 230 * 3);
    const composite = await cs.call(serial, 'GetCompositeSchedule', { connectorId: 1, duration: 3600 });
    expect(composite).toMatchObject({
      status: 'Accepted',
      chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
    });
    await cs.call(serial, 'ClearChargingProfile', { id: 2 });
    await settle();
    expect(device.powerW).toBe(10 * 230 * 3);
  });

  it('takes a volatile current from the stream (SetDynamicChargerCurrent) without a flash write, until its TTL', async () => {
    const device = await chargePoint();
    await charging(device);
    expect(await device.onStreamCommand(48, { current: 8, ttlMinutes: 5 })).toBe(true);
    expect(device.powerW).toBe(8 * 230 * 3);
    expect(device.counters.profileWrites).toBe(0);
    expect(observations.filter((o) => o.id === 48).map((o) => o.value)).toEqual([8]);
    clock.advance(5 * minute + 1);
    await settle();
    expect(device.powerW).toBe(16 * 230 * 3);
  });
});

describe('the other stream commands', () => {
  it('takes circuit currents, enabling, cable lock, smart charging, fallback and circuit max, reporting each', async () => {
    const device = await chargePoint();
    await charging(device);
    expect(await device.onStreamCommand(22, { currentP1: 10, currentP2: 10, currentP3: 10, ttlMinutes: 5 })).toBe(true);
    expect(device.powerW).toBe(10 * 230 * 3);
    expect(await device.onStreamCommand(29, { enabled: false })).toBe(true);
    expect(device.powerW).toBe(0);
    expect(await device.onStreamCommand(29, { enabled: true })).toBe(true);
    expect(await device.onStreamCommand(30, { locked: true })).toBe(true);
    expect(await device.onStreamCommand(11, { smartCharging: true })).toBe(true);
    expect(await device.onStreamCommand(21, { currentP1: 6, currentP2: 6, currentP3: 6 })).toBe(true);
    expect(await device.onStreamCommand(24, { currentP1: 8, currentP2: 8, currentP3: 8 })).toBe(true);
    expect(device.powerW).toBe(8 * 230 * 3);
    expect(device.counters.flashWrites).toBe(1);
    const reported = (id: number) => observations.filter((o) => o.id === id).map((o) => o.value);
    expect([reported(111), reported(31), reported(30), reported(102), reported(50), reported(22)]).toEqual([
      [10],
      [false, true],
      [true],
      [true],
      [6],
      [8],
    ]);
  });

  it('upgrades its firmware and reboots into it', async () => {
    const device = await chargePoint({ rebootMs: 1_000 });
    expect(await device.onStreamCommand(4, {})).toBe(true);
    await settle();
    clock.advance(1_500);
    await cs.until('BootNotification', 2);
    expect(cs.of('BootNotification').at(-1)?.params.firmwareVersion).toBe('290/1.5.2.0');
    expect(observations.some((o) => o.id === 80 && o.value === '290/1.5.2.0')).toBe(true);
  });

  it('forgets the dynamic current when a car is plugged in, as Easee does', async () => {
    const device = await chargePoint();
    expect(await device.onStreamCommand(48, { current: 8, ttlMinutes: 60 })).toBe(true);
    await device.plugIn(new Car(threePhase16A, 0.2));
    expect(device.limits.dynamicCurrent).toBeUndefined();
    expect(observations.filter((o) => o.id === 48).map((o) => o.value)).toEqual([8, 32]);
  });

  it('takes the DynamicChargerCurrent key over OCPP as a volatile limit', async () => {
    const device = await chargePoint();
    await charging(device);
    expect(await cs.call(serial, 'ChangeConfiguration', { key: 'DynamicChargerCurrent', value: '9' })).toEqual({
      status: 'Accepted',
    });
    await settle();
    expect(device.powerW).toBe(9 * 230 * 3);
    expect(device.counters.profileWrites).toBe(0);
  });
});

describe('meter values', () => {
  it('sends MeterValues outside transactions when configured so', async () => {
    await chargePoint({ meterValuesOutsideTransactions: true });
    await cs.until('StatusNotification', 2);
    clock.advance(61_000);
    const [meterValues] = await cs.until('MeterValues', 1);
    expect(meterValues?.params.transactionId).toBeUndefined();
  });

  it('sends one sampled value per MeterValues, once per kWh, not on the configured interval', async () => {
    const device = await chargePoint();
    const meterStart = await charging(device);
    // 16 A on three phases: 11.04 kW, a kWh every 326 s.
    clock.advance(5 * minute);
    await settle();
    expect(cs.of('MeterValues')).toHaveLength(0);
    clock.advance(30_000);
    const [first] = await cs.until('MeterValues', 1);
    expect(first?.params.meterValue).toHaveLength(1);
    expect(first?.params.meterValue[0].sampledValue).toEqual([
      expect.objectContaining({ measurand: 'Energy.Active.Import.Register', unit: 'Wh' }),
    ]);
    expect(Number(first?.params.meterValue[0].sampledValue[0].value) - meterStart).toBeCloseTo(1000, -1);
    await cs.call(serial, 'ChangeConfiguration', {
      key: 'MeterValuesSampledData',
      value: 'Energy.Active.Import.Register,Power.Active.Import',
    });
    clock.advance(5.5 * minute);
    const calls = await cs.until('MeterValues', 3);
    expect(calls.slice(1).map((call) => call.params.meterValue[0].sampledValue.map((v: any) => v.measurand))).toEqual([
      ['Energy.Active.Import.Register'],
      ['Power.Active.Import'],
    ]);
    expect(device.currentTransaction?.transactionId).toBe(calls[2]?.params.transactionId);
  });

  it('sends none when MeterValueSampleInterval is 0', async () => {
    const device = await chargePoint();
    await cs.call(serial, 'ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '0' });
    await charging(device);
    clock.advance(20 * minute);
    await settle(60);
    expect(cs.of('MeterValues')).toHaveLength(0);
    expect(observations.filter((o) => o.id === 124).length).toBeGreaterThanOrEqual(3);
  });
});

describe('operations', () => {
  it('forwards ClearCache to the charger', async () => {
    const device = await chargePoint();
    expect(await cs.call(serial, 'ClearCache', {})).toEqual({ status: 'Accepted' });
    expect(device.counters.cacheClears).toBe(1);
  });

  it('triggers only BootNotification, Heartbeat, MeterValues and StatusNotification', async () => {
    await chargePoint();
    for (const requestedMessage of ['DiagnosticsStatusNotification', 'FirmwareStatusNotification']) {
      expect(await cs.call(serial, 'TriggerMessage', { requestedMessage })).toEqual({ status: 'NotImplemented' });
    }
    for (const requestedMessage of ['BootNotification', 'Heartbeat', 'MeterValues', 'StatusNotification']) {
      const before = cs.of(requestedMessage).length;
      expect(await cs.call(serial, 'TriggerMessage', { requestedMessage })).toEqual({ status: 'Accepted' });
      await cs.until(requestedMessage, before + 1);
    }
  });

  it('ends the transaction on UnlockConnector and sets UnlockConnectorOnEVSideDisconnect to true', async () => {
    const device = await chargePoint();
    await charging(device);
    expect(await cs.call(serial, 'UnlockConnector', { connectorId: 1 })).toEqual({ status: 'Unlocked' });
    const [stop] = await cs.until('StopTransaction', 1);
    expect(stop?.params.reason).toBe('UnlockCommand');
    expect(device.configuration.get('UnlockConnectorOnEVSideDisconnect')).toBe('true');
    await settle();
    expect(statuses().at(-1)).toBe('1:Finishing');
  });

  for (const type of ['Soft', 'Hard'] as const) {
    it(`reboots the charger on a ${type} reset: the transaction ends, the device reconnects and boots`, async () => {
      const device = await chargePoint({ rebootMs: 8_000 });
      await charging(device);
      expect(await cs.call(serial, 'Reset', { type })).toEqual({ status: 'Accepted' });
      const [stop] = await cs.until('StopTransaction', 1);
      expect(stop?.params.reason).toBe(`${type}Reset`);
      await settle();
      expect(cs.closes).toBe(1);
      clock.advance(8_000);
      await cs.until('BootNotification', 2);
      expect(cs.connections).toBe(2);
      expect(device.counters.reboots).toBe(1);
    });
  }

  it('keeps Inoperative across a reboot, reporting Available for more than a second before Unavailable', async () => {
    const device = await chargePoint({ rebootMs: 5_000 });
    expect(await cs.call(serial, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' })).toEqual({
      status: 'Accepted',
    });
    await settle();
    expect(statuses().at(-1)).toBe('1:Unavailable');
    await cs.call(serial, 'Reset', { type: 'Soft' });
    await settle();
    clock.advance(5_000);
    await cs.until('BootNotification', 2);
    await settle();
    clock.advance(2_000);
    await settle();
    const afterReboot = cs.of('StatusNotification').slice(-3);
    expect(afterReboot.map((call) => `${call.params.connectorId}:${call.params.status}`)).toEqual([
      '0:Unavailable',
      '1:Available',
      '1:Unavailable',
    ]);
    const [available, unavailable] = afterReboot.slice(1).map((call) => Date.parse(call.params.timestamp));
    expect((unavailable as number) - (available as number)).toBeGreaterThan(1_000);
    expect(device.availability).toBe('Inoperative');
  });

  it('schedules Inoperative during a transaction and applies it when the transaction ends', async () => {
    const device = await chargePoint();
    await charging(device);
    expect(await cs.call(serial, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' })).toEqual({
      status: 'Scheduled',
    });
    await device.unplug();
    await settle();
    expect(statuses().at(-1)).toBe('1:Unavailable');
  });

  it('waits ConnectionTimeOut for a car after a remote start, and refuses a TxProfile with it', async () => {
    const device = await chargePoint();
    expect(
      await cs.call(serial, 'RemoteStartTransaction', {
        idTag: 'REMOTE1',
        chargingProfile: {
          chargingProfileId: 3,
          stackLevel: 0,
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Absolute',
          chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
        },
      }),
    ).toEqual({ status: 'Rejected' });
    expect(await cs.call(serial, 'RemoteStartTransaction', { idTag: 'REMOTE1' })).toEqual({ status: 'Accepted' });
    clock.advance(30_000);
    await device.plugIn(new Car(threePhase16A, 0.3));
    const [start] = await cs.until('StartTransaction', 1);
    expect(start?.params.idTag).toBe('REMOTE1');
    expect(cs.of('Authorize')).toHaveLength(0);
    const stopped = await cs.call(serial, 'RemoteStopTransaction', { transactionId: 999 });
    expect(stopped).toEqual({ status: 'Rejected' });
  });

  it('answers Easee DataTransfer messages and refuses other vendors', async () => {
    const device = await chargePoint();
    await charging(device);
    clock.advance(10 * minute);
    await device.unplug();
    expect(await cs.call(serial, 'DataTransfer', { vendorId: 'other', messageId: 'x' })).toEqual({
      status: 'UnknownVendorId',
    });
    expect(await cs.call(serial, 'DataTransfer', { vendorId: 'no.easee', messageId: 'Nope' })).toEqual({
      status: 'UnknownMessageId',
    });
    const sessions = await cs.call(serial, 'DataTransfer', {
      vendorId: 'no.easee',
      messageId: 'listeaseesessions',
      data: '{}',
    });
    expect(JSON.parse(sessions.data)).toEqual([
      expect.objectContaining({ idTag: 'CARD0001', sequenceNumber: 1, connectorId: 1 }),
    ]);
  });

  it('keeps a local list with versions: Full, Differential, VersionMismatch; pre-authorizes from it', async () => {
    const device = await chargePoint();
    await cs.call(serial, 'ChangeConfiguration', { key: 'LocalPreAuthorize', value: 'true' });
    const full = {
      listVersion: 3,
      updateType: 'Full',
      localAuthorizationList: [{ idTag: 'LOCAL1', idTagInfo: { status: 'Accepted' } }],
    };
    expect(await cs.call(serial, 'SendLocalList', full)).toEqual({ status: 'Accepted' });
    expect(await cs.call(serial, 'SendLocalList', { listVersion: 3, updateType: 'Differential' })).toEqual({
      status: 'VersionMismatch',
    });
    expect(await cs.call(serial, 'GetLocalListVersion', {})).toEqual({ listVersion: 3 });
    await device.plugIn(new Car(threePhase16A, 0.3));
    expect(await device.presentCard('local1')).toBe('Accepted');
    await cs.until('StartTransaction', 1);
    expect(cs.of('Authorize')).toHaveLength(0);
  });

  it('refuses a local list longer than SendLocalListMaxLength or LocalAuthListMaxLength allow', async () => {
    await chargePoint();
    const list = (count: number, from = 0) =>
      Array.from({ length: count }, (_, i) => ({ idTag: `TAG${from + i}`, idTagInfo: { status: 'Accepted' } }));
    expect(
      await cs.call(serial, 'SendLocalList', {
        listVersion: 1,
        updateType: 'Full',
        localAuthorizationList: list(1_001),
      }),
    ).toEqual({ status: 'Failed' });
    expect(
      await cs.call(serial, 'SendLocalList', {
        listVersion: 1,
        updateType: 'Full',
        localAuthorizationList: list(1_000),
      }),
    ).toEqual({ status: 'Accepted' });
    expect(
      await cs.call(serial, 'SendLocalList', {
        listVersion: 2,
        updateType: 'Differential',
        localAuthorizationList: list(1, 5_000),
      }),
    ).toEqual({ status: 'Failed' });
    expect(await cs.call(serial, 'GetLocalListVersion', {})).toEqual({ listVersion: 1 });
  });

  it('answers actions an Easee does not offer with NotSupported', async () => {
    await chargePoint();
    await expect(
      cs.call(serial, 'ReserveNow', {
        connectorId: 1,
        expiryDate: '2026-11-23T00:00:00Z',
        idTag: 'X',
        reservationId: 1,
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'NotSupported' });
  });
});

describe('the car model', () => {
  it('drives both channels from one truth: statuses, transaction, energy and the stream session', async () => {
    const device = await chargePoint();
    const meterStart = await charging(device);
    clock.advance(30 * minute);
    await device.setCarPaused(true);
    clock.advance(10 * minute);
    await device.setCarPaused(false);
    clock.advance(20 * minute);
    await device.unplug();
    const [stop] = await cs.until('StopTransaction', 1);
    const truth = device.transactions[0];
    // 50 minutes at 11.04 kW.
    expect((truth?.meterStopWh as number) - (truth?.meterStartWh as number)).toBeCloseTo(9_200, -1);
    expect(stop?.params).toMatchObject({ meterStop: truth?.meterStopWh, reason: 'EVDisconnected' });
    expect(truth?.meterStartWh).toBe(meterStart);
    await settle();
    expect(statuses().slice(2)).toEqual(['1:Preparing', '1:Charging', '1:SuspendedEV', '1:Charging', '1:Available']);
    const session = observations.find((o) => o.id === 129)?.value as Record<string, number>;
    expect(session.EnergyKwh).toBeCloseTo(9.2, 1);
    const opModes = observations.filter((o) => o.id === 109).map((o) => o.value);
    expect(opModes).toEqual(expect.arrayContaining([7, 3, 6, 1]));
  });

  it('stops charging when the car is full', async () => {
    const device = await chargePoint();
    await device.plugIn(new Car({ ...threePhase16A, batteryKWh: 10 }, 0.9));
    await device.presentCard('CARD0001');
    await cs.until('StartTransaction', 1);
    clock.advance(10 * minute);
    await settle();
    expect(device.powerW).toBe(0);
    expect(statuses().at(-1)).toBe('1:SuspendedEV');
    expect(observations.filter((o) => o.id === 109).at(-1)?.value).toBe(4);
  });

  it('faults: the transaction ends and the connector reports the error code', async () => {
    const device = await chargePoint();
    await charging(device);
    await device.raiseFault('GroundFailure');
    const [stop] = await cs.until('StopTransaction', 1);
    expect(stop?.params.reason).toBe('Other');
    await settle();
    expect(cs.of('StatusNotification').at(-1)?.params).toMatchObject({ status: 'Faulted', errorCode: 'GroundFailure' });
  });

  it('refuses an unknown card and keeps the car waiting', async () => {
    const device = await chargePoint();
    await device.plugIn(new Car(threePhase16A, 0.3));
    expect(await device.presentCard('UNKNOWN1')).toBe('Invalid');
    expect(cs.of('StartTransaction')).toHaveLength(0);
    expect(statuses().at(-1)).toBe('1:Preparing');
  });

  it('keeps transaction messages through a power cut and sends them, in order, after it comes back', async () => {
    const device = await chargePoint();
    await charging(device);
    await device.reboot('PowerLoss', false, 2 * minute);
    await settle();
    expect(cs.of('StopTransaction')).toHaveLength(0);
    clock.advance(2 * minute);
    const [stop] = await cs.until('StopTransaction', 1);
    expect(stop?.params.reason).toBe('PowerLoss');
    expect(stop?.params.transactionId).toBe(cs.of('StartTransaction').length);
  });
});
