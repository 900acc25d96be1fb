import { LoadGenerator } from '../load/load-client.ts';
import { mib, rssOf } from '../process-stats.ts';
import type { BenchContext, Scenario, ScenarioReport } from '../scenario.ts';
import { baselineServer, fleetwireAllInOne, fleetwireCluster, type SystemUnderTest } from '../systems.ts';

const settleMs = 5_000;

/** RSS growth of `pid` per charger connected, booted and status-reported, after the process settled. */
async function perCharger(system: SystemUnderTest, pids: readonly number[], count: number, context: BenchContext) {
  const load = new LoadGenerator();
  try {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const before = await Promise.all(pids.map(rssOf));
    const connected = await load.send({
      op: 'connect',
      url: system.ocppUrl,
      prefix: 'EHIDLE',
      count,
      rampPerSecond: 1_000,
      startTransaction: false,
    });
    if (connected.failed !== 0)
      throw new Error(`${system.name}: ${connected.failed} failed to connect: ${connected.firstError}`);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const after = await Promise.all(pids.map(rssOf));
    const growth = after.map((rss, i) => (rss - (before[i] as number)) / count);
    context.log(`${system.name}: ${growth.map((bytes) => `${(bytes / 1024).toFixed(1)} KiB`).join(', ')} per charger`);
    return { growth, before, after };
  } finally {
    await load.stop();
    await system.stop();
  }
}

export const idleMemory: Scenario = {
  id: 'P1',
  title: 'Memory per idle connected charger (after BootNotification and StatusNotification) in the edge',
  async run(context): Promise<ScenarioReport> {
    const count = context.quick ? 2_000 : 10_000;
    const cluster = await fleetwireCluster();
    const fleetwire = await perCharger(cluster, [cluster.edgePid, cluster.workerPid], count, context);
    const embedded = await fleetwireAllInOne();
    const allInOne = await perCharger(embedded, [embedded.pid], count, context);
    const server = await baselineServer('ocpp-rpc RPCServer', 'ocpp-rpc-server.ts');
    const baseline = await perCharger(server, [server.pid], count, context);
    const edge = fleetwire.growth[0] as number;
    const worker = fleetwire.growth[1] as number;
    const rpc = baseline.growth[0] as number;
    return {
      id: 'P1',
      title: this.title,
      rows: [
        {
          measure: 'edge RSS per idle connected charger (cluster edge)',
          value: edge / 1024,
          unit: 'KiB',
          baseline: { name: 'ocpp-rpc RPCServer, trivial handlers', value: rpc / 1024 },
          target: '≤ 0.5× baseline',
          met: edge <= rpc * 0.5,
        },
        {
          measure: 'all-in-one RSS per idle connected charger, its actor included',
          value: (allInOne.growth[0] as number) / 1024,
          unit: 'KiB',
          baseline: { name: 'ocpp-rpc RPCServer, trivial handlers', value: rpc / 1024 },
          target: '≤ 1.0× baseline',
          met: (allInOne.growth[0] as number) <= rpc,
        },
      ],
      charts: [],
      notes: [
        `${count.toLocaleString('en-US')} chargers connected (no TLS, no compression), each booted and status-reported, RSS read ${settleMs / 1000} s after the last one and compared with ${settleMs / 1000} s before the first.`,
        `Edge ${mib(fleetwire.before[0] as number).toFixed(0)} → ${mib(fleetwire.after[0] as number).toFixed(0)} MiB; the worker holding their actors grew ${(worker / 1024).toFixed(1)} KiB per charger (${mib(fleetwire.before[1] as number).toFixed(0)} → ${mib(fleetwire.after[1] as number).toFixed(0)} MiB).`,
        `All-in-one ${mib(allInOne.before[0] as number).toFixed(0)} → ${mib(allInOne.after[0] as number).toFixed(0)} MiB (edge, actor and its stores in one process).`,
        `Baseline ${mib(baseline.before[0] as number).toFixed(0)} → ${mib(baseline.after[0] as number).toFixed(0)} MiB.`,
      ],
    };
  },
};
