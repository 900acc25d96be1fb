import { LoadGenerator } from '../load/load-client.ts';
import type { CallLoadResult } from '../load/protocol.ts';
import { cpuDuring } from '../process-stats.ts';
import type { BenchContext, Scenario, ScenarioReport } from '../scenario.ts';
import { baselineServer, fleetwireAllInOne, fleetwireCluster, type SystemUnderTest } from '../systems.ts';

const rate = 1_000;

async function atFixedRate(system: SystemUnderTest, seconds: number, context: BenchContext) {
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
    const { result, cpuMs } = await cpuDuring(system.pid, () =>
      load.send<CallLoadResult>({ op: 'open-loop', seconds, sampledValues: 1, ratePerSecond: rate }),
    );
    context.log(
      `${system.name}: ${result.calls} calls, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, max ${result.latency.max.toFixed(1)} ms, late ${result.late}, errors ${result.errors}`,
    );
    if (result.errors > 0) throw new Error(`${system.name}: ${result.errors} calls failed: ${result.firstError}`);
    return { result, serverCpuMs: cpuMs };
  } finally {
    await load.stop();
    await system.stop();
  }
}

export const callLatency: Scenario = {
  id: 'P3',
  title: `CALL round trip at a fixed ${rate.toLocaleString('en-US')} calls/s: all-in-one and cluster`,
  async run(context): Promise<ScenarioReport> {
    const seconds = context.quick ? 8 : 30;
    const floor = await atFixedRate(await baselineServer('bare ws echo', 'ws-echo-server.ts'), seconds, context);
    const allInOne = await atFixedRate(await fleetwireAllInOne(), seconds, context);
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
        `Load generator CPU: ${Math.round((allInOne.result.cpuMs / (seconds * 1000)) * 100)} % of a core; Fleetwire all-in-one CPU: ${Math.round((allInOne.serverCpuMs / (seconds * 1000)) * 100)} % of a core; cluster edge: ${Math.round((cluster.serverCpuMs / (seconds * 1000)) * 100)} %.`,
      ],
    };
  },
};
