import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { connectCharger } from '../harness/chargers.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';
import { runCoreFlow } from './core-flow.ts';

describe('all-in-one (pnpm start)', () => {
  const fleetwire = new FleetwireProcess({ env: { HEARTBEAT_INTERVAL_S: '120', OCPP_CALL_TIMEOUT_MS: '1500' } });
  let api: ApiClient;

  beforeAll(async () => {
    await fleetwire.start();
    api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
  });

  afterAll(async () => {
    expect(await fleetwire.stop()).toBe(0);
  });

  it('runs the Core flow of a charger against an independent strict OCPP client', async () => {
    await runCoreFlow({ ocppUrl: fleetwire.ocppUrl, api, heartbeatIntervalS: 120 }, 'EHCORE01');
  });

  it('answers central-system calls 503 when the charger is offline, 504 when it is silent, 404 when unknown', async () => {
    await api.put('/api/chargers/EHCMD001', {});
    expect((await api.post('/api/chargers/EHCMD001/ocpp/Reset', { type: 'Hard' })).status).toBe(503);
    expect((await api.post('/api/chargers/EHNOBODY/ocpp/Reset', { type: 'Hard' })).status).toBe(404);
    const invalid = await api.post('/api/chargers/EHCMD001/ocpp/Reset', { type: 'Gentle' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('PropertyConstraintViolation');
    expect((await api.post('/api/chargers/EHCMD001/ocpp/BootNotification', {})).status).toBe(400);

    const silent = await connectCharger(fleetwire.ocppUrl, 'EHCMD001');
    silent.handle('Reset', () => new Promise(() => {}));
    const started = Date.now();
    const timedOut = await api.post('/api/chargers/EHCMD001/ocpp/Reset', { type: 'Hard' });
    expect(timedOut.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Forced: a graceful ocpp-rpc close would wait for its own handler, which never answers.
    await silent.close({ force: true });
  });

  it('refuses operators without a valid token', async () => {
    expect((await new ApiClient(fleetwire.apiUrl, undefined).get('/api/chargers')).status).toBe(401);
    const wrong = await new ApiClient(fleetwire.apiUrl, 'not-the-token').get('/api/chargers');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await new ApiClient(fleetwire.apiUrl, undefined).get('/healthz')).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document naming every endpoint', async () => {
    const { body } = await new ApiClient(fleetwire.apiUrl, undefined).get('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/chargers/{serial}',
        '/api/chargers',
        '/api/chargers/{serial}/ocpp/{action}',
        '/api/id-tags/{idTag}',
        '/api/transactions',
      ]),
    );
  });

  it('keeps registrations, id tags and transactions across a restart, and never reuses a transaction id', async () => {
    await api.put('/api/chargers/EHKEEP01', {});
    await api.put('/api/id-tags/KEEP-TAG', { status: 'Accepted' });
    const before = await connectCharger(fleetwire.ocppUrl, 'EHKEEP01');
    const first = (await before.call('StartTransaction', {
      connectorId: 1,
      idTag: 'KEEP-TAG',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    await before.close({ code: 1000 });

    await fleetwire.restart();
    const after = await connectCharger(fleetwire.ocppUrl, 'EHKEEP01');
    expect(await after.call('Authorize', { idTag: 'keep-tag' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    const second = (await after.call('StartTransaction', {
      connectorId: 2,
      idTag: 'KEEP-TAG',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    expect(second.transactionId).toBeGreaterThan(first.transactionId);
    // Transaction records are a projection of the committed events: they follow within moments.
    await expect
      .poll(async () =>
        (await api.get('/api/transactions?serial=EHKEEP01')).body.items.map((t: { id: number }) => t.id),
      )
      .toEqual([first.transactionId, second.transactionId]);
    const state = await api.get('/api/chargers/EHKEEP01');
    expect(state.body.live.ocpp.activeTransactions).toHaveLength(2);
    await after.close({ code: 1000 });
  });
});
