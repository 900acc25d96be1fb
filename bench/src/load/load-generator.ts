// The bench's load generator: a process of its own (forked with an IPC channel), so that the load it makes is
// not paid for by the process it measures, and its own CPU is reported beside every figure.
import { loadScenario, OcppLink, SimulatedFleet, WallClock } from '@fleetwire/simulator';
import { Latency } from '../latency.ts';
import { drain, observationLatency, preload } from './easee-load.ts';
import type { CallLoadCommand, ConnectCommand, FleetCommand, LoadCommand, LoadResult } from './protocol.ts';

interface Charger {
  readonly link: OcppLink;
  readonly serial: string;
  transactionId: number;
  registerWh: number;
  busy: boolean;
}

const chargers: Charger[] = [];
let fleet: SimulatedFleet | undefined;

function meterValues(charger: Charger, sampledValues: 1 | 4) {
  charger.registerWh += 10;
  const energy = {
    value: String(charger.registerWh),
    measurand: 'Energy.Active.Import.Register',
    unit: 'Wh',
    context: 'Sample.Periodic',
  };
  return {
    connectorId: 1,
    transactionId: charger.transactionId,
    meterValue: [
      {
        timestamp: new Date().toISOString(),
        sampledValue:
          sampledValues === 1
            ? [energy]
            : [
                energy,
                { value: '11040', measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
                { value: '16.0', measurand: 'Current.Import', unit: 'A', phase: 'L1', context: 'Sample.Periodic' },
                { value: '230.1', measurand: 'Voltage', unit: 'V', phase: 'L1-N', context: 'Sample.Periodic' },
              ],
      },
    ],
  };
}

async function connectOne(command: ConnectCommand, index: number): Promise<void> {
  const serial = `${command.prefix}${String(index).padStart(6, '0')}`;
  const link = new OcppLink(
    {
      url: command.url,
      identity: serial,
      callTimeoutMs: 60_000,
      ...(command.password === undefined ? {} : { password: command.password }),
    },
    { onCall: () => ({ status: 'Accepted' }), onClose: () => undefined },
  );
  // A 503 is the edge's flow control while many handshakes are in progress: a charger retries it after a pause.
  for (let attempt = 1; ; attempt++) {
    try {
      await link.connect();
      break;
    } catch (error) {
      if (attempt >= 10 || !String(error).includes('HTTP 503')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 1_000));
    }
  }
  await link.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Bench' });
  await link.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  const charger: Charger = { link, serial, transactionId: 0, registerWh: 1_000_000, busy: false };
  if (command.startTransaction) {
    const answer = (await link.call('StartTransaction', {
      connectorId: 1,
      idTag: 'BENCH',
      meterStart: charger.registerWh,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    charger.transactionId = answer.transactionId;
  }
  chargers.push(charger);
}

async function connect(command: ConnectCommand) {
  const failures: string[] = [];
  const perTick = Math.max(1, Math.round(command.rampPerSecond / 20));
  const pending: Promise<void>[] = [];
  for (let index = 0; index < command.count; index += perTick) {
    for (let i = index; i < Math.min(command.count, index + perTick); i++) {
      pending.push(connectOne(command, i).catch((error: Error) => void failures.push(error.message)));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await Promise.all(pending);
  return { connected: chargers.length, failed: failures.length, firstError: failures[0] };
}

/** Each charger sends its next MeterValues as soon as the last is answered: what the system can take. */
async function closedLoop(command: CallLoadCommand) {
  const latency = new Latency();
  let calls = 0;
  let errors = 0;
  let firstError: string | undefined;
  const until = performance.now() + command.seconds * 1000;
  await Promise.all(
    chargers.map(async (charger) => {
      while (performance.now() < until) {
        const sent = performance.now();
        try {
          await charger.link.call('MeterValues', meterValues(charger, command.sampledValues));
          latency.record(performance.now() - sent);
          calls += 1;
        } catch (error) {
          errors += 1;
          firstError ??= String(error);
        }
      }
    }),
  );
  return { calls, errors, firstError, latency: latency.summary(), curve: latency.curve() };
}

/**
 * CALLs at a fixed rate whatever the answers do, spread over the chargers (one outstanding CALL per charger, as
 * OCPP-J requires). A CALL that cannot go out on time because every charger is waiting counts as late.
 */
async function openLoop(command: CallLoadCommand) {
  const latency = new Latency();
  const rate = command.ratePerSecond ?? 1000;
  const tickMs = 10;
  const perTick = rate / (1000 / tickMs);
  let owed = 0;
  let calls = 0;
  let errors = 0;
  let late = 0;
  let firstError: string | undefined;
  let next = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const until = started + command.seconds * 1000;
  let tick = 0;
  while (performance.now() < until) {
    owed += perTick;
    while (owed >= 1) {
      owed -= 1;
      let charger: Charger | undefined;
      for (let tries = 0; tries < chargers.length; tries++) {
        const candidate = chargers[next++ % chargers.length] as Charger;
        if (!candidate.busy) {
          charger = candidate;
          break;
        }
      }
      if (charger === undefined) {
        late += 1;
        continue;
      }
      const chosen = charger;
      chosen.busy = true;
      const sent = performance.now();
      const call = chosen.link
        .call('MeterValues', meterValues(chosen, command.sampledValues))
        .then(
          () => {
            latency.record(performance.now() - sent);
            calls += 1;
          },
          (error: unknown) => {
            errors += 1;
            firstError ??= String(error);
          },
        )
        .finally(() => {
          chosen.busy = false;
          inFlight.delete(call);
        });
      inFlight.add(call);
    }
    tick += 1;
    // Sleep to the next tick on the schedule, not tickMs after this one: the rate stays put if a tick ran long.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + tick * tickMs - performance.now())));
  }
  await Promise.all(inFlight);
  return {
    calls,
    errors,
    late,
    firstError,
    achievedPerSecond: calls / command.seconds,
    latency: latency.summary(),
    curve: latency.curve(),
  };
}

async function startFleet(command: FleetCommand) {
  fleet = new SimulatedFleet({
    url: command.url,
    count: command.count,
    scenario: await loadScenario(command.scenario),
    clock: new WallClock(1),
    seed: command.seed,
    rampPerSecond: command.rampPerSecond,
    serialPrefix: 'EHLOAD',
    callTimeoutMs: 60_000,
    ...(command.password === undefined ? {} : { password: command.password }),
  });
  await fleet.start();
  const deadline = Date.now() + 300_000;
  while (fleet.snapshot().boots < command.count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { snapshot: fleet.snapshot() };
}

/**
 * Every connection dropped at once and reopened at once; resolved when every charger that was connected has
 * booted and reported its status again.
 */
async function storm(timeoutS: number) {
  if (fleet === undefined) throw new Error('no fleet to storm');
  const { boots: before, connected: total } = fleet.snapshot();
  const started = performance.now();
  fleet.dropAllConnections(0);
  const deadline = started + timeoutS * 1000;
  let booted = 0;
  while (performance.now() < deadline) {
    booted = fleet.snapshot().boots - before;
    if (booted >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { booted, total, seconds: (performance.now() - started) / 1000, snapshot: fleet.snapshot() };
}

async function run(command: LoadCommand): Promise<Record<string, unknown>> {
  switch (command.op) {
    case 'connect':
      return connect(command);
    case 'closed-loop':
      return closedLoop(command);
    case 'open-loop':
      return openLoop(command);
    case 'fleet':
      return startFleet(command);
    case 'amqp-preload':
      return preload(command, command.count);
    case 'amqp-drain':
      return drain(command.amqpUrl, command.queue, command.expected, command.prefetch);
    case 'observation-latency':
      return observationLatency(command, command.natsUrl, command.perSecond, command.seconds);
    case 'fleet-snapshot':
      return { snapshot: fleet?.snapshot() };
    case 'storm':
      return storm(command.timeoutS);
    case 'close':
      for (const charger of chargers.splice(0)) charger.link.close();
      await fleet?.stop();
      fleet = undefined;
      return {};
  }
}

process.on('message', (command: LoadCommand) => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  run(command).then(
    (result) => {
      const used = process.cpuUsage(cpu);
      const reply: LoadResult = {
        ok: true,
        ...result,
        cpuMs: (used.user + used.system) / 1000,
        wallMs: performance.now() - started,
      };
      process.send?.(reply);
    },
    (error: unknown) => {
      const used = process.cpuUsage(cpu);
      process.send?.({
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        cpuMs: (used.user + used.system) / 1000,
        wallMs: performance.now() - started,
      });
    },
  );
});
