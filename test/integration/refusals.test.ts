import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../harness/api-client.ts';
import { basicAuth, connectCharger, openRawSocket } from '../harness/chargers.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';

const password = 'correct-horse-battery';
/** Message type, id and error code of a CALLERROR, without its free-text description. */
const head = (frame: unknown) => (frame as unknown[]).slice(0, 3);

describe('what Fleetwire refuses, and how', () => {
  const fleetwire = new FleetwireProcess();
  let api: ApiClient;

  beforeAll(async () => {
    await fleetwire.start();
    api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    for (const serial of ['EHAUTH01', 'EHFRAME1', 'EHTWICE1', 'EHBIG001']) {
      await api.put(`/api/chargers/${serial}`, { password });
    }
    await api.put('/api/chargers/EHOPEN01', {});
  });

  afterAll(async () => {
    expect(fleetwire.running).toBe(true);
    expect((await api.get('/healthz')).status).toBe(200);
    expect(await fleetwire.stop()).toBe(0);
  });

  it('refuses a wrong password, missing credentials and a foreign user with 401 before the upgrade', async () => {
    await expect(
      connectCharger(fleetwire.ocppUrl, 'EHAUTH01', { password: 'wrong-password-123' }),
    ).rejects.toMatchObject({
      code: 401,
    });
    await expect(connectCharger(fleetwire.ocppUrl, 'EHAUTH01')).rejects.toMatchObject({ code: 401 });
    await expect(
      openRawSocket(`${fleetwire.ocppUrl}/EHAUTH01`, ['ocpp1.6'], basicAuth('SOMEONE', password)),
    ).rejects.toMatchObject({ status: 401 });
    const ok = await connectCharger(fleetwire.ocppUrl, 'EHAUTH01', { password });
    await ok.close({ code: 1000 });
  });

  it('answers 404 for an unknown identity and 400 for one outside the serial pattern', async () => {
    await expect(connectCharger(fleetwire.ocppUrl, 'EHUNKNOWN')).rejects.toMatchObject({ code: 404 });
    await expect(openRawSocket(`${fleetwire.ocppUrl}/EH%20001`)).rejects.toMatchObject({ status: 400 });
    await expect(openRawSocket(`${fleetwire.ocppUrl}/EH%ZZ`)).rejects.toMatchObject({ status: 400 });
  });

  it('completes the handshake without a subprotocol and closes when ocpp1.6 is not offered (OCPP-J §3.2)', async () => {
    const none = await openRawSocket(`${fleetwire.ocppUrl}/EHOPEN01`, []);
    expect(none.ws.protocol).toBe('');
    expect((await none.closed).code).toBe(1002);

    // A client that asked only for another protocol gets none back and gives up itself.
    const other = new WebSocket(`${fleetwire.ocppUrl}/EHOPEN01`, ['ocpp2.0.1']);
    const failure = await new Promise<string>((resolve) => other.once('error', (error) => resolve(error.message)));
    expect(failure).toMatch(/subprotocol/i);
  });

  it('answers malformed frames with the CALLERROR OCPP-J names, and keeps the connection', async () => {
    const socket = await openRawSocket(`${fleetwire.ocppUrl}/EHFRAME1`, ['ocpp1.6'], basicAuth('EHFRAME1', password));
    socket.ws.send('[2,"broken-1","Heartbeat",{');
    expect(await socket.next()).toEqual([4, 'broken-1', 'FormationViolation', 'message is not valid JSON', {}]);
    socket.ws.send('[2,"a1","MakeCoffee",{}]');
    expect(head(await socket.next())).toEqual([4, 'a1', 'NotImplemented']);
    socket.ws.send('[2,"a2","Reset",{"type":"Hard"}]');
    expect(head(await socket.next())).toEqual([4, 'a2', 'NotSupported']);
    socket.ws.send('[2,"a3","BootNotification",{"chargePointVendor":"Easee"}]');
    expect(head(await socket.next())).toEqual([4, 'a3', 'OccurenceConstraintViolation']);
    socket.ws.send('[2,"a4","StatusNotification",{"connectorId":"one","status":"Available","errorCode":"NoError"}]');
    expect(head(await socket.next())).toEqual([4, 'a4', 'TypeConstraintViolation']);
    socket.ws.send(`[2,"${'x'.repeat(40)}","Heartbeat",{}]`);
    expect(head(await socket.next())).toEqual([4, 'x'.repeat(36), 'FormationViolation']);
    socket.ws.send('"just a string"');
    socket.ws.send('[2,"a5","Heartbeat",{}]');
    expect(await socket.next()).toMatchObject([3, 'a5', { currentTime: expect.any(String) }]);
    socket.ws.close(1000);
  });

  it('never refuses a transaction message for its content: accepted, flagged, kept', async () => {
    const socket = await openRawSocket(`${fleetwire.ocppUrl}/EHFRAME1`, ['ocpp1.6'], basicAuth('EHFRAME1', password));
    socket.ws.send(
      JSON.stringify([
        2,
        's1',
        'StartTransaction',
        { connectorId: 1, idTag: 'X', meterStart: 12.5, timestamp: 'soon' },
      ]),
    );
    const [, , started] = (await socket.next()) as [number, string, { transactionId: number; idTagInfo: unknown }];
    expect(started).toEqual({ transactionId: expect.any(Number), idTagInfo: { status: 'Invalid' } });
    socket.ws.send(JSON.stringify([2, 'm1', 'MeterValues', { connectorId: 1, meterValue: [{ sampledValue: [] }] }]));
    expect(await socket.next()).toEqual([3, 'm1', {}]);
    socket.ws.send(JSON.stringify([2, 'o1', 'StopTransaction', { transactionId: -1, meterStop: 5, timestamp: 'x' }]));
    expect(await socket.next()).toEqual([3, 'o1', {}]);
    socket.ws.send(
      JSON.stringify([2, 't1', 'StopTransaction', { transactionId: started.transactionId, meterStop: 'lots' }]),
    );
    expect(await socket.next()).toEqual([3, 't1', {}]);
    socket.ws.close(1000);
    await expect
      .poll(async () => (await api.get('/api/transactions?serial=EHFRAME1')).body.items[0], { timeout: 5_000 })
      .toMatchObject({
        id: started.transactionId,
        status: 'stopped',
        // A time that does not parse is kept in a flag; the server's time orders the transaction.
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        meterStartWh: 12.5,
        flags: expect.arrayContaining([
          expect.stringMatching(/^schema: /),
          'unparseable-timestamp: "soon"',
          'authorization: Invalid',
          'no-meter-stop',
        ]),
      });
  });

  it('lets a newer authenticated connection take over, and closes the older one', async () => {
    const first: RPCClient = await connectCharger(fleetwire.ocppUrl, 'EHTWICE1', { password });
    const firstClosed = new Promise<{ code: number }>((resolve) => first.once('close', resolve));
    const second = await connectCharger(fleetwire.ocppUrl, 'EHTWICE1', { password });
    second.handle('TriggerMessage', async () => ({ status: 'Accepted' }));
    expect((await firstClosed).code).toBe(4000);
    const triggered = await api.post('/api/chargers/EHTWICE1/ocpp/TriggerMessage', { requestedMessage: 'Heartbeat' });
    expect(triggered).toMatchObject({ status: 200, body: { response: { status: 'Accepted' } } });
    expect((await api.get('/api/chargers/EHTWICE1')).body.live.ocpp.connected).toBe(true);
    await second.close({ code: 1000 });
    await expect.poll(async () => (await api.get('/api/chargers/EHTWICE1')).body.live.ocpp.connected).toBe(false);
  });

  it('does not let an unauthenticated newcomer take over a live connection', async () => {
    const first = await connectCharger(fleetwire.ocppUrl, 'EHOPEN01');
    await expect(connectCharger(fleetwire.ocppUrl, 'EHOPEN01')).rejects.toMatchObject({ code: 409 });
    await first.close({ code: 1000 });
  });

  it('closes a connection that sends a frame over 64 KiB with 1009, and takes the charger back afterwards', async () => {
    const socket = await openRawSocket(`${fleetwire.ocppUrl}/EHBIG001`, ['ocpp1.6'], basicAuth('EHBIG001', password));
    socket.ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'x'.repeat(70 * 1024) }]));
    expect((await socket.closed).code).toBe(1009);
    const again = await connectCharger(fleetwire.ocppUrl, 'EHBIG001', { password });
    expect(await again.call('Heartbeat', {})).toHaveProperty('currentTime');
    await again.close({ code: 1000 });
  });
});

describe('FLEETWIRE_AUTO_REGISTER=true', () => {
  const fleetwire = new FleetwireProcess({ env: { FLEETWIRE_AUTO_REGISTER: 'true' } });

  beforeAll(async () => {
    await fleetwire.start();
  });
  afterAll(async () => {
    await fleetwire.stop();
  });

  it('registers an unknown charger on its first connection, keeping only a hash of its password', async () => {
    const charger = await connectCharger(fleetwire.ocppUrl, 'EHNEW001', { password });
    await charger.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' });
    await charger.close({ code: 1000 });
    const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    expect((await api.get('/api/chargers/EHNEW001')).body).toMatchObject({ hasPassword: true, autoRegistered: true });
    await expect(
      connectCharger(fleetwire.ocppUrl, 'EHNEW001', { password: 'another-password-1' }),
    ).rejects.toMatchObject({
      code: 401,
    });
  });
});
