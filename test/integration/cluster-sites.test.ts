import { setTimeout as sleep } from 'node:timers/promises';
import { shardOf } from '@fleetwire/contracts';
import { LocalCluster, RabbitMqServer } from '@fleetwire/devcluster';
import {
  type EaseeChargePoint,
  FakeEaseeCloud,
  type FleetStream,
  type Scenario,
  SimulatedFleet,
  type SimulatedSite,
  scenarioIdTags,
  scenarioSites,
  WallClock,
} from '@fleetwire/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { easeeOperator } from '../harness/rabbit.ts';

// Site load management on the real thing: NATS, Redis and RabbitMQ, two workers, the simulator's Easee chargers
// behind 20 fuses through a 30-minute simulated day (ten times as fast as real time), sampled every simulated
// second — while the worker that owns most sites is killed, and while the stream broker restarts.

const operator = easeeOperator('88');
const speed = 10;
const simulatedMinutes = 30;
const shards = 32;
const sampleEveryMs = 1_000 / speed;

const scenario: Scenario = {
  name: 'cluster-sites',
  description: 'sites with cars coming and going every few minutes',
  installation: { threePhaseShare: 1, voltageV: 230, maxCurrentA: [32] },
  cars: [
    { name: 'Sixteen', batteryKWh: 40, maxCurrentA: 16, phases: 3, weight: 2 },
    { name: 'Thirty-two', batteryKWh: 60, maxCurrentA: 32, phases: 3, weight: 1 },
  ],
  idTags: { prefix: 'CSTAG', count: 20 },
  // Every site can give each of its cars the minimum: the queue's rotation (ten real minutes) is the unit tests'.
  sites: { chargers: [5, 11], maxCurrentA: [70, 110], circuitShare: 0.4, circuitMaxCurrentA: [30, 40] },
  chargingAtStart: 0,
  cycle: {
    idleMinutes: [1, 6],
    stayMinutes: [4, 12],
    arrivalStateOfCharge: [0.2, 0.7],
    cardAfterSeconds: [10, 40],
    authorization: { card: 1 },
  },
};

interface Fuse {
  readonly siteId: string;
  readonly id: string;
  readonly limitA: number;
  readonly chargers: readonly string[];
}

