import type { RPCClient } from 'ocpp-rpc';
import { expect } from 'vitest';
import type { ApiClient } from '../harness/api-client.ts';
import { connectCharger } from '../harness/chargers.ts';

export interface CoreFlowTarget {
  readonly ocppUrl: string;
  readonly api: ApiClient;
  readonly heartbeatIntervalS: number;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute)).toISOString();

/**
 * The Core profile flow of a charger, driven by an independent OCPP client and checked through the operator
 * API: the same function runs against the all-in-one process and against a cluster.
 */
export async function runCoreFlow(target: CoreFlowTarget, serial: string): Promise<void> {
  const { api } = target;
  const password = `${serial}-secret-key`.padEnd(16, 'x');
  expect((await api.put(`/api/chargers/${serial}`, { password })).status).toBe(201);
  expect((await api.put('/api/id-tags/RFID-OK-1', { status: 'Accepted' })).status).toBeLessThan(300);
  await api.put('/api/id-tags/RFID-BLOCKED', { status: 'Blocked' });
  await api.put('/api/id-tags/RFID-OLD', { status: 'Accepted', expiryDate: '2020-01-01T00:00:00Z' });

  const charger: RPCClient = await connectCharger(target.ocppUrl, serial, { password });
  charger.handle('Reset', async () => ({ status: 'Accepted' }));
  charger.handle('GetConfiguration', async () => ({
    configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '180' }],
    unknownKey: [],
  }));
  try {
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'Easee',
      chargePointModel: 'Home',
      firmwareVersion: '289/1.5.2.0',
    })) as { status: string; interval: number; currentTime: string };
    expect(boot.status).toBe('Accepted');
    expect(boot.interval).toBe(target.heartbeatIntervalS);
    expect(Math.abs(Date.parse(boot.currentTime) - Date.now())).toBeLessThan(5_000);

    expect(await charger.call('Heartbeat', {})).toHaveProperty('currentTime');
    await charger.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });

    expect(await charger.call('Authorize', { idTag: 'rfid-ok-1' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await charger.call('Authorize', { idTag: 'RFID-BLOCKED' })).toEqual({ idTagInfo: { status: 'Blocked' } });
    expect(await charger.call('Authorize', { idTag: 'RFID-OLD' })).toMatchObject({ idTagInfo: { status: 'Expired' } });
    expect(await charger.call('Authorize', { idTag: 'NOBODY' })).toEqual({ idTagInfo: { status: 'Invalid' } });

    const start = { connectorId: 1, idTag: 'RFID-OK-1', meterStart: 1_000, timestamp: at(0) };
    const started = (await charger.call('StartTransaction', start)) as { transactionId: number };
    expect(started.transactionId).toBeGreaterThan(0);
    expect(started.transactionId).toBeLessThanOrEqual(2_147_483_647);
    // A charger that lost our answer retries: it must get the same id.
    expect(await charger.call('StartTransaction', start)).toEqual({
      transactionId: started.transactionId,
      idTagInfo: { status: 'Accepted' },
    });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId: started.transactionId,
      meterValue: [
        {
          timestamp: at(10),
          sampledValue: [
            { value: '2.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register' },
            { value: '7400', unit: 'W', measurand: 'Power.Active.Import' },
          ],
        },
      ],
    });

    const live = await api.get(`/api/chargers/${serial}`);
    expect(live.status).toBe(200);
    expect(live.body.live.ocpp).toMatchObject({
      connected: true,
      boot: { chargePointVendor: 'Easee', firmwareVersion: '289/1.5.2.0' },
      connectors: { '0': { status: 'Available' }, '1': { status: 'Charging' } },
    });
    expect(live.body.live.ocpp.activeTransactions).toEqual([
      expect.objectContaining({ id: started.transactionId, lastMeterWh: 2_500, energyWh: 1_500, powerW: 7_400 }),
    ]);

    const reset = await api.post(`/api/chargers/${serial}/ocpp/Reset`, { type: 'Soft' });
    expect(reset).toMatchObject({ status: 200, body: { response: { status: 'Accepted' } } });
    const configuration = await api.post(`/api/chargers/${serial}/ocpp/GetConfiguration`, {
      key: ['HeartbeatInterval'],
    });
    expect(configuration.body.response.configurationKey[0]).toMatchObject({ key: 'HeartbeatInterval', value: '180' });

    expect(
      await charger.call('StopTransaction', {
        transactionId: started.transactionId,
        idTag: 'RFID-OK-1',
        meterStop: 4_000,
        timestamp: at(30),
        reason: 'EVDisconnected',
      }),
    ).toEqual({ idTagInfo: { status: 'Accepted' } });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });

    await expect
      .poll(async () => (await api.get(`/api/transactions?serial=${serial}`)).body.items, { timeout: 5_000 })
      .toEqual([
        expect.objectContaining({
          id: started.transactionId,
          status: 'stopped',
          meterStartWh: 1_000,
          meterStopWh: 4_000,
          energyWh: 3_000,
          stopReason: 'EVDisconnected',
        }),
      ]);
  } finally {
    await charger.close({ code: 1000 });
  }
}
