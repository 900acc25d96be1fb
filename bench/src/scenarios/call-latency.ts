import { existsSync } from 'node:fs';
import { freePort } from '@fleetwire/devcluster';
import { fdatasyncLatency } from '../disk.ts';
import { LoadGenerator } from '../load/load-client.ts';
import type { CallLoadResult } from '../load/protocol.ts';
import { cpuDuring } from '../process-stats.ts';
import { histogramOf, shareAbove, sumAndCount } from '../prometheus-text.ts';
import type { BenchContext, Scenario, ScenarioReport } from '../scenario.ts';
import { baselineServer, fleetwireAllInOne, fleetwireCluster, type SystemUnderTest } from '../systems.ts';

const rate = 1_000;
/** A file system in memory (tmpfs), where a synced write costs no disk: Linux's. */
const memoryFileSystem = '/dev/shm';

async function atFixedRate(system: SystemUnderTest, seconds: number, context: BenchContext, metricsUrl?: string) {
  const load = new LoadGenerator();
  try {
    const connected = await load.send({
      op: 'connect',
      url: system.ocppUrl,
      prefix: 'EHRATE',
      count: rate,
      rampPerSecond: 1_000,
      startTransaction: true,
    });
    if (connected.failed !== 0)
      throw new Error(`${system.name}: ${connected.failed} chargers failed to connect: ${connected.firstError}`);
    await load.send({ op: 'open-loop', seconds: 3, sampledValues: 1, ratePerSecond: rate });
    const metricsBefore = metricsUrl === undefined ? '' : await (await fetch(metricsUrl)).text();
    const { result, cpuMs } = await cpuDuring(system.pid, () =>
      load.send<CallLoadResult>({ op: 'open-loop', seconds, sampledValues: 1, ratePerSecond: rate }),
    );
    context.log(
      `${system.name}: ${result.calls} calls, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, max ${result.latency.max.toFixed(1)} ms, late ${result.late}, errors ${result.errors}`,
    );
    if (result.errors > 0) throw new Error(`${system.name}: ${result.errors} calls failed: ${result.firstError}`);
    const metrics = metricsUrl === undefined ? '' : await (await fetch(metricsUrl)).text();
    return { result, serverCpuMs: cpuMs, metrics, metricsBefore };
  } finally {
    await load.stop();
    await system.stop();
  }
}

/** The collector's pauses between the two scrapes of a run (prom-client's nodejs_gc_duration_seconds, by kind). */
function gcLine(run: { metrics: string; metricsBefore: string }): string {
  const between = (kind: string) => {
    const after = sumAndCount(run.metrics, 'nodejs_gc_duration_seconds', `kind="${kind}"`);
    const before = sumAndCount(run.metricsBefore, 'nodejs_gc_duration_seconds', `kind="${kind}"`);
    return { count: after.count - before.count, ms: (after.sum - before.sum) * 1000 };
  };
  const minor = between('minor');
  const major = between('major');
  const incremental = between('incremental');
  return `${minor.count} scavenges (${minor.ms.toFixed(0)} ms in all, ${(minor.ms / Math.max(1, minor.count)).toFixed(1)} ms each), ${major.count} mark-compacts (${major.ms.toFixed(0)} ms of finalisation) and ${incremental.count} incremental marking steps (${incremental.ms.toFixed(0)} ms)`;
}

/** The all-in-one at the fixed rate with its data directory in memory. */
async function inMemoryRun(seconds: number, context: BenchContext) {
  const metricsPort = await freePort();
  const system = await fleetwireAllInOne({ METRICS_PORT: String(metricsPort) }, { dataParent: memoryFileSystem });
  return atFixedRate(system, seconds, context, `http://127.0.0.1:${metricsPort}/metrics`);
}

