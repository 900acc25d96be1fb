import { LoadGenerator } from '../load/load-client.ts';
import type { CallLoadResult } from '../load/protocol.ts';
import { cpuDuring } from '../process-stats.ts';
import type { BenchContext, Scenario, ScenarioReport } from '../scenario.ts';
import { baselineServer, fleetwireAllInOne, type SystemUnderTest } from '../systems.ts';

interface Measured {
  readonly callsPerSecond: number;
  readonly result: CallLoadResult;
  readonly serverCpuMs: number;
}

async function saturate(system: SystemUnderTest, chargers: number, seconds: number, context: BenchContext) {
  const load = new LoadGenerator();
  try {
    const connected = await load.send({
      op: 'connect',
      url: system.ocppUrl,
      prefix: 'EHTPUT',
      count: chargers,
      rampPerSecond: 500,
      startTransaction: true,
    });
    if (connected.failed !== 0)
      throw new Error(`${system.name}: ${connected.failed} chargers failed to connect: ${connected.firstError}`);
    // Warm-up: the JIT, the stores and the caches, then the measured run.
    await load.send({ op: 'closed-loop', seconds: 2, sampledValues: 4 });
    const { result, cpuMs } = await cpuDuring(system.pid, () =>
      load.send<CallLoadResult>({ op: 'closed-loop', seconds, sampledValues: 4 }),
    );
    const measured: Measured = { callsPerSecond: result.calls / seconds, result, serverCpuMs: cpuMs };
    context.log(
      `${system.name}: ${Math.round(measured.callsPerSecond)} calls/s, p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, ${result.errors} errors`,
    );
    if (result.errors > 0) throw new Error(`${system.name}: ${result.errors} calls failed: ${result.firstError}`);
    return measured;
  } finally {
    await load.stop();
    await system.stop();
  }
}

export const callThroughput: Scenario = {
  id: 'P2',
  title: 'Charger CALL throughput: MeterValues with 4 sampled values through the full pipeline (all-in-one)',
  async run(context): Promise<ScenarioReport> {
    // Enough chargers that none reaches the per-charger CALL rate limit (20/s) while the system is saturated.
    const chargers = context.quick ? 300 : 1_000;
    const seconds = context.quick ? 5 : 20;
    const fleetwire = await saturate(await fleetwireAllInOne(), chargers, seconds, context);
    const baseline = await saturate(
      await baselineServer('ocpp-rpc RPCServer', 'ocpp-rpc-server.ts'),
      chargers,
      seconds,
      context,
    );
    const share = (measured: Measured) => `${Math.round((measured.serverCpuMs / (seconds * 1000)) * 100)} % of a core`;
    return {
      id: 'P2',
      title: this.title,
      rows: [
        {
          measure: 'MeterValues (4 sampled values) answered per second, all-in-one',
          value: fleetwire.callsPerSecond,
          unit: 'calls/s',
          baseline: { name: 'ocpp-rpc RPCServer doing nothing', value: baseline.callsPerSecond },
          target: '≥ 1.0× baseline',
          met: fleetwire.callsPerSecond >= baseline.callsPerSecond,
        },
      ],
      charts: [
        {
          file: 'p2-saturated-latency.svg',
          title: `P2 CALL latency at saturation (${chargers} chargers, closed loop)`,
          series: [
            { name: 'Fleetwire all-in-one', curve: fleetwire.result.curve },
            { name: 'ocpp-rpc RPCServer', curve: baseline.result.curve },
          ],
        },
      ],
      notes: [
        `${chargers} chargers, each in a transaction, each sending its next MeterValues as soon as the last is answered, for ${seconds} s after a 2 s warm-up; one load-generator process.`,
        `Fleetwire commits every MeterValues (actor snapshot and event, file journal synced) before it answers; the baseline answers {} and keeps nothing.`,
        `Server CPU: Fleetwire ${share(fleetwire)}, baseline ${share(baseline)}. Load generator CPU: ${Math.round(fleetwire.result.cpuMs)} ms and ${Math.round(baseline.result.cpuMs)} ms over ${seconds} s.`,
        `Latency at saturation: Fleetwire p50 ${fleetwire.result.latency.p50.toFixed(1)} ms / p99 ${fleetwire.result.latency.p99.toFixed(1)} ms; baseline p50 ${baseline.result.latency.p50.toFixed(1)} ms / p99 ${baseline.result.latency.p99.toFixed(1)} ms.`,
      ],
    };
  },
};
