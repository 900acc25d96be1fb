import { LocalCluster } from '@fleetwire/devcluster';
import { observationCatalog } from '@fleetwire/easee';
import { FakeEaseeCloud } from '@fleetwire/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { readStream } from '../harness/event-stream.ts';
import { easeeOperator, freshVhost } from '../harness/rabbit.ts';

const operator = easeeOperator('4242');

/** A random walk of values per observation type: what chargers report over a day, compressed. */
function nextValue(observationId: number, step: number): unknown {
  const spec = observationCatalog.get(observationId);
  switch (spec?.type) {
    case 'boolean':
      return step % 2 === 0;
    case 'integer':
      return observationId === 109 ? 1 + (step % 8) : step;
    case 'double':
      return spec.scale === undefined ? (step % 320) / 10 : step * 10;
    default:
      return `v${step}`;
  }
}

describe('the Easee operator stream into the cluster', () => {
  let cloud: FakeEaseeCloud;
  let cluster: LocalCluster;
  let api: ApiClient;

  beforeAll(async () => {
    const amqpUrl = await freshVhost('easee');
    cloud = await new FakeEaseeCloud(amqpUrl, '4242', 7).start();
    cluster = await new LocalCluster({
      workers: 2,
      ingests: 2,
      shards: 32,
      shardLeaseTtlS: 5,
      easee: { amqpUrl, ...operator },
      env: { EASEE_COMMAND_TIMEOUT_S: '1', EASEE_COMMAND_ATTEMPTS: '3' },
    }).start();
    api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    await cluster?.stop();
  }, 120_000);

  it('shows each charger as the cloud says it is after 10,000 observations with duplicates and reordering', async () => {
    const serials = Array.from({ length: 25 }, (_, i) => `EHSTREAM${String(i).padStart(2, '0')}`);
    const ids = [31, 48, 96, 102, 103, 109, 120, 121, 124, 150, 183, 194, 250];
    cloud.misbehaviour.duplicates = 0.1;
    cloud.misbehaviour.reorder = 0.1;
    const start = Date.parse('2026-11-22T08:00:00Z');
    for (let n = 0; n < 10_000; n++) {
      const serial = serials[n % serials.length] as string;
      const id = ids[Math.floor(n / serials.length) % ids.length] as number;
      await cloud.observe(serial, id, nextValue(id, n), new Date(start + n * 1_000).toISOString());
    }
    await cloud.releaseHeldBack();
    cloud.misbehaviour.duplicates = 0;
    cloud.misbehaviour.reorder = 0;

    for (const serial of serials) {
      const expected = Object.fromEntries(
        [...cloud.truthOf(serial)].map(([id, truth]) => [observationCatalog.get(id)?.name, truth.value]),
      );
      await expect
        .poll(
          async () => {
            const { body } = await api.get(`/api/chargers/${serial}`);
            const observations = (body.live?.stream?.observations ?? {}) as Record<string, { value: unknown }>;
            return Object.fromEntries(Object.entries(observations).map(([name, observed]) => [name, observed.value]));
          },
          { timeout: 60_000, interval: 500 },
        )
        .toEqual(expected);
    }
    const charger = (await api.get(`/api/chargers/${serials[0]}`)).body;
    expect(charger).toMatchObject({ discoveredBy: 'easee-stream', hasPassword: false });
    expect(charger.live.stream.opModeName).toBeTypeOf('string');
  }, 300_000);

  it('sends SetDynamicChargerCurrent as Easee documents it and reports the command response', async () => {
    await api.put('/api/chargers/EHCMD0001', {});
    const reply = await api.post('/api/chargers/EHCMD0001/easee/SetDynamicChargerCurrent', {
      current: 13,
      ttlMinutes: 5,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'accepted',
      name: 'SetDynamicChargerCurrent',
      commandId: 48,
      attempts: 1,
    });
    const [sent] = cloud.received.filter((command) => command.serial === 'EHCMD0001');
    expect(sent).toMatchObject({
      routingKey: 'EHCMD0001.C.48',
      originApplication: 'Fleetwire.Easee',
      contentType: 'application/json',
      body: {
        Id: 48,
        ExpiresAt: expect.any(String),
        Arguments: [
          { Id: 1, Value: '13' },
          { Id: 2, Value: '5' },
        ],
      },
    });
    await expect
      .poll(
        async () =>
          (await api.get('/api/chargers/EHCMD0001')).body.live.stream.observations.DynamicChargerCurrent?.value,
      )
      .toBe(13);
    const refused = await api.post('/api/chargers/EHCMD0001/easee/SetDynamicChargerCurrent', { current: 99 });
    expect(refused.status).toBe(400);
  });

  it('sends a command again when no response comes, then reports it failed', async () => {
    await api.put('/api/chargers/EHSILENT1', {});
    cloud.misbehaviour.silentSerials.add('EHSILENT1');
    const reply = await api.post('/api/chargers/EHSILENT1/easee/SetEnabled?waitMs=0', { enabled: false });
    expect(reply.status).toBe(202);
    const { requestId } = reply.body as { requestId: string };
    await expect
      .poll(async () => (await api.get(`/api/chargers/EHSILENT1/easee/commands/${requestId}`)).body.status, {
        timeout: 20_000,
      })
      .toBe('no-response');
    const attempts = cloud.received.filter((command) => command.serial === 'EHSILENT1');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((command) => command.ticks)).size).toBe(3);
  });

  it('parks malformed messages with their reason and keeps consuming', async () => {
    const good = { Observation: { Id: 109, Name: 'ChargerOpMode', Timestamp: '2026-11-22T12:00:00Z', Value: '3' } };
    await cloud.publishRaw('EHBAD0001.O.109', '{"Observation": ');
    await cloud.publishRaw('EHBAD0001.Q.109', JSON.stringify(good));
    await cloud.publishRaw('EHBAD0001.O.9999', JSON.stringify({ Observation: { ...good.Observation, Id: 9999 } }));
    await cloud.publishRaw('EHBAD0001.O.109', JSON.stringify({ Observation: { ...good.Observation, Value: 'three' } }));
    await cloud.publishRaw('EHBAD0001.O.109', JSON.stringify({ ...good, RoutingKey: 'EHOTHER01.O.109' }));
    await cloud.observe('EHBAD0001', 109, 3, '2026-11-22T12:00:01Z');
    await expect
      .poll(async () => (await api.get('/api/chargers/EHBAD0001')).body.live?.stream?.status, { timeout: 30_000 })
      .toBe('Charging');
    const parked = (await readStream<{ routingKey: string; reason: string }>(cluster.nats.url, 'FW_PARKED')).map(
      (message) => [message.data.routingKey, message.data.reason],
    );
    expect(parked).toEqual(
      expect.arrayContaining([
        ['EHBAD0001.O.109', 'body is not JSON'],
        ['EHBAD0001.Q.109', 'unrecognised routing key "EHBAD0001.Q.109"'],
        ['EHBAD0001.O.9999', 'unknown observation id 9999'],
        ['EHBAD0001.O.109', 'observation 109 ChargerOpMode: expected an integer, got "three"'],
        ['EHBAD0001.O.109', 'body RoutingKey EHOTHER01.O.109 does not match EHBAD0001.O.109'],
      ]),
    );
  });
});
