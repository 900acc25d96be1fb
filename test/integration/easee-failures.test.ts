import { LocalCluster, RabbitMqServer } from '@fleetwire/devcluster';
import { FakeEaseeCloud } from '@fleetwire/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { readEaseeStream } from '../harness/event-stream.ts';
import { easeeOperator } from '../harness/rabbit.ts';

const operator = easeeOperator('77');
const serials = Array.from({ length: 20 }, (_, i) => `EHFAIL${String(i).padStart(3, '0')}`);
const started = Date.parse('2026-11-22T00:00:00Z');

describe('the Easee stream through an ingest crash and a RabbitMQ restart', () => {
  const rabbit = new RabbitMqServer();
  let cloud: FakeEaseeCloud;
  let cluster: LocalCluster;
  let sent = 0;

  /** The lifetime energy register of every charger, one step up, with its own timestamp. */
  async function publish(count: number): Promise<void> {
    for (let i = 0; i < count; i++, sent++) {
      const serial = serials[sent % serials.length] as string;
      await cloud.observe(serial, 124, 1_000_000 + sent * 100, new Date(started + sent * 1_000).toISOString());
    }
  }

  beforeAll(async () => {
    await rabbit.start();
    cloud = await new FakeEaseeCloud(rabbit.url, '77').start();
    cluster = await new LocalCluster({
      workers: 2,
      ingests: 2,
      shards: 32,
      shardLeaseTtlS: 5,
      easee: { amqpUrl: rabbit.url, ...operator },
    }).start();
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    await cluster?.stop();
    await rabbit.stop();
  }, 120_000);

  it('loses no observation: every one the broker confirmed reaches FW_EASEE and the actors', async () => {
    await publish(1_000);
    // JetStream hangs, so the ingests hold messages they cannot make durable; then they die with them.
    cluster.nats.pause();
    await publish(1_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all(cluster.ingests.map((ingest) => ingest.kill()));
    cluster.nats.resume();
    // RabbitMQ restarts with those messages (never acknowledged by us) back in the queue.
    await cloud.stop();
    await rabbit.restart();
    cloud = await new FakeEaseeCloud(rabbit.url, '77').start();
    await Promise.all(cluster.ingests.map((ingest) => ingest.start()));
    await publish(1_000);

    const published = new Set<string>();
    for (const serial of serials) {
      for (let n = serials.indexOf(serial); n < sent; n += serials.length) {
        published.add(`${serial}.o.124.${started + n * 1_000}`);
      }
    }
    await expect
      .poll(
        async () => {
          const stored = new Set((await readEaseeStream(cluster.nats.url)).map((message) => message.identity));
          return [...published].filter((identity) => !stored.has(identity)).length;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(0);

    const api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
    for (const [i, serial] of serials.entries()) {
      const last = sent - serials.length + i;
      await expect
        .poll(async () => (await api.get(`/api/chargers/${serial}`)).body.live?.stream?.observations?.LifetimeEnergy, {
          timeout: 30_000,
        })
        .toEqual({ value: 1_000_000 + last * 100, timestamp: new Date(started + last * 1_000).toISOString() });
    }
    console.log(
      `ingest crash + RabbitMQ restart: ${published.size} observations published, all in FW_EASEE and applied`,
    );
  }, 300_000);
});
