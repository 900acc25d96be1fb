import { parseArgs } from 'node:util';
import { FakeEaseeCloud } from './fake-easee-cloud.ts';
import { FleetConsole } from './fleet-console.ts';
import { loadScenario, scenarioIdTags } from './scenario.ts';
import { WallClock } from './sim-clock.ts';
import { type FleetStream, SimulatedFleet } from './simulated-fleet.ts';
import { type SimulatedSite, scenarioSites } from './sites.ts';

const usage = `npm run simulate -- [options]: simulated Easee chargers against an OCPP 1.6J central system

  --url URL          OCPP endpoint without the identity      (default ws://127.0.0.1:9000/ocpp)
  --chargers N       how many chargers                       (default 100)
  --scenario NAME    demo, everyday, steady-load, or a path  (default everyday)
  --seed N           the same seed replays the same fleet    (default 1)
  --speed N          simulated seconds per real second       (default 1)
  --ramp N           connections opened per second           (default 200)
  --prefix TEXT      serials are PREFIX00001, PREFIX00002, …  (default EHSIM)
  --first N          number of the first charger             (default 1)
  --serial SERIAL    simulate this charger (repeat for more); instead of --prefix, --first and --chargers
  --password TEXT    HTTP Basic password of every charger    (default none)
  --amqp URL         also publish their Easee stream to this RabbitMQ (a fake Easee cloud)
  --operator ID      Easee operator id of that stream        (default 900)
  --duration S       stop after S real seconds               (default: until Ctrl-C)
  --api URL          Fleetwire's API: define the scenario's sites there (scenario sites)
  --token TOKEN      an admin token for --api
  --json             one JSON snapshot per second instead of the live line

The simulated drivers present the scenario's cards (SIMTAG0001, SIMTAG0002, … unless the scenario names others):
register them as id tags (PUT /api/id-tags/SIMTAG0001 {"status":"Accepted"}, or import them) or the chargers wait
in Preparing. A charger the central system refuses keeps trying, less and less often, and the reason is printed once.
`;

/** Why a connection failed, in words that say what to do about it; one line per cause, whatever the count. */
function causeOf(message: string, url: string): string {
  const status = /HTTP (\d{3})/.exec(message)?.[1];
  switch (status) {
    case '401':
      return 'HTTP 401: wrong password — pass the one the charger was registered with (--password)';
    case '404':
      return 'HTTP 404: unknown charger — register it (PUT /api/chargers/{serial}) or set FLEETWIRE_AUTO_REGISTER=true';
    case '503':
      return 'HTTP 503: the central system is busy or shutting down — retrying';
    case undefined:
      break;
    default:
      return `HTTP ${status}: ${message}`;
  }
  if (/ECONNREFUSED/.test(message)) return `connection refused: nothing listens at ${url} — is Fleetwire running?`;
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `host not found: check --url (${url})`;
  return message;
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not "${text}"`);
  return value;
}

async function defineSite(api: string, token: string | undefined, site: SimulatedSite): Promise<void> {
  const { siteId, ...definition } = site;
  const response = await fetch(`${api.replace(/\/$/, '')}/api/sites/${siteId}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(definition),
  });
  if (!response.ok) throw new Error(`PUT /api/sites/${siteId}: HTTP ${response.status} ${await response.text()}`);
}

/** `npm run simulate`: runs a simulated fleet until Ctrl-C (or --duration), with a live summary. */
export async function simulate(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9000/ocpp' },
      chargers: { type: 'string' },
      scenario: { type: 'string', default: 'everyday' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      ramp: { type: 'string' },
      prefix: { type: 'string', default: 'EHSIM' },
      serial: { type: 'string', multiple: true },
      first: { type: 'string' },
      password: { type: 'string' },
      amqp: { type: 'string' },
      operator: { type: 'string', default: '900' },
      duration: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const serials = values.serial ?? [];
  for (const serial of serials) {
    if (!/^[A-Za-z0-9_-]{1,48}$/.test(serial))
      throw new Error(`--serial ${serial}: serials match ^[A-Za-z0-9_-]{1,48}$`);
  }
  const count = serials.length > 0 ? serials.length : Math.round(positiveNumber('chargers', values.chargers, 100));
  const scenario = await loadScenario(values.scenario);
  let cloud: FakeEaseeCloud | undefined;
  if (values.amqp !== undefined) cloud = await new FakeEaseeCloud(values.amqp, values.operator).start();
  const view = new FleetConsole();
  const seed = Math.round(positiveNumber('seed', values.seed, 1));
  const fleet = new SimulatedFleet({
    url: values.url,
    count,
    scenario,
    clock: new WallClock(positiveNumber('speed', values.speed, 1)),
    seed,
    rampPerSecond: positiveNumber('ramp', values.ramp, 200),
    serialPrefix: values.prefix,
    ...(serials.length > 0 ? { serials } : {}),
    listener: {
      onError: (serial, kind, message) => {
        if (kind !== 'connection') return;
        const cause = causeOf(message, values.url);
        if (causes.has(cause)) return;
        causes.add(cause);
        if (values.json) process.stdout.write(`${JSON.stringify({ connectionFailed: cause, serial })}\n`);
        else view.line(`${serial} cannot connect: ${cause}`);
      },
    },
    firstNumber: Math.round(positiveNumber('first', values.first, 1)),
    ...(values.password === undefined ? {} : { password: values.password }),
    ...(cloud === undefined ? {} : { stream: cloud as FleetStream }),
  });
  const causes = new Set<string>();
  const report = () => {
    const snapshot = fleet.snapshot();
    if (values.json) process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...snapshot })}\n`);
    else view.summary(snapshot);
  };
  // Kept referenced: while every charger is off line and waiting to reconnect, this is what keeps the simulator up.
  const ticker = setInterval(report, 1_000);
  const finished = Promise.withResolvers<void>();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    await fleet.stop();
    await cloud?.stop();
    if (!values.json) view.line(`stopped: ${JSON.stringify(fleet.snapshot().byStatus)}`);
    finished.resolve();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (!values.json) {
    const tags = scenarioIdTags(scenario);
    view.line(`${count} simulated Easee chargers (${scenario.name}) → ${values.url}`);
    view.line(`their drivers present the cards ${tags[0]} … ${tags.at(-1)} (${tags.length}): register them as id tags`);
  }
  if (scenario.sites !== undefined && values.api !== undefined) {
    const sites = scenarioSites(
      scenario,
      fleet.chargePoints.map((chargePoint) => chargePoint.serial),
      seed,
    );
    for (const site of sites) await defineSite(values.api, values.token, site);
    if (!values.json) view.line(`${sites.length} sites defined at ${values.api}`);
  }
  await fleet.start((started, total) => {
    if (!values.json) view.progress(started, total);
  });
  if (values.duration !== undefined) {
    setTimeout(() => void stop(), positiveNumber('duration', values.duration, 1) * 1000).unref();
  }
  await finished.promise;
  return 0;
}

// A test tool, not part of Fleetwire's production image: run with `npm run simulate -- --help`.
if (import.meta.main) process.exitCode = await simulate(process.argv.slice(2));
