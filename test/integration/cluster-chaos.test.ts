import { setTimeout as sleep } from 'node:timers/promises';
import { LocalCluster } from '@fleetwire/devcluster';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { LoadFleet } from '../harness/load-fleet.ts';
import { auditFleet } from './cluster-audit.ts';

const leaseTtlS = 5;
const chargers = 200;

let cluster: LocalCluster | undefined;
let fleet: LoadFleet | undefined;

async function startLoadedCluster(
  prefix: string,
): Promise<{ cluster: LocalCluster; fleet: LoadFleet; api: ApiClient }> {
  cluster = await new LocalCluster({ shardLeaseTtlS: leaseTtlS, shards: 64 }).start();
  const api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
  fleet = await LoadFleet.start([cluster.ocppUrl(0), cluster.ocppUrl(1)], api, chargers, prefix);
  fleet.run(1_000);
  await sleep(2_000);
  return { cluster, fleet, api };
}

afterEach(async () => {
  await fleet?.stop();
  await fleet?.close();
  await cluster?.stop();
  fleet = undefined;
  cluster = undefined;
}, 120_000);

describe('cluster under failure, 200 chargers in transactions', () => {
  it('kill -9 of a worker: every next CALL is answered within lease TTL + 5 s; nothing lost or applied twice', async () => {
    const { cluster, fleet, api } = await startLoadedCluster('EHKILL');
    const killedAt = Date.now();
    await cluster.workers[1]?.kill();
    await sleep((leaseTtlS + 8) * 1_000);
    const latencies = fleet.firstCallLatenciesAfter(killedAt);
    await fleet.stop();
    expect(latencies).toHaveLength(chargers);
    const worst = Math.max(...latencies);
    console.log(`kill -9: worst next-CALL latency ${worst} ms (lease TTL ${leaseTtlS} s)`);
    expect(worst).toBeLessThanOrEqual((leaseTtlS + 5) * 1_000);
    expect(fleet.failures).toEqual([]);
    await fleet.stopTransactions();
    const counts = await auditFleet(cluster.nats.url, api, fleet);
    console.log('kill -9 audit', counts);
    expect(counts).toMatchObject({ duplicates: 0, missing: 0, transactions: chargers });
  });

  it('graceful stop of a worker: its shards move and no CALL fails', async () => {
    const { cluster, fleet, api } = await startLoadedCluster('EHSTOP');
    const before = await cluster.leaseOwners();
    expect([...before.values()]).toContain('worker-2');
    expect(await cluster.workers[2]?.stop()).toBe(0);
    await cluster.settled();
    expect([...(await cluster.leaseOwners()).values()]).not.toContain('worker-2');
    await sleep(3_000);
    await fleet.stop();
    expect(fleet.failures).toEqual([]);
    const slowest = Math.max(
      ...fleet.chargers.flatMap((charger) => charger.calls.map((call) => call.answeredAt - call.sentAt)),
    );
    console.log(`graceful stop: slowest CALL ${slowest} ms`);
    await fleet.stopTransactions();
    const counts = await auditFleet(cluster.nats.url, api, fleet);
    console.log('graceful stop audit', counts);
    expect(counts).toMatchObject({ duplicates: 0, missing: 0, transactions: chargers });
  });

  it('SIGSTOP past the lease then SIGCONT: the paused worker is fenced off and the new owner has the state', async () => {
    const { cluster, fleet, api } = await startLoadedCluster('EHSTOPPED');
    const paused = cluster.workers[0];
    paused?.pause();
    await sleep((leaseTtlS + 4) * 1_000);
    const owners = await cluster.leaseOwners();
    expect([...owners.values()]).not.toContain('worker-0');
    paused?.resume();
    await expect
      .poll(() => paused?.process.text ?? '', { timeout: 15_000 })
      .toMatch(/fenced off by a newer owner|lease lost/);
    await sleep(3_000);
    await fleet.stop();
    console.log('paused worker said:', (paused?.process.text.match(/"msg":"[^"]+"/g) ?? []).slice(0, 5));
    expect(paused?.process.text).toContain('shard fenced off by a newer owner');
    await fleet.stopTransactions();
    const counts = await auditFleet(cluster.nats.url, api, fleet);
    console.log('SIGSTOP audit', counts);
    expect(counts).toMatchObject({ duplicates: 0, missing: 0, transactions: chargers });
    for (const charger of fleet.chargers.slice(0, 20)) {
      const live = (await api.get(`/api/chargers/${charger.serial}`)).body.live.ocpp;
      expect(live.activeTransactions).toEqual([]);
      expect(live.connectors['1'].status).toBe('Charging');
    }
  });
});

describe('cluster while its brokers restart', () => {
  it('recovers by itself after NATS and then Redis are killed and down for 3 s; nothing acknowledged is lost', async () => {
    const { cluster, fleet, api } = await startLoadedCluster('EHBROKER');
    const ackedBefore = fleet.chargers.reduce((sum, charger) => sum + charger.acked.length, 0);
    for (const broker of [cluster.nats, cluster.redis]) {
      await broker.kill();
      await sleep(3_000);
      await broker.start();
      await sleep(4_000);
    }
    // Recovered: every charger gets answers again, on both edges.
    const recoveredAt = Date.now();
    await expect
      .poll(
        () =>
          fleet.chargers.every((charger) =>
            charger.calls.some((call) => call.sentAt >= recoveredAt && call.error === undefined),
          ),
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    await fleet.stop();
    const acked = fleet.chargers.reduce((sum, charger) => sum + charger.acked.length, 0);
    console.log(
      `broker restarts: ${acked - ackedBefore} CALLs acknowledged during the test, ${fleet.failures.length} refused or timed out`,
    );
    await fleet.stopTransactions();
    const counts = await auditFleet(cluster.nats.url, api, fleet);
    console.log('broker restart audit', counts);
    expect(counts.missing).toBe(0);
    expect(counts.transactions).toBe(chargers);
  });
});
