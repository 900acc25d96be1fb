import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@fleetwire/devcluster';
import { Car, EaseeChargePoint, FakeEaseeCloud, SeededRandom, WallClock } from '@fleetwire/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';
import { easeeOperator, easeeStreamEnv, freshVhost } from '../harness/rabbit.ts';
import { SseClient } from '../harness/sse.ts';

// Site load management as an operator uses it: `pnpm start` with the Easee stream, a site defined over the API,
// simulated Easee charge points with cars that arrive, tap a card and leave, and what they offer sampled all along.

const operator = easeeOperator('6161');
const password = 'sites-0123456789abcdef';
const card = 'SITETAG1';
const bigCar = { name: 'Big car', batteryKWh: 100, maxCurrentA: 32, phases: 3 } as const;

describe('a site sharing its fuse, end to end', () => {
  let cloud: FakeEaseeCloud;
  let fleetwire: FleetwireProcess;
  let api: ApiClient;
  const chargePoints = new Map<string, EaseeChargePoint>();
  const samples: { at: number; total: number; circuit: number; offered: Record<string, number> }[] = [];
  let sampling: NodeJS.Timeout | undefined;
  let metricsPort = 0;

  const direct = ['EHSITE01', 'EHSITE02'];
  const onCircuit = ['EHSITE03', 'EHSITE04', 'EHSITE05'];
  const all = [...direct, ...onCircuit];
  const offered = (serial: string) => chargePoints.get(serial)?.offeredCurrentA ?? 0;

  beforeAll(async () => {
    const amqpUrl = await freshVhost('sites');
    metricsPort = await freePort();
    cloud = await new FakeEaseeCloud(amqpUrl, '6161').start();
    fleetwire = await new FleetwireProcess({
      env: {
        ...easeeStreamEnv(amqpUrl, operator),
        EASEE_COMMAND_TIMEOUT_S: '5',
        METRICS_PORT: String(metricsPort),
      },
    }).start();
    api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    await api.put(`/api/id-tags/${card}`, { status: 'Accepted' });
    for (const serial of all) {
      await api.put(`/api/chargers/${serial}`, { password });
      const chargePoint = new EaseeChargePoint({
        serial,
        url: fleetwire.ocppUrl,
        password,
        clock: new WallClock(1),
        random: new SeededRandom(serial.length),
        phases: 3,
        maxCurrentA: 32,
        stream: cloud.sink(),
      });
      cloud.attach(serial, chargePoint);
      chargePoints.set(serial, chargePoint);
      await chargePoint.start();
    }
    const bootedBy = Date.now() + 15_000;
    while ([...chargePoints.values()].some((chargePoint) => !chargePoint.isBooted)) {
      if (Date.now() > bootedBy) throw new Error('the simulated chargers did not boot');
      await sleep(100);
    }
    sampling = setInterval(() => {
      const current = Object.fromEntries(all.map((serial) => [serial, offered(serial)]));
      samples.push({
        at: Date.now(),
        total: all.reduce((sum, serial) => sum + offered(serial), 0),
        circuit: onCircuit.reduce((sum, serial) => sum + offered(serial), 0),
        offered: current,
      });
    }, 50);
  }, 120_000);

  afterAll(async () => {
    if (sampling !== undefined) clearInterval(sampling);
    for (const chargePoint of chargePoints.values()) chargePoint.stop();
    if (fleetwire !== undefined) expect(await fleetwire.stop()).toBe(0);
    await cloud?.stop();
  });

  const arrive = async (serial: string) => {
    const chargePoint = chargePoints.get(serial) as EaseeChargePoint;
    await chargePoint.plugIn(new Car(bigCar, 0.2));
    // A driver parks, then walks to the reader.
    await sleep(2_000);
    expect(await chargePoint.presentCard(card)).toBe('Accepted');
  };

  it('keeps every fuse, shares it fairly, follows a temporary limit and gives a freed share to the others', async () => {
    const defined = await api.put('/api/sites/GARAGE1', {
      name: 'Garage',
      maxCurrentA: 40,
      minCurrentA: 6,
      chargers: direct,
      circuits: [{ id: 'row-b', maxCurrentA: 20, chargers: onCircuit }],
    });
    expect(defined.status).toBe(201);
    for (const serial of all) await arrive(serial);
    // Five cars on 40 A, three of them on a 20 A circuit: the circuit's cars get 6 A each (18 of 20), the two
    // others share the rest of the site's 40 A.
    await expect
      .poll(() => all.map(offered), { timeout: 20_000, interval: 250 })
      .toEqual([11, 11, 6, 6, 6].map((amps, i) => (i < 2 ? expect.any(Number) : amps)));
    await expect.poll(() => offered('EHSITE01') + offered('EHSITE02'), { timeout: 20_000 }).toBeGreaterThanOrEqual(20);

    const view = await api.get('/api/sites/GARAGE1');
    expect(view.status).toBe(200);
    expect(view.body.allocation.limitA).toBe(40);
    expect(view.body.allocation.ceilingTotalA).toBeLessThanOrEqual(40);
    for (const charger of view.body.allocation.chargers) expect(charger.confirmedAt).toEqual(expect.any(String));

    const limited = await api.put('/api/sites/GARAGE1/limit', { maxCurrentA: 30 });
    expect(limited.status).toBe(200);
    await expect
      .poll(() => all.reduce((sum, serial) => sum + offered(serial), 0), { timeout: 10_000 })
      .toBeLessThanOrEqual(30);
    const limitedAt = Date.now();
    await api.put('/api/sites/GARAGE1/limit', { maxCurrentA: null });

    const before = offered('EHSITE01');
    const leftAt = Date.now();
    await (chargePoints.get('EHSITE02') as EaseeChargePoint).unplug();
    await expect.poll(() => offered('EHSITE01'), { timeout: 10_000, interval: 100 }).toBeGreaterThan(before);
    expect(Date.now() - leftAt).toBeLessThan(10_000);

    // Every sample: no fuse over its limit (the temporary one from the moment the site had lowered to it).
    for (const sample of samples) {
      expect(sample.circuit, JSON.stringify(sample)).toBeLessThanOrEqual(20);
      expect(sample.total, JSON.stringify(sample)).toBeLessThanOrEqual(40);
    }
    expect(
      samples.filter((sample) => sample.at > limitedAt && sample.at < leftAt - 2_000).every((s) => s.total <= 40),
    ).toBe(true);
  }, 120_000);

  it('records its rebalances as events and counts them, with its sites and queue, in the metrics', async () => {
    const stream = await new SseClient().open(
      `${fleetwire.apiUrl}/api/events?type=site-allocation&serial=GARAGE1&from=0`,
      fleetwire.token,
    );
    expect(stream.status).toBe(200);
    await expect.poll(() => stream.events.length).toBeGreaterThan(2);
    await stream.close();
    const changes = stream.events.map((event) => JSON.parse(event.data).data);
    expect(changes.length).toBeGreaterThan(2);
    expect(changes.every((change: any) => change.siteId === 'GARAGE1' && typeof change.limitA === 'number')).toBe(true);
    expect(changes.some((change: any) => change.limitA === 30)).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('fleetwire_sites')).toBe(1);
    expect(value('fleetwire_site_chargers_queued')).toBe(0);
    expect(value('fleetwire_site_allocation_changes_total')).toBeGreaterThanOrEqual(changes.length);
    expect(value('fleetwire_site_allocations_sent_total')).toBeGreaterThan(
      value('fleetwire_site_allocation_changes_total'),
    );
    expect(value('fleetwire_site_over_limit_risks_total')).toBe(0);
  });
});
