import { readdir, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario, scenarioDir } from '../src/scenario.ts';
import { ManualClock, WallClock } from '../src/sim-clock.ts';
import { SimulatedFleet } from '../src/simulated-fleet.ts';
import { TestCentralSystem } from './central-system.ts';

let cs: TestCentralSystem;
beforeEach(async () => {
  cs = await new TestCentralSystem().start();
});
afterEach(async () => {
  await cs.close();
});

describe('scenarios', () => {
  it('are data files that all satisfy the schema', async () => {
    const files = (await readdir(scenarioDir)).filter((file) => file.endsWith('.json') && !file.includes('schema'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const scenario = await loadScenario(file.replace(/\.json$/, ''));
      expect(scenario.name).toBe(file.replace(/\.json$/, ''));
    }
  });

  it('names what is wrong with an invalid one', async () => {
    const path = join(tmpdir(), `fleetwire-bad-scenario-${process.pid}.json`);
    await writeFile(path, JSON.stringify({ name: 'bad', description: 'x', cars: [], cycle: {} }));
    await expect(loadScenario(path)).rejects.toThrow(/scenario .* is invalid: .*installation/);
    await expect(loadScenario('no-such-scenario')).rejects.toThrow(/no-such-scenario/);
  });
});

/** Runs a small fleet for `hours` of simulated time in one-minute steps, letting the network settle each step. */
async function story(seed: number, hours: number): Promise<Map<string, string[]>> {
  const central = await new TestCentralSystem().start();
  const clock = new ManualClock();
  const fleet = new SimulatedFleet({
    url: central.url,
    count: 3,
    scenario: await loadScenario('demo'),
    clock,
    seed,
    rampPerSecond: 1000,
  });
  await fleet.start();
  await quiet(central);
  for (let minute = 0; minute < hours * 60; minute++) {
    clock.advance(60_000);
    await quiet(central);
  }
  await fleet.stop();
  await central.close();
  const bySerial = new Map<string, string[]>();
  for (const call of central.received) {
    // Transaction ids are the central system's, numbered in arrival order across chargers.
    const { transactionId: _id, ...params } = call.params;
    const lines = bySerial.get(call.identity) ?? [];
    lines.push(`${call.method} ${JSON.stringify(params)}`);
    bySerial.set(call.identity, lines);
  }
  return bySerial;
}

async function quiet(central: TestCentralSystem): Promise<void> {
  let seen = -1;
  while (seen !== central.received.length) {
    seen = central.received.length;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe('a simulated fleet', () => {
  it('is deterministic when seeded: the same seed replays the same story, another seed tells another', async () => {
    const first = await story(42, 2);
    const again = await story(42, 2);
    const other = await story(43, 2);
    expect([...first.values()].flat().filter((line) => line.startsWith('StartTransaction')).length).toBeGreaterThan(0);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  }, 60_000);

  it('ramps up, counts what its chargers do, and stops them all', async () => {
    const fleet = new SimulatedFleet({
      url: cs.url,
      count: 30,
      scenario: await loadScenario('steady-load'),
      clock: new WallClock(100),
      seed: 5,
      rampPerSecond: 300,
    });
    const progress: number[] = [];
    await fleet.start((started) => progress.push(started));
    expect(progress.at(-1)).toBe(30);
    await expect.poll(() => fleet.snapshot().connected).toBe(30);
    const chargingSerials = () => new Set(cs.of('StartTransaction').map((call) => call.identity)).size;
    // steady-load starts a tenth of the fleet charging.
    await expect.poll(chargingSerials).toBeGreaterThan(0);
    // Both counts move while the fleet runs: compare them at one instant, not one count against the other's past.
    await expect.poll(() => fleet.snapshot().charging - chargingSerials()).toBe(0);
    const snapshot = fleet.snapshot();
    expect(snapshot).toMatchObject({ total: 30, started: 30, connected: 30, callErrors: 0, connectionErrors: 0 });
    expect(snapshot.calls).toBeGreaterThanOrEqual(90);
    await fleet.stop();
    await expect.poll(() => cs.closes).toBe(30);
  });
});

describe('a driver whose charger is off line when the car arrives', () => {
  it('presents the card again until the charger can ask, so the car still charges', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const fleet = new SimulatedFleet({
      url: `ws://127.0.0.1:${port}/ocpp`,
      count: 5,
      scenario: await loadScenario('all-charging'),
      clock: new WallClock(100),
      seed: 3,
      rampPerSecond: 1000,
    });
    await fleet.start();
    // Long enough for every driver to have presented its card to a charger with no central system.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fleet.snapshot()).toMatchObject({ connected: 0, charging: 0 });
    const late = await new TestCentralSystem().start(port);
    try {
      await expect.poll(() => fleet.snapshot().charging, { timeout: 10_000 }).toBe(5);
      // A charger shows Charging as its transaction begins; its StartTransaction may still be on its way.
      await expect
        .poll(() => new Set(late.of('StartTransaction').map((call) => call.identity)).size, { timeout: 5_000 })
        .toBe(5);
    } finally {
      await fleet.stop();
      await late.close();
    }
  }, 20_000);
});

describe('the wall clock', () => {
  it('waits longer than setTimeout can in one go, without firing early', async () => {
    const clock = new WallClock(1);
    let fired = false;
    const timer = clock.after(100_000 * 60_000, () => {
      fired = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toBe(false);
    timer.cancel();
  });
});
