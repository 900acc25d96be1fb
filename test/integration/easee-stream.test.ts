import { shardOf, subjects } from '@fleetwire/contracts';
import { LocalCluster } from '@fleetwire/devcluster';
import { observationCatalog } from '@fleetwire/easee';
import { FakeEaseeCloud } from '@fleetwire/simulator';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { readStream } from '../harness/event-stream.ts';
import { easeeOperator, freshVhost } from '../harness/rabbit.ts';

const operator = easeeOperator('4242');

async function streamMessages(natsUrl: string): Promise<number> {
  const nats = await connect({ servers: natsUrl });
  try {
    return (await (await jetstreamManager(nats)).streams.info('FW_EASEE')).state.messages;
  } finally {
    await nats.close();
  }
}

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

  it('puts a burst into FW_EASEE as batches, and every charger ends at its last value', async () => {
    const serials = Array.from({ length: 20 }, (_, i) => `EHBURST${String(i).padStart(2, '0')}`);
    const start = Date.parse('2026-11-23T08:00:00Z');
    const storedBefore = await streamMessages(cluster.nats.url);
    // Queued while no ingest consumes: the burst an ingest meets after a restart or a broker outage.
    await Promise.all(cluster.ingests.map((ingest) => ingest.stop()));
    for (let n = 0; n < 2_000; n++) {
      const serial = serials[n % serials.length] as string;
      await cloud.observe(serial, 124, 1_000 + n, new Date(start + n * 1_000).toISOString());
    }
    await Promise.all(cluster.ingests.map((ingest) => ingest.start()));
    for (const [i, serial] of serials.entries()) {
      await expect
        .poll(
          async () => (await api.get(`/api/chargers/${serial}`)).body.live?.stream?.observations?.LifetimeEnergy?.value,
          { timeout: 60_000, interval: 250 },
        )
        .toBe(1_000 + 1_980 + i);
    }
    const stored = (await streamMessages(cluster.nats.url)) - storedBefore;
    console.log(`a burst of 2,000 observations: ${stored} messages in FW_EASEE`);
    // One message each would be 2,000; how many share a batch depends on timing, so the bound is loose.
    expect(stored).toBeLessThan(2_000 / 2);
  }, 120_000);

  it('applies the single messages an ingest from before batches publishes during a rolling upgrade', async () => {
    const serial = 'EHLEGACY01';
    const at = Date.parse('2026-11-23T09:00:00Z');
    const legacy = {
      kind: 'observation',
      serial,
      observationId: 124,
      name: 'LifetimeEnergy',
      timestamp: new Date(at).toISOString(),
      timestampMs: at,
      value: 4_242,
    };
    const nats = await connect({ servers: cluster.nats.url });
    try {
      await jetstream(nats).publish(subjects.easee(shardOf(serial, 32), serial, 'o', 124), JSON.stringify(legacy), {
        msgID: `${serial}.o.124.${at}`,
      });
    } finally {
      await nats.close();
    }
    // And a newer observation of another kind the same moment, through a batch of this version's ingest.
    await cloud.observe(serial, 109, 3, new Date(at + 1_000).toISOString());
    await expect
      .poll(
        async () => {
          const { observations } = (await api.get(`/api/chargers/${serial}`)).body.live?.stream ?? {};
          return [observations?.LifetimeEnergy?.value, observations?.ChargerOpMode?.value];
        },
        { timeout: 30_000, interval: 250 },
      )
      .toEqual([4_242, 3]);
  });

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