export const callLatency: Scenario = {
  id: 'P3',
  title: `CALL round trip at a fixed ${rate.toLocaleString('en-US')} calls/s: all-in-one and cluster`,
  async run(context): Promise<ScenarioReport> {
    const seconds = context.quick ? 8 : 30;
    const floor = await atFixedRate(await baselineServer('bare ws echo', 'ws-echo-server.ts'), seconds, context);
    const disk = await fdatasyncLatency(context.workDir);
    const metricsPort = await freePort();
    const allInOne = await atFixedRate(
      await fleetwireAllInOne({ METRICS_PORT: String(metricsPort) }),
      seconds,
      context,
      `http://127.0.0.1:${metricsPort}/metrics`,
    );
    const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
    const slowCalls = (le: number) =>
      percent(
        shareAbove(
          histogramOf(allInOne.metrics, 'fleetwire_ocpp_charger_call_duration_seconds', 'action="MeterValues"'),
          le,
        ),
      );
    const slowCommits = (le: number) =>
      percent(shareAbove(histogramOf(allInOne.metrics, 'fleetwire_snapshot_write_duration_seconds'), le));
    // The same run with nothing on disk: how much of the tail is the disk's.
    const inMemory = existsSync(memoryFileSystem) ? await inMemoryRun(seconds, context) : undefined;
    const cluster = await atFixedRate(await fleetwireCluster(), seconds, context);
    const p99 = (measured: typeof floor) => measured.result.latency.p99;
    return {
      id: 'P3',
      title: this.title,
      rows: [
        {
          measure: 'p99 MeterValues round trip at 1,000 calls/s, all-in-one',
          value: p99(allInOne),
          unit: 'ms',
          baseline: { name: 'bare ws echo (floor)', value: p99(floor) },
          target: '≤ 10 ms',
          met: p99(allInOne) <= 10,
        },
        {
          measure: 'p99 MeterValues round trip at 1,000 calls/s, cluster (edge + worker + NATS + Redis)',
          value: p99(cluster),
          unit: 'ms',
          baseline: { name: 'bare ws echo (floor)', value: p99(floor) },
          target: '≤ 25 ms',
          met: p99(cluster) <= 25,
        },
      ],
      charts: [
        {
          file: 'p3-latency-at-1000-per-second.svg',
          title: `P3 CALL round trip at ${rate} calls/s`,
          series: [
            { name: 'bare ws echo (floor)', curve: floor.result.curve },
            { name: 'Fleetwire all-in-one', curve: allInOne.result.curve },
            { name: 'Fleetwire cluster', curve: cluster.result.curve },
          ],
        },
      ],
      notes: [
        `${rate} chargers in transactions; MeterValues (one sampled value, as an Easee sends) at ${rate} per second in all, on a fixed schedule whatever the answers (open loop), for ${seconds} s after a 3 s warm-up.`,
        `Each answer means the MeterValues is committed: all-in-one to its synced file journal, the cluster to Redis (appendfsync always) and FW_EVENTS.`,
        `p50 / p99 / max: floor ${floor.result.latency.p50.toFixed(2)} / ${p99(floor).toFixed(2)} / ${floor.result.latency.max.toFixed(1)} ms; all-in-one ${allInOne.result.latency.p50.toFixed(2)} / ${p99(allInOne).toFixed(2)} / ${allInOne.result.latency.max.toFixed(1)} ms; cluster ${cluster.result.latency.p50.toFixed(2)} / ${p99(cluster).toFixed(2)} / ${cluster.result.latency.max.toFixed(1)} ms.`,
        `Where the all-in-one's tail is (its own histograms over the whole run, warm-up included): MeterValues from receipt to answer over 25 ms ${slowCalls(0.025)}, over 100 ms ${slowCalls(0.1)}; commit batches (the journal's synced write) over 10 ms ${slowCommits(0.01)}, over 50 ms ${slowCommits(0.05)}, over 100 ms ${slowCommits(0.1)}. The disk alone (${disk.count} appends of 1.5 KB, each fdatasync'd, nothing else running): p50 ${disk.p50.toFixed(2)} ms, p99 ${disk.p99.toFixed(2)} ms, max ${disk.max.toFixed(1)} ms. Each CALL costs three synced appends (its commit; then its event, and its transaction's record in the store), each one O_DSYNC write. Garbage collection over the timed run: ${gcLine(allInOne)}. The commits are slow in the windows where the collector runs: a scavenge stops the event loop for a few ms (its helper threads compete for the same two cores with the load generator and the disk writes), and a mark-compact's incremental steps and finalisation stall it several times over ~100 ms; every event-loop hop of a commit (its write, its wake-up, its answer) waits for them. The client sees more than the server's histogram: the time a frame waits for the event loop before the gateway handles it is outside it. The next step is the allocation per CALL (the commit's records and the frame's objects above all), which sets how often the young generation is collected, and what each charger's state keeps alive between its inputs, which sets how often the old one is.`,
        inMemory === undefined
          ? `No in-memory run: this machine has no ${memoryFileSystem}.`
          : `The same all-in-one run with its data directory in memory (${memoryFileSystem}, tmpfs: every synced write costs no disk): p50 / p99 / max ${inMemory.result.latency.p50.toFixed(2)} / ${p99(inMemory).toFixed(2)} / ${inMemory.result.latency.max.toFixed(1)} ms; garbage collection ${gcLine(inMemory)}. What the disk adds to the tail is the difference between the two runs; the rest is the process's own.`,
        `Load generator CPU: ${Math.round((allInOne.result.cpuMs / (seconds * 1000)) * 100)} % of a core; Fleetwire all-in-one CPU: ${Math.round((allInOne.serverCpuMs / (seconds * 1000)) * 100)} % of a core; cluster edge: ${Math.round((cluster.serverCpuMs / (seconds * 1000)) * 100)} %.`,
      ],
    };
  },
};
