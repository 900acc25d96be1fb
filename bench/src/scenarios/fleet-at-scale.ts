import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatSelfTime, profileWhile, shareOf, topSelfTime } from '../cpu-profile.ts';
import { LoadGenerator } from '../load/load-client.ts';
import type { LoadResult } from '../load/protocol.ts';
import { cpuShares, mib, rssOf } from '../process-stats.ts';
import { counterTotal } from '../prometheus-text.ts';
import type { BenchContext, BenchRow, Scenario, ScenarioReport } from '../scenario.ts';
import { type ClusterSystem, fleetwireCluster } from '../systems.ts';

const password = 'bench-charger-password';
const rssLimitMiB = 400;
const workerLimitMiB = 250;
const stormLimitS = 30;
/** Descriptors an edge needs besides its chargers' sockets: NATS, listeners, logs, the API's clients. */
const descriptorHeadroom = 200;

/**
 * This process's open-files limit (`ulimit -n`), which the edge and the load generator inherit: each holds one
 * socket per charger, so a fleet larger than the limit fails with EMFILE for reasons that are not Fleetwire's.
 */
function openFilesLimit(): number {
  try {
    const limit = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
    return Number.isFinite(limit) ? limit : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

interface FleetSnapshot {
  readonly total: number;
  readonly connected: number;
  readonly boots: number;
  readonly charging: number;
  readonly calls: number;
  readonly callErrors: number;
  readonly connectionErrors: number;
  readonly lastError?: string;
}

async function api(system: ClusterSystem, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${system.cluster.apiUrl(0)}${path}`, {
    method,
    headers: { authorization: `Bearer ${system.cluster.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
}

/** Registers the fleet with passwords (hashed by the edge, as an operator's import would). */
async function register(system: ClusterSystem, count: number, context: BenchContext): Promise<number> {
  const started = performance.now();
  for (let first = 1; first <= count; first += 2_000) {
    const rows = [];
    for (let n = first; n < Math.min(count + 1, first + 2_000); n++)
      rows.push({ serial: `EHLOAD${String(n).padStart(5, '0')}`, password });
    await api(system, 'POST', '/api/chargers/import', rows);
  }
  await api(system, 'PUT', '/api/id-tags/LOADTAG0001', { status: 'Accepted' });
  const seconds = (performance.now() - started) / 1000;
  context.log(`registered ${count} chargers with passwords in ${seconds.toFixed(1)} s`);
  return seconds;
}

/** The largest RSS of each pid seen while `work` runs, sampled every second. */
async function peakRss<T>(pids: readonly number[], work: () => Promise<T>): Promise<{ result: T; peaks: number[] }> {
  const peaks = pids.map(() => 0);
  const sample = async () => {
    const values = await Promise.all(pids.map((pid) => rssOf(pid).catch(() => 0)));
    values.forEach((value, i) => {
      peaks[i] = Math.max(peaks[i] as number, value);
    });
  };
  const timer = setInterval(() => void sample(), 1_000);
  try {
    const result = await work();
    await sample();
    return { result, peaks };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Where the edge's and the worker's time goes in a storm: a second one, after everything above was measured, with
 * V8's sampling profiler running in both (it slows them; the storm measured is the first).
 */
async function profiledStorm(system: ClusterSystem, load: LoadGenerator, context: BenchContext): Promise<string> {
  const edge = system.cluster.edges[0]?.process;
  const worker = system.cluster.workers[0]?.process;
  if (edge === undefined || worker === undefined) return 'No profile: the cluster has no edge or no worker.';
  const { result, profiles } = await profileWhile([edge, worker], () =>
    load.send<LoadResult & { booted: number; total: number; seconds: number }>({ op: 'storm', timeoutS: 120 }),
  );
  context.log(`profiled storm: ${result.booted}/${result.total} back in ${result.seconds.toFixed(1)} s`);
  const [edgeTop, workerTop] = profiles.map((profile) => formatSelfTime(topSelfTime(profile, 12)));
  const [edgeGc, workerGc] = profiles.map(
    (profile) => `${(shareOf(profile, '(garbage collector)') * 100).toFixed(0)} %`,
  );
  return `Where the storm's CPU goes, function by function: a second storm under V8's sampling profiler (1 ms) in the edge and the worker, ${result.booted.toLocaleString('en-US')} of ${result.total.toLocaleString('en-US')} back in ${result.seconds.toFixed(1)} s. Self time, top 12 — edge: ${edgeTop}. Worker: ${workerTop}. The collector took ${workerGc} of the worker's time and ${edgeGc} of the edge's; no function of ours comes near it. The next step is what the worker allocates per reconnect — its actor restored from Redis, each commit's command to Redis, each event's own JetStream publish — with its young generation held at 8 MiB semi-spaces for W1.`;
}

/** A charger actor's heap, live and passivated (bench/src/actor-memory.ts, in a process of its own). */
function actorMemory(): {
  count: number;
  liveActor: number;
  snapshotOnly: number;
  jsonOnly: number;
  jsonChars: number;
} {
  const script = fileURLToPath(new URL('../actor-memory.ts', import.meta.url));
  const output = execFileSync(process.execPath, [
    '--expose-gc',
    '--disable-warning=ExperimentalWarning',
    script,
    '5000',
  ]);
  return JSON.parse(output.toString());
}

/** The worker's live and let-go charger actors now (ADR 16). */
async function workerActors(system: ClusterSystem): Promise<{ live: number; passivated: number }> {
  const url = system.cluster.workers[0]?.opsUrl;
  if (url === undefined) return { live: 0, passivated: 0 };
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    live: counterTotal(text, 'fleetwire_actors'),
    passivated: counterTotal(text, 'fleetwire_actors_passivated'),
  };
}

/** Handshakes the edge refused so far, whatever the status. */
async function handshakesRefused(system: ClusterSystem): Promise<number> {
  const url = system.cluster.edges[0]?.opsUrl;
  if (url === undefined) return 0;
  return counterTotal(await (await fetch(`${url}/metrics`)).text(), 'fleetwire_ocpp_handshakes_refused_total');
}

/** Roles that are no longer running, with the end of what they printed (a crash says why there). */
function exitedRoles(system: ClusterSystem): string[] {
  return [...system.cluster.edges, ...system.cluster.workers]
    .filter((role) => !role.process.running)
    .map(
      (role) =>
        `**The ${role.role} ${role.id} exited during the run.** The end of its output: \`${role.process.text.slice(-600).replace(/\s+/g, ' ').replace(/`/g, "'")}\``,
    );
}

function errorLines(system: ClusterSystem): number {
  return [...system.cluster.edges, ...system.cluster.workers]
    .map((role) => role.process.text.split('\n').filter((line) => line.includes('"level":50')).length)
    .reduce((sum, count) => sum + count, 0);
}

export const fleetAtScale: Scenario = {
  id: 'P4',
  alsoMeasures: ['P6', 'W1'],
  title: '20,000 simulated Easee chargers on a cluster: steady state, then a reconnect storm',
  async run(context): Promise<ScenarioReport> {
    const wanted = context.quick ? 2_000 : 20_000;
    const filesLimit = openFilesLimit();
    const count = Math.min(wanted, filesLimit - descriptorHeadroom);
    if (count < wanted) {
      context.log(`${count} chargers, not ${wanted}: this machine allows a process ${filesLimit} open files`);
    }
    const steadyS = context.quick ? 20 : 200;
    const system = await fleetwireCluster({
      env: { FLEETWIRE_AUTO_REGISTER: 'false' },
      nodeArgs: ['--inspect-port=0'],
    });
    const load = new LoadGenerator();
    const pids = [system.edgePid, system.workerPid];
    try {
      const registerS = await register(system, count, context);
      const workerBefore = await rssOf(system.workerPid);
      const ramp = await peakRss(pids, () =>
        load.send<LoadResult & { snapshot: FleetSnapshot }>({
          op: 'fleet',
          url: system.ocppUrl,
          count,
          scenario: 'steady-load',
          password,
          rampPerSecond: 1_000,
          seed: 1,
        }),
      );
      const rampS = ramp.result.wallMs / 1000;
      context.log(`ramp: ${ramp.result.snapshot.boots}/${count} booted in ${rampS.toFixed(1)} s`);
      const start = ramp.result.snapshot;
      const steady = await peakRss(pids, async () => {
        await new Promise((resolve) => setTimeout(resolve, steadyS * 1000));
        return load.send<LoadResult & { snapshot: FleetSnapshot }>({ op: 'fleet-snapshot' });
      });
      const snapshot = steady.result.snapshot;
      const actors = await workerActors(system);
      // The ramp's refused handshakes are flow control (503 + Retry-After); steady state must have no failures.
      const steadyErrors =
        snapshot.callErrors - start.callErrors + (snapshot.connectionErrors - start.connectionErrors);
      const rampRefusals = start.connectionErrors;
      context.log(
        `steady ${steadyS} s: edge ${mib(steady.peaks[0] as number).toFixed(0)} MiB, worker ${mib(steady.peaks[1] as number).toFixed(0)} MiB, ${snapshot.connected} connected, ${snapshot.charging} charging, ${snapshot.calls} calls, ${steadyErrors} errors${snapshot.lastError ? ` (${snapshot.lastError})` : ''}`,
      );
      const stormCpu = await cpuShares([
        ['edge', system.edgePid],
        ['worker', system.workerPid],
        ['NATS', system.cluster.nats.pid as number],
        ['Redis', system.cluster.redis.pid as number],
        ['load generator', load.pid as number],
      ]);
      const refusedBefore = await handshakesRefused(system);
      const storm = await peakRss(pids, () =>
        load.send<LoadResult & { booted: number; total: number; seconds: number; snapshot: FleetSnapshot }>({
          op: 'storm',
          timeoutS: 120,
        }),
      );
      const stormCpuShares = (await stormCpu()).line;
      const stormRefusals = (await handshakesRefused(system)) - refusedBefore;
      context.log(
        `storm: ${storm.result.booted}/${storm.result.total} back in ${storm.result.seconds.toFixed(1)} s; CPU ${stormCpuShares}; ${stormRefusals} handshakes refused`,
      );
      const peakEdge = mib(Math.max(steady.peaks[0] as number, ramp.peaks[0] as number));
      const peakWorker = mib(Math.max(steady.peaks[1] as number, ramp.peaks[1] as number));
      const logged = errorLines(system);
      const exited = exitedRoles(system);
      const profiled = await profiledStorm(system, load, context);
      const actor = actorMemory();
      const workerGrowth = ((steady.peaks[1] as number) - workerBefore) / count;
      const rows: BenchRow[] = [
        {
          measure: `edge peak RSS, ${count.toLocaleString('en-US')} chargers connected, heartbeating, 10 % charging`,
          value: peakEdge,
          unit: 'MiB',
          target: `≤ ${rssLimitMiB} MiB`,
          met: peakEdge <= rssLimitMiB,
        },
        {
          id: 'W1',
          measure: `worker peak RSS, same fleet (all ${count.toLocaleString('en-US')} actors on one worker)`,
          value: peakWorker,
          unit: 'MiB',
          target: `≤ ${workerLimitMiB} MiB`,
          met: peakWorker <= workerLimitMiB,
        },
        {
          measure: 'errors in steady state (failed calls, failed connections, error log lines)',
          value: steadyErrors + logged,
          unit: '',
          target: '0',
          met: steadyErrors + logged === 0,
        },
        {
          id: 'P6',
          measure: `reconnect storm: ${storm.result.total.toLocaleString('en-US')} connected chargers dropped at once, all booted and status-reported again`,
          value: storm.result.seconds,
          unit: 's',
          target: `≤ ${stormLimitS} s`,
          met: storm.result.booted >= storm.result.total && storm.result.seconds <= stormLimitS,
        },
      ];
      return {
        id: 'P4',
        title: this.title,
        rows,
        charts: [],
        notes: [
          ...(count < wanted
            ? [
                `**${count.toLocaleString('en-US')} chargers, not ${wanted.toLocaleString('en-US')}**: this machine allows a process ${filesLimit.toLocaleString('en-US')} open files (\`ulimit -n\`, a hard limit here), and the edge holds a socket per charger besides its own ${descriptorHeadroom} or so descriptors; beyond that the kernel refuses the connections (EMFILE). A production edge raises the limit or holds fewer chargers.`,
              ]
            : []),
          `One edge and one worker (the whole fleet on each), NATS, Redis (appendfsync always); chargers registered with passwords through the API import (${registerS.toFixed(0)} s of scrypt), then connected with HTTP Basic auth at up to 1,000/s: ${ramp.result.snapshot.boots.toLocaleString('en-US')} booted in ${rampS.toFixed(0)} s, ${rampRefusals.toLocaleString('en-US')} connection attempts failed on the way (a 503 from the edge's admission, or a reset while the listen backlog was full) and were retried by the chargers.`,
          `The fleet is the simulator's steady-load scenario: Easee charge points heartbeating every ~3 minutes, 10 % charging at 11 kW (MeterValues per kWh); steady state held ${steadyS} s: ${snapshot.calls.toLocaleString('en-US')} calls answered, ${snapshot.charging} charging.`,
          `Storm: every connection dropped without a close, every charger reconnecting at once (no back-off), each sending BootNotification and StatusNotification again; the edge's verified-password cache is warm (same edge process). Peak RSS during the storm: edge ${mib(storm.peaks[0] as number).toFixed(0)} MiB, worker ${mib(storm.peaks[1] as number).toFixed(0)} MiB.`,
          `Where the storm's time goes: CPU over it (share of one core; 2 cores in all) ${stormCpuShares}; ${stormRefusals.toLocaleString('en-US')} handshakes refused by the edge on the way (503 when its 512 slots and 65,536 queue places were taken, or after 30 s in the queue; a refused charger backs off 4–20 s, doubling per refusal).`,
          ...exited,
          `Where the worker's memory goes (W1): ${mib(workerBefore).toFixed(0)} MiB before the ramp, then ${(workerGrowth / 1024).toFixed(1)} KiB more per charger at the steady state's peak. At the end of the steady state ${actors.live.toLocaleString('en-US')} actors were live and ${actors.passivated.toLocaleString('en-US')} let go (ADR 16: after PASSIVATE_AFTER_S without an input, and the least recently used beyond MAX_LIVE_ACTORS, 5,000). One charger's live actor (connected, booted, status-reported; ${actor.count.toLocaleString('en-US')} measured alone in a process of their own after GC) holds ${(actor.liveActor / 1024).toFixed(1)} KiB of heap, of which XState's actor and its actor system are about 3.3 KiB; its last snapshot alone ${(actor.snapshotOnly / 1024).toFixed(1)} KiB; its persisted JSON ${(actor.jsonOnly / 1024).toFixed(1)} KiB (${Math.round(actor.jsonChars)} characters). A charger let go keeps its deadlines, its census figures and its place in its shard, about 0.5 KiB; the rest of the growth is the heap's headroom for the actors loaded and let go again.`,
          profiled,
          `Load generator: ${Math.round(ramp.result.cpuMs / 1000)} s CPU for the ramp, ${Math.round(storm.result.cpuMs / 1000)} s for the storm (one process, 2-core machine shared with everything measured).`,
        ],
      };
    } finally {
      await load.stop();
      await system.stop();
    }
  },
};