describe('sites in a cluster through a worker kill and a broker restart', () => {
  const rabbit = new RabbitMqServer();
  let cloud: FakeEaseeCloud;
  let cluster: LocalCluster;
  let fleet: SimulatedFleet;
  let sites: SimulatedSite[] = [];

  beforeAll(async () => {
    await rabbit.start();
    cloud = await new FakeEaseeCloud(rabbit.url, '88').start();
    cluster = await new LocalCluster({
      edges: 1,
      workers: 2,
      ingests: 1,
      shards,
      shardLeaseTtlS: 5,
      easee: { amqpUrl: rabbit.url, ...operator },
      env: { FLEETWIRE_AUTO_REGISTER: 'true', EASEE_COMMAND_TIMEOUT_S: '5' },
    }).start();
    const api = new ApiClient(cluster.apiUrl(0), cluster.apiToken);
    for (const idTag of scenarioIdTags(scenario)) await api.put(`/api/id-tags/${idTag}`, { status: 'Accepted' });
    const serials = Array.from({ length: 160 }, (_, i) => `EHCS${String(i + 1).padStart(4, '0')}`);
    sites = scenarioSites(scenario, serials, 7).slice(0, 20);
    const onSites = sites.flatMap((site) => [
      ...site.chargers,
      ...site.circuits.flatMap((circuit) => circuit.chargers),
    ]);
    for (const { siteId, ...definition } of sites) {
      expect((await api.put(`/api/sites/${siteId}`, definition)).status).toBe(201);
    }
    fleet = new SimulatedFleet({
      url: cluster.ocppUrl(0),
      count: onSites.length,
      serials: onSites,
      scenario,
      clock: new WallClock(speed),
      seed: 11,
      rampPerSecond: 200,
      stream: cloud as FleetStream,
    });
  }, 180_000);

  afterAll(async () => {
    await fleet?.stop();
    await cloud?.stop();
    await cluster?.stop();
    await rabbit.stop();
  }, 120_000);

  it('never lets the chargers of a site offer more than any of its fuses, starves no car and passes freed current on', async () => {
    const byserial = new Map(fleet.chargePoints.map((chargePoint) => [chargePoint.serial, chargePoint]));
    const fuses: Fuse[] = sites.flatMap((site) => [
      {
        siteId: site.siteId,
        id: 'site',
        limitA: site.maxCurrentA,
        chargers: [...site.chargers, ...site.circuits.flatMap((circuit) => circuit.chargers)],
      },
      ...site.circuits.map((circuit) => ({
        siteId: site.siteId,
        id: circuit.id,
        limitA: circuit.maxCurrentA,
        chargers: circuit.chargers,
      })),
    ]);
    const point = (serial: string) => byserial.get(serial) as EaseeChargePoint;
    const over: string[] = [];
    let samples = 0;
    // Since when a car that wants current has been offered less than the minimum, per charger.
    const waitingSince = new Map<string, number>();
    let longestWaitMs = 0;
    let longestWaiter = '';
    // Current left idle: a car behind every fuse of its charger could take more than those fuses have to spare (the
    // fuses' limits less what is offered to the cars that draw), since when, per charger; and every such span.
    const fusesOf = new Map<string, Fuse[]>();
    for (const fuse of fuses)
      for (const serial of fuse.chargers) fusesOf.set(serial, [...(fusesOf.get(serial) ?? []), fuse]);
    const idleSince = new Map<string, number>();
    const idleSpans: { serial: string; from: number; ms: number }[] = [];
    const servedOnce = new Set<string>();
    const sample = () => {
      const now = Date.now();
      samples += 1;
      for (const fuse of fuses) {
        const total = fuse.chargers.reduce((sum, serial) => sum + point(serial).offeredCurrentA, 0);
        if (total > fuse.limitA) {
          over.push(
            `${((now - t0) / 1000).toFixed(1)} s ${fuse.siteId}/${fuse.id}: ${total} A > ${fuse.limitA} A (${fuse.chargers.map((serial) => `${serial}=${point(serial).offeredCurrentA}`).join(' ')})`,
          );
        }
      }
      for (const chargePoint of fleet.chargePoints) {
        if (chargePoint.offeredCurrentA >= 6) servedOnce.add(chargePoint.serial);
        const starving = chargePoint.carWantsCurrent && chargePoint.offeredCurrentA < 6;
        if (starving && !waitingSince.has(chargePoint.serial)) waitingSince.set(chargePoint.serial, now);
        if (!starving) waitingSince.delete(chargePoint.serial);
        const waited = starving ? now - (waitingSince.get(chargePoint.serial) as number) : 0;
        if (waited > longestWaitMs) {
          longestWaitMs = waited;
          longestWaiter = chargePoint.serial;
        }
      }
      const drawing = (serial: string) => (point(serial).carWantsCurrent ? point(serial).offeredCurrentA : 0);
      const spare = new Map(
        fuses.map((fuse) => [fuse, fuse.limitA - fuse.chargers.reduce((sum, serial) => sum + drawing(serial), 0)]),
      );
      for (const chargePoint of fleet.chargePoints) {
        const offered = chargePoint.offeredCurrentA;
        const held = chargePoint.carWantsCurrent && offered < Math.min(chargePoint.carDemandA, 32) - 1;
        const need = offered < 6 ? 6 - offered : 1;
        const room = Math.min(...(fusesOf.get(chargePoint.serial) ?? []).map((fuse) => spare.get(fuse) as number));
        const idle = held && room >= need;
        const since = idleSince.get(chargePoint.serial);
        if (idle && since === undefined) idleSince.set(chargePoint.serial, now);
        if (!idle && since !== undefined) {
          idleSince.delete(chargePoint.serial);
          idleSpans.push({ serial: chargePoint.serial, from: since - t0, ms: now - since });
        }
      }
    };
    const t0 = Date.now();
    let killedAt = 0;
    let restartedAt = 0;
    const sampler = setInterval(sample, sampleEveryMs);
    try {
      await fleet.start();
      const runMs = (simulatedMinutes * 60_000) / speed;
      const startedAt = Date.now();

      await sleep(runMs / 3);
      // The worker that owns the most sites dies without a word.
      const owners = await cluster.leaseOwners();
      const count = new Map<string, number>();
      for (const site of sites) {
        const owner = owners.get(shardOf(site.siteId, shards));
        if (owner !== undefined) count.set(owner, (count.get(owner) ?? 0) + 1);
      }
      const victimId = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
      const victim = cluster.workers.find((worker) => worker.id === victimId);
      expect(victim).toBeDefined();
      await victim?.kill();
      killedAt = Date.now() - t0;

      await sleep(runMs / 3);
      // The Easee stream's broker restarts; the cloud and the ingest find it again.
      await rabbit.restart();
      restartedAt = Date.now() - t0;

      await sleep(Math.max(0, runMs - (Date.now() - startedAt)));
    } finally {
      clearInterval(sampler);
    }
    for (const [serial, since] of idleSince) idleSpans.push({ serial, from: since - t0, ms: Date.now() - since });
    const charged = servedOnce.size;
    const spans = idleSpans.map((span) => span.ms).sort((a, b) => a - b);
    const quantile = (q: number) => spans[Math.min(spans.length - 1, Math.floor(q * spans.length))] ?? 0;
    const longestIdle = idleSpans.sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(
      `sites: ${samples} samples, ${fuses.length} fuses, ${over.length} over; longest wait for current ${longestWaitMs} ms (${longestWaiter}); ` +
        `${spans.length} spans of current left idle for a waiting car, p50 ${quantile(0.5)} ms, p95 ${quantile(0.95)} ms, ` +
        `longest ${longestIdle.map((span) => `${span.serial}@${(span.from / 1000).toFixed(0)}s ${span.ms} ms`).join(', ')}; ` +
        `worker killed at ${(killedAt / 1000).toFixed(0)} s, broker restarted at ${(restartedAt / 1000).toFixed(0)} s; ${charged} chargers charged a car`,
    );
    expect(samples).toBeGreaterThan((simulatedMinutes * 60 * 0.9) | 0);
    expect(over.slice(0, 20)).toEqual([]);
    // The bound: a lease TTL and a restore for the worker kill, plus the card-to-transaction time.
    expect(longestWaitMs).toBeLessThan(30_000);
    expect(spans.length).toBeGreaterThan(0);
    expect(quantile(0.95)).toBeLessThan(10_000);
    expect(spans.at(-1)).toBeLessThan(30_000);
  }, 600_000);
});
