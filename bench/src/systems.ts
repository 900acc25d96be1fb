import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  LocalCluster,
  type LocalClusterOptions,
  ManagedProcess,
  productionNodeFlags,
  repoRoot,
  waitFor,
} from '@fleetwire/devcluster';

/** A process under test: where chargers connect, and its pid for memory and CPU. */
export interface SystemUnderTest {
  readonly name: string;
  readonly ocppUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A baseline server script of bench/src/baselines, in its own process. */
export async function baselineServer(name: string, script: string): Promise<SystemUnderTest> {
  const process_ = new ManagedProcess({
    name,
    command: process.execPath,
    // The same V8 flags as Fleetwire's processes: the comparison is of the servers, not of V8's heap sizing.
    args: [
      ...productionNodeFlags,
      '--disable-warning=ExperimentalWarning',
      fileURLToPath(new URL(`./baselines/${script}`, import.meta.url)),
    ],
  });
  process_.start();
  await process_.waitForOutput('listening', 30_000);
  const port = /listening (\d+)/.exec(process_.text)?.[1];
  return {
    name,
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    pid: process_.pid as number,
    stop: async () => {
      await process_.stop();
    },
  };
}

export interface AllInOne extends SystemUnderTest {
  readonly apiUrl: string;
  readonly token: string;
  /** FLEETWIRE_DATA_DIR of the process (removed by stop). */
  readonly dataDir: string;
}

export interface AllInOneOptions {
  /** V8 writes a CPU profile here when the process exits (--cpu-prof). */
  readonly cpuProfileDir?: string;
  /** Where its data directory is made (the system's temporary directory unless said). */
  readonly dataParent?: string;
}

/** Fleetwire all-in-one on the production build, its own data directory and free ports. */
export async function fleetwireAllInOne(
  env: Record<string, string> = {},
  { cpuProfileDir, dataParent = tmpdir() }: AllInOneOptions = {},
): Promise<AllInOne> {
  const dataDir = await mkdtemp(join(dataParent, 'fleetwire-bench-'));
  const [ocppPort, apiPort] = [await freePort(), await freePort()];
  const token = `fw_bench_${randomBytes(12).toString('hex')}`;
  const fleetwire = new ManagedProcess({
    name: 'fleetwire',
    command: process.execPath,
    args: [
      ...productionNodeFlags,
      ...(cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`]),
      '--disable-warning=ExperimentalWarning',
      `${repoRoot}services/fleetwire/src/main.ts`,
    ],
    env: {
      ...process.env,
      FLEETWIRE_ROLE: 'all',
      FLEETWIRE_DATA_DIR: dataDir,
      FLEETWIRE_API_TOKENS: token,
      FLEETWIRE_AUTO_REGISTER: 'true',
      OCPP_PORT: String(ocppPort),
      API_PORT: String(apiPort),
      EDGE_DRAIN_WINDOW_S: '1',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  fleetwire.start();
  await fleetwire.waitForOutput('is running', 60_000);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor('Fleetwire ready', async () => (await fetch(`${apiUrl}/readyz`)).ok);
  return {
    name: 'Fleetwire all-in-one',
    ocppUrl: `ws://127.0.0.1:${ocppPort}/ocpp`,
    apiUrl,
    token,
    dataDir,
    pid: fleetwire.pid as number,
    stop: async () => {
      await fleetwire.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ClusterSystem extends SystemUnderTest {
  readonly cluster: LocalCluster;
  readonly edgePid: number;
  readonly workerPid: number;
}

/** Fleetwire as separate edge and worker processes on NATS and Redis, on the production build. */
export async function fleetwireCluster(options: LocalClusterOptions = {}): Promise<ClusterSystem> {
  const cluster = await new LocalCluster({
    edges: 1,
    workers: 1,
    production: true,
    ...options,
    env: { FLEETWIRE_AUTO_REGISTER: 'true', EDGE_DRAIN_WINDOW_S: '1', ...options.env },
  }).start();
  const edgePid = cluster.edges[0]?.process.pid as number;
  return {
    name: 'Fleetwire cluster',
    cluster,
    ocppUrl: cluster.ocppUrl(0),
    pid: edgePid,
    edgePid,
    workerPid: cluster.workers[0]?.process.pid as number,
    stop: () => cluster.stop(),
  };
}
