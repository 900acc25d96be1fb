import { setTimeout as sleep } from 'node:timers/promises';
import { LocalCluster } from '@fleetwire/devcluster';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { connectCharger } from '../harness/chargers.ts';
import { runCoreFlow } from './core-flow.ts';

describe('cluster: 2 edges, 3 workers, NATS and Redis', () => {
  const cluster = new LocalCluster({ env: { HEARTBEAT_INTERVAL_S: '120', OCPP_CALL_TIMEOUT_MS: '10000' } });
  let api: ApiClient;

  beforeAll(async () => {
    await cluster.start();
    api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
  }, 120_000);

  afterAll(async () => {
    await cluster.stop();
  }, 120_000);

  it('runs the all-in-one Core flow unchanged, through either edge', async () => {
    await runCoreFlow({ ocppUrl: cluster.ocppUrl(0), api, heartbeatIntervalS: 120 }, 'EHCLU001');
    await runCoreFlow(
      { ocppUrl: cluster.ocppUrl(1), api: new ApiClient(cluster.apiUrl(1), cluster.apiToken), heartbeatIntervalS: 120 },
      'EHCLU002',
    );
  });

  it('keeps one members consumer per worker, however many coordination rounds go by', async () => {
    const connection = await connect({ servers: cluster.nats.url });
    try {
      const manager = await jetstreamManager(connection);
      const count = async () => {
        let consumers = 0;
        for await (const _ of manager.consumers.list('KV_fw-members')) consumers += 1;
        return consumers;
      };
      const before = await count();
      // A round a second per worker: before, each listed the bucket with a consumer of its own.
      await sleep(6_000);
      const after = await count();
      expect(after).toBeLessThanOrEqual(cluster.workers.length);
      expect(after).toBeLessThanOrEqual(before);
    } finally {
      await connection.close();
    }
  });

  it('routes a command from the API of one edge to a charger on the other', async () => {
    await api.put('/api/chargers/EHCROSS1', {});
    const charger = await connectCharger(cluster.ocppUrl(1), 'EHCROSS1');
    charger.handle('ChangeAvailability', async () => ({ status: 'Accepted' }));
    const reply = await api.post('/api/chargers/EHCROSS1/ocpp/ChangeAvailability', {
      connectorId: 0,
      type: 'Inoperative',
    });
    expect(reply).toMatchObject({ status: 200, body: { response: { status: 'Accepted' } } });
    await charger.close({ code: 1000 });
    await expect.poll(async () => (await api.post('/api/chargers/EHCROSS1/ocpp/ClearCache', {})).status).toBe(503);
  });

  it('closes the older connection when the charger reconnects through another edge', async () => {
    await api.put('/api/chargers/EHMOVE01', {});
    const first = await connectCharger(cluster.ocppUrl(0), 'EHMOVE01');
    const firstClosed = new Promise<{ code: number }>((resolve) => first.once('close', resolve));
    const second = await connectCharger(cluster.ocppUrl(1), 'EHMOVE01');
    expect((await firstClosed).code).toBe(4000);
    second.handle('ClearCache', async () => ({ status: 'Accepted' }));
    expect((await api.post('/api/chargers/EHMOVE01/ocpp/ClearCache', {})).body).toMatchObject({
      response: { status: 'Accepted' },
    });
    await expect
      .poll(async () => (await api.get('/api/chargers/EHMOVE01')).body.live.ocpp.session.edgeId)
      .toBe('edge-1');
    await second.close({ code: 1000 });
  });
});
