#!/usr/bin/env node
// `pnpm demo`: Fleetwire all-in-one plus a simulated Easee fleet, with a live line of what both see, until Ctrl-C.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FleetConsole,
  loadScenario,
  SimulatedFleet,
  scenarioIdTags,
  simulatedSerial,
  WallClock,
} from '@fleetwire/simulator';
import { repoRoot } from './fleetwire-role.ts';
import { ManagedProcess } from './managed-process.ts';
import { freePort, portIsFree, waitFor } from './ports.ts';

const { values } = parseArgs({
  options: {
    chargers: { type: 'string', default: '200' },
    speed: { type: 'string', default: '30' },
    scenario: { type: 'string', default: 'demo' },
    seed: { type: 'string', default: '1' },
  },
});
const count = Number(values.chargers);
const speed = Number(values.speed);
if (!(count > 0 && count <= 20_000) || !(speed > 0)) {
  process.stderr.write('usage: pnpm demo [--chargers 1..20000] [--speed N] [--scenario NAME] [--seed N]\n');
  process.exit(2);
}

const view = new FleetConsole();
const ocppPort = (await portIsFree(9000)) ? 9000 : await freePort();
const apiPort = (await portIsFree(8080)) ? 8080 : await freePort();
const token = `fw_demo_${randomBytes(18).toString('base64url')}`;
const dataDir = await mkdtemp(join(tmpdir(), 'fleetwire-demo-'));
const apiUrl = `http://127.0.0.1:${apiPort}`;
const fleetwire = new ManagedProcess({
  name: 'fleetwire',
  command: process.execPath,
  args: ['--disable-warning=ExperimentalWarning', `${repoRoot}services/fleetwire/src/main.ts`],
  env: {
    ...process.env,
    FLEETWIRE_ROLE: 'all',
    FLEETWIRE_DATA_DIR: dataDir,
    FLEETWIRE_API_TOKENS: token,
    OCPP_PORT: String(ocppPort),
    API_PORT: String(apiPort),
    EDGE_DRAIN_WINDOW_S: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  },
});

async function api<T>(method: string, path: string, body?: string, type = 'application/json'): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

let fleet: SimulatedFleet | undefined;
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    view.line('stopping the fleet and Fleetwire...');
    await fleet?.stop();
    await fleetwire.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const scenario = await loadScenario(values.scenario);
  fleetwire.start();
  await fleetwire.waitForOutput('is running', 60_000);
  await waitFor('Fleetwire ready', async () => (await fetch(`${apiUrl}/readyz`)).ok);
  const serials = Array.from({ length: count }, (_, i) => simulatedSerial('EHDEMO', i + 1));
  for (let i = 0; i < serials.length; i += 1_000) {
    await api(
      'POST',
      '/api/chargers/import',
      JSON.stringify(serials.slice(i, i + 1_000).map((serial) => ({ serial }))),
    );
  }
  const idTags = scenarioIdTags(scenario);
  await api(
    'POST',
    '/api/id-tags/import',
    `idTag,status\n${idTags.map((tag) => `${tag},Accepted`).join('\n')}\n`,
    'text/csv',
  );
  view.line(
    [
      `Fleetwire is running (all-in-one, data in ${dataDir}, removed on exit)`,
      `  OCPP 1.6J  ws://127.0.0.1:${ocppPort}/ocpp/{serial}`,
      `  API        ${apiUrl}/api   token ${token}`,
      `  try        curl -H "authorization: Bearer ${token}" "${apiUrl}/api/chargers?status=Charging&limit=5"`,
      `${count} simulated Easee chargers (scenario ${scenario.name}, ${speed}× time); Ctrl-C stops everything.`,
    ].join('\n'),
  );
  fleet = new SimulatedFleet({
    url: `ws://127.0.0.1:${ocppPort}/ocpp`,
    count,
    scenario,
    clock: new WallClock(speed),
    seed: Number(values.seed),
    serialPrefix: 'EHDEMO',
    rampPerSecond: 100,
  });
  const running = fleet;
  await running.start((started, total) => view.progress(started, total));
  view.line(`all ${count} chargers started`);
  let fleetwireView = '';
  setInterval(() => view.summary(running.snapshot(), fleetwireView), 1_000);
  // What Fleetwire itself reports, beside what the simulator knows.
  setInterval(async () => {
    try {
      let charging = 0;
      let after: string | undefined;
      do {
        const page = await api<{ items: unknown[]; next?: string }>(
          'GET',
          `/api/chargers?status=Charging&limit=500${after ? `&after=${after}` : ''}`,
        );
        charging += page.items.length;
        after = page.next;
      } while (after !== undefined);
      fleetwireView = `Fleetwire sees ${charging} charging`;
    } catch (error) {
      fleetwireView = `Fleetwire: ${error instanceof Error ? error.message : String(error)}`;
    }
  }, 2_000);
} catch (error) {
  view.line(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  const output = fleetwire.text.trim();
  if (output !== '') view.line(output.split('\n').slice(-20).join('\n'));
  await stop(1);
}
