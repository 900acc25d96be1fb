import { setTimeout as sleep } from 'node:timers/promises';
import { Car, EaseeChargePoint, FakeEaseeCloud, SeededRandom, WallClock } from '@fleetwire/simulator';
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';
import { easeeOperator, easeeStreamEnv, freshVhost } from '../harness/rabbit.ts';
import { type ReceivedCall, recordingCharger } from '../harness/recording-charger.ts';

// What an Easee operator is promised, tried as a user would: `pnpm start` with the Easee stream, a strict
// independent OCPP client (ocpp-rpc) for the rules and the simulator (Easee charge points behind a fake cloud).

const operator = easeeOperator('5151');
const password = 'correctness-0123456789';
const car = { name: 'Test car', batteryKWh: 75, maxCurrentA: 16, phases: 3 } as const;

const profile = (limit: number, purpose = 'TxDefaultProfile', id = 20, extra: Record<string, unknown> = {}) => ({
  connectorId: purpose === 'ChargePointMaxProfile' ? 0 : 1,
  csChargingProfiles: {
    chargingProfileId: id,
    stackLevel: purpose === 'ChargePointMaxProfile' ? 0 : 1,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: '2026-01-01T00:00:00.000Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      ...extra,
    },
  },
});

describe('Easee correctness, end to end', () => {
  let cloud: FakeEaseeCloud;
  let fleetwire: FleetwireProcess;
  let api: ApiClient;
  const clients: RPCClient[] = [];
  const chargePoints: EaseeChargePoint[] = [];

  beforeAll(async () => {
    const amqpUrl = await freshVhost('correctness');
    cloud = await new FakeEaseeCloud(amqpUrl, '5151').start();
    fleetwire = await new FleetwireProcess({
      env: {
        OCPP_CALL_TIMEOUT_MS: '5000',
        EASEE_COMMAND_TIMEOUT_S: '2',
        EASEE_COMMAND_ATTEMPTS: '3',
        AVAILABILITY_HOLD_S: '5',
        ...easeeStreamEnv(amqpUrl, operator),
      },
    }).start();
    api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
  }, 120_000);

  afterAll(async () => {
    for (const chargePoint of chargePoints) chargePoint.stop();
    await Promise.all(clients.map((client) => client.close({ force: true })));
    expect(await fleetwire?.stop()).toBe(0);
    await cloud?.stop();
  });

  async function strictCharger(serial: string, answers: Record<string, (params: any) => unknown> = {}) {
    await api.put(`/api/chargers/${serial}`, { password });
    const charger = await recordingCharger(fleetwire.ocppUrl, serial, answers, { password });
    clients.push(charger.client);
    return charger;
  }

  async function simulated(serial: string, rebootMs = 1_000): Promise<EaseeChargePoint> {
    await api.put(`/api/chargers/${serial}`, { password });
    const chargePoint = new EaseeChargePoint({
      serial,
      url: fleetwire.ocppUrl,
      password,
      clock: new WallClock(1),
      random: new SeededRandom(3),
      phases: 3,
      rebootMs,
      reconnectMs: [200, 400],
      stream: cloud.sink(),
    });
    cloud.attach(serial, chargePoint);
    chargePoints.push(chargePoint);
    await chargePoint.start();
    await expect.poll(() => chargePoint.isBooted, { timeout: 10_000 }).toBe(true);
    return chargePoint;
  }

  const profileWrites = (received: ReceivedCall[]) => received.filter((call) => call.method === 'SetChargingProfile');

  it('lets at most the writes left reach the charger when ten profile writes arrive at once', async () => {
    const { received } = await strictCharger('EHBUDGET1');
    for (let write = 0; write < 23; write++) {
      const reply = await api.post(
        '/api/chargers/EHBUDGET1/ocpp/SetChargingProfile',
        profile(6 + (write % 20), 'TxDefaultProfile', 100 + write),
      );
      expect(reply.status).toBe(200);
    }
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post('/api/chargers/EHBUDGET1/ocpp/SetChargingProfile', profile(7 + i, 'TxDefaultProfile', 200 + i)),
      ),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(profileWrites(received)).toHaveLength(25);
    expect(statuses).toEqual([200, 200, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of replies.filter((reply) => reply.status === 409)) {
      expect(refused.body.rule).toBe('easee-profile-write-budget');
    }
    const schedule = await api.get('/api/chargers/EHBUDGET1/charging-schedule');
    expect(schedule.body.writeBudget.remaining).toBe(0);
  });

  it('never lets a TxDefaultProfile or a current limit lift an installed ChargePointMax', async () => {
    const { received } = await strictCharger('EHCAP0001');
    expect(
      (await api.post('/api/chargers/EHCAP0001/ocpp/SetChargingProfile', profile(10, 'ChargePointMaxProfile', 1)))
        .status,
    ).toBe(200);
    const above = await api.post('/api/chargers/EHCAP0001/ocpp/SetChargingProfile', profile(32));
    expect(above).toMatchObject({ status: 409, body: { rule: 'easee-cap-override' } });
    expect(profileWrites(received)).toHaveLength(1);

    const limit = await api.put('/api/chargers/EHCAP0001/current-limit', { amps: 32, ttlMinutes: 10 });
    expect(limit.body).toMatchObject({
      channel: 'ocpp-key',
      status: 'accepted',
      amps: 10,
      clamped: { requestedA: 32, appliedA: 10, capA: 10 },
    });
    expect(received.at(-1)).toMatchObject({
      method: 'ChangeConfiguration',
      params: { key: 'DynamicChargerCurrent', value: '10' },
    });
  });

  it('converts minChargingRate with the schedule when asked to convert W to A', async () => {
    const { received } = await strictCharger('EHCONVERT');
    const watts = profile(11_040, 'TxDefaultProfile', 30, { chargingRateUnit: 'W', minChargingRate: 4_140 });
    expect((await api.post('/api/chargers/EHCONVERT/ocpp/SetChargingProfile?convert=A', watts)).status).toBe(200);
    expect(received.at(-1)?.params.csChargingProfiles.chargingSchedule).toMatchObject({
      chargingRateUnit: 'A',
      minChargingRate: 6,
      chargingSchedulePeriod: [{ limit: 16 }],
    });
  });

  it('keeps a free session going on a charger that stops sessions with an invalid id tag', async () => {
    const chargePoint = await simulated('EHFREE001');
    expect(chargePoint.configuration.flag('StopTransactionOnInvalidId')).toBe(true);
    for (const [key, value] of [
      ['freecharging', 'true'],
      ['rfidtagfreecharging', 'FREEDRIVE1'],
    ]) {
      const reply = await api.post('/api/chargers/EHFREE001/ocpp/ChangeConfiguration', { key, value });
      expect(reply.body).toMatchObject({ response: { status: 'Accepted' } });
    }
    await chargePoint.plugIn(new Car(car, 0.2));
    await expect
      .poll(async () => (await api.get('/api/transactions?serial=EHFREE001')).body.items[0], { timeout: 10_000 })
      .toMatchObject({ idTag: 'FREEDRIVE1', authorization: 'Accepted', status: 'active' });
    await sleep(1_000);
    expect(chargePoint.currentTransaction?.idTag).toBe('FREEDRIVE1');
    expect(chargePoint.status).toBe('Charging');
    // The documented off switch is writable.
    const off = await api.post('/api/chargers/EHFREE001/ocpp/ChangeConfiguration', {
      key: 'ExternalAuthorizationRequired',
      value: 'true',
    });
    expect(off).toMatchObject({ status: 200, body: { response: { status: 'Accepted' } } });
  });

  it('never lists an Inoperative charger as Available during the blip after its reboot', async () => {
    const chargePoint = await simulated('EHBLIP001', 1_000);
    const made = await api.post('/api/chargers/EHBLIP001/ocpp/ChangeAvailability', {
      connectorId: 0,
      type: 'Inoperative',
    });
    expect(made.body).toMatchObject({ response: { status: 'Accepted' } });
    await expect
      .poll(async () => (await api.get('/api/chargers?q=EHBLIP001')).body.items[0]?.live?.ocppStatus)
      .toBe('Unavailable');
    const listedAvailable: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { body } = await api.get('/api/chargers?q=EHBLIP001&status=Available');
        if (body.items.length > 0) listedAvailable.push(Date.now());
        await sleep(50);
      }
    })();
    const boots = chargePoint.counters.bootNotifications;
    expect((await api.post('/api/chargers/EHBLIP001/ocpp/Reset', { type: 'Soft' })).status).toBe(200);
    await expect.poll(() => chargePoint.counters.bootNotifications, { timeout: 15_000 }).toBeGreaterThan(boots);
    // The charger says Available for 1.5 s before Unavailable; watch well past it.
    await expect.poll(() => chargePoint.isBooted, { timeout: 10_000 }).toBe(true);
    await sleep(3_000);
    watching = false;
    await watcher;
    expect(listedAvailable).toEqual([]);
    expect((await api.get('/api/chargers?q=EHBLIP001')).body.items[0]?.live?.ocppStatus).toBe('Unavailable');
  });

  it("matches a command response carrying the cloud's own Ticks, sending the command once", async () => {
    await simulated('EHTICKS01');
    const sent = cloud.received.length;
    const reply = await api.post('/api/chargers/EHTICKS01/easee/SetDynamicChargerCurrent?waitMs=10000', {
      current: 13,
      ttlMinutes: 5,
    });
    expect(reply.body).toMatchObject({ status: 'accepted', attempts: 1 });
    await expect
      .poll(async () => (await api.get(`/api/chargers/EHTICKS01/easee/commands/${reply.body.requestId}`)).body.ticks)
      .toMatch(/^\d{18}$/);
    await sleep(2_500);
    expect(cloud.received.slice(sent).filter((command) => command.serial === 'EHTICKS01')).toHaveLength(1);
  });

  it('does not reboot a charger again when the response to its Reboot is lost but it did reboot', async () => {
    const chargePoint = await simulated('EHREBOOT1', 1_000);
    cloud.misbehaviour.responseLostSerials.add('EHREBOOT1');
    const reply = await api.post('/api/chargers/EHREBOOT1/easee/Reboot?waitMs=0', {});
    expect(reply.status).toBe(202);
    await expect
      .poll(async () => (await api.get(`/api/chargers/EHREBOOT1/easee/commands/${reply.body.requestId}`)).body.status, {
        timeout: 20_000,
      })
      .toBe('accepted');
    const outcome = (await api.get(`/api/chargers/EHREBOOT1/easee/commands/${reply.body.requestId}`)).body;
    expect(outcome).toMatchObject({ attempts: 1, confirmedBy: expect.stringMatching(/^(boot|reconnect)$/) });
    expect(chargePoint.counters.reboots).toBe(1);
    expect(cloud.received.filter((command) => command.serial === 'EHREBOOT1' && command.commandId === 1)).toHaveLength(
      1,
    );
  });
});
