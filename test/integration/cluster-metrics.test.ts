import { execFile } from 'node:child_process';
import { LocalCluster } from '@fleetwire/devcluster';
import { FakeEaseeCloud } from '@fleetwire/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { connectCharger } from '../harness/chargers.ts';
import { debianTool } from '../harness/debian.ts';
import { easeeOperator, freshVhost } from '../harness/rabbit.ts';

const operator = easeeOperator('5151');

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one sample of the Prometheus text format, e.g. `fleetwire_actors{role="worker"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('metrics and probes of every role', () => {
  let cloud: FakeEaseeCloud;
  let cluster: LocalCluster;

  beforeAll(async () => {
    const amqpUrl = await freshVhost('metrics');
    cloud = await new FakeEaseeCloud(amqpUrl, '5151').start();
    cluster = await new LocalCluster({
      edges: 1,
      workers: 1,
      ingests: 1,
      shards: 16,
      easee: { amqpUrl, ...operator },
      env: { EDGE_DRAIN_WINDOW_S: '4' },
    }).start();
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    await cluster?.stop();
  }, 120_000);

  it('answers liveness, startup and readiness on each role’s metrics port', async () => {
    for (const role of [...cluster.edges, ...cluster.workers, ...cluster.ingests]) {
      const url = role.opsUrl as string;
      expect((await fetch(`${url}/healthz`)).status, role.id).toBe(200);
      expect((await fetch(`${url}/startupz`)).status, role.id).toBe(200);
      expect(await (await fetch(`${url}/readyz`)).json(), role.id).toEqual({ ready: true });
    }
  });

  it('counts connections, CALLs, actors, shards, snapshot writes and the operator queue', async () => {
    const api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
    await api.put('/api/chargers/EHMETRIC1', {});
    const charger = await connectCharger(cluster.ocppUrl(0), 'EHMETRIC1');
    await charger.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Charge' });
    await charger.call('Heartbeat', {});
    await cloud.observe('EHMETRIC1', 109, 3);
    const [edge, worker, ingest] = [cluster.edges[0], cluster.workers[0], cluster.ingests[0]].map(
      (role) => role?.opsUrl as string,
    ) as [string, string, string];
    await expect
      .poll(async () =>
        sample(await scrape(ingest), 'fleetwire_easee_operator_messages_total', { result: 'forwarded' }),
      )
      .toBe(1);
    const edgeText = await scrape(edge);
    expect(sample(edgeText, 'fleetwire_ocpp_connections', { role: 'edge' })).toBe(1);
    expect(
      sample(edgeText, 'fleetwire_ocpp_charger_calls_total', { action: 'BootNotification', outcome: 'answered' }),
    ).toBe(1);
    expect(sample(edgeText, 'fleetwire_ocpp_charger_call_duration_seconds_count', { action: 'Heartbeat' })).toBe(1);
    expect(sample(edgeText, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    await expect.poll(async () => sample(await scrape(worker), 'fleetwire_easee_stream_lag_seconds_count')).toBe(1);
    await expect
      .poll(async () => sample(await scrape(worker), 'fleetwire_easee_stream_messages_applied_total'))
      .toBe(1);
    const workerText = await scrape(worker);
    expect(sample(workerText, 'fleetwire_shards_owned')).toBe(16);
    expect(sample(workerText, 'fleetwire_actors')).toBe(1);
    expect(sample(workerText, 'fleetwire_shard_handovers_total', { direction: 'acquired' })).toBe(16);
    expect(sample(workerText, 'fleetwire_snapshot_writes_total', { result: 'written' })).toBeGreaterThanOrEqual(3);
    expect(sample(await scrape(ingest), 'fleetwire_easee_amqp_connected')).toBe(1);

    // The fleet in business terms: chargers by status (bounded labels), connected, transactions, energy.
    await api.put('/api/id-tags/METRIC-TAG', { status: 'Accepted' });
    await charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'METRIC-TAG',
      meterStart: 1_000,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    let business = await scrape(worker);
    expect(sample(business, 'fleetwire_chargers', { status: 'Charging' })).toBe(1);
    expect(sample(business, 'fleetwire_chargers_connected')).toBe(1);
    expect(sample(business, 'fleetwire_transactions_active')).toBe(1);
    await charger.call('StopTransaction', { transactionId, meterStop: 4_500, timestamp: new Date().toISOString() });
    await expect.poll(async () => sample(await scrape(worker), 'fleetwire_energy_delivered_wh_total')).toBe(3_500);
    business = await scrape(worker);
    expect(sample(business, 'fleetwire_transactions_active')).toBe(0);
    await charger.close({ code: 1000 });
    await expect.poll(async () => sample(await scrape(worker), 'fleetwire_chargers', { status: 'offline' })).toBe(1);
  });

  it("passes promtool's checks of the exposition format on every role", async () => {
    const promtool = await debianTool('/usr/bin/promtool', 'prometheus');
    for (const role of [...cluster.edges, ...cluster.workers, ...cluster.ingests]) {
      const text = await scrape(role.opsUrl as string);
      const checked = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = execFile(promtool, ['check', 'metrics'], (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), output: stdout + stderr }),
        );
        child.stdin?.end(text);
      });
      expect(checked, role.id).toEqual({ code: 0, output: '' });
    }
  });

  it('stops being ready as soon as an edge drains, while it still answers liveness', async () => {
    const edge = cluster.edges[0];
    const url = edge?.opsUrl as string;
    // Enough sockets that closing them in batches takes the drain window (4 s).
    const api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
    const chargers = [];
    for (let i = 0; i < 8; i++) {
      await api.put(`/api/chargers/EHDRAIN0${i}`, {});
      chargers.push(await connectCharger(cluster.ocppUrl(0), `EHDRAIN0${i}`));
    }
    const stopped = edge?.stop();
    await expect
      .poll(async () => {
        const response = await fetch(`${url}/readyz`);
        return { status: response.status, body: await response.json() };
      })
      .toEqual({ status: 503, body: { ready: false, reason: 'draining' } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await stopped;
    await Promise.all(chargers.map((charger) => charger.close({ force: true })));
  });
});
