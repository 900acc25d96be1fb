import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { RabbitMqServer } from '@fleetwire/devcluster';
import { FakeEaseeCloud } from '@fleetwire/simulator';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { formatSelfTime, profileWhile, shareOf, topSelfTime } from '../cpu-profile.ts';
import { LoadGenerator } from '../load/load-client.ts';
import type { LoadResult, StreamTargetCommand } from '../load/protocol.ts';
import { cpuShares } from '../process-stats.ts';
import {
  counterTotal,
  type HistogramCounts,
  histogramOf,
  observedBetween,
  quantileBound,
  summed,
  totalOf,
} from '../prometheus-text.ts';
import type { BenchContext, Scenario, ScenarioReport } from '../scenario.ts';
import { type ClusterSystem, fleetwireCluster } from '../systems.ts';

const shards = 16;
const prefetch = 500;

interface Rate extends LoadResult {
  readonly seconds: number;
  readonly perSecond: number;
}

interface LatencyRun extends LoadResult {
  readonly published: number;
  readonly opModes: number;
  readonly matched: number;
  readonly achievedPerSecond: number;
  readonly latency: { p50: number; p90: number; p99: number; max: number; count: number };
  readonly curve: [number, number][];
}

/** Easee stream messages its actors have applied and committed, as the worker counts them; undefined when unread. */
async function appliedByWorker(system: ClusterSystem): Promise<number | undefined> {
  const url = system.cluster.workers[0]?.opsUrl;
  if (url === undefined) throw new Error('the worker serves no metrics');
  try {
    const response = await fetch(`${url}/metrics`);
    return response.ok
      ? counterTotal(await response.text(), 'fleetwire_easee_stream_messages_applied_total')
      : undefined;
  } catch {
    return undefined;
  }
}

async function appliedNow(system: ClusterSystem): Promise<number> {
  for (;;) {
    const applied = await appliedByWorker(system);
    if (applied !== undefined) return applied;
    await sleep(250);
  }
}

/** The messages in FW_EASEE: batches, since ADR 18. */
async function streamMessages(system: ClusterSystem): Promise<number> {
  const nats = await natsConnect({ servers: system.cluster.nats.url });
  try {
    return (await (await jetstreamManager(nats)).streams.info('FW_EASEE')).state.messages;
  } finally {
    await nats.close();
  }
}

/**
 * Starts the ingests on a preloaded queue and follows the observations into FW_EASEE and through the actors
 * (applied = applied by its actor and committed, as the worker counts them); the rate between 10 % and 90 % applied.
 */
async function sustainedRate(system: ClusterSystem, rabbitPid: number, total: number, context: BenchContext) {
  const base = await appliedNow(system);
  const batchesBefore = await streamMessages(system);
  const samples: { at: number; applied: number }[] = [];
  const started = performance.now();
  await Promise.all(system.cluster.ingests.map((ingest) => ingest.start()));
  const cpuOf = await pipelineCpu(system, rabbitPid);
  for (;;) {
    const applied = (await appliedNow(system)) - base;
    samples.push({ at: performance.now(), applied });
    if (applied >= total) break;
    if (performance.now() - started > 600_000) throw new Error(`only ${applied} of ${total} applied in 10 minutes`);
    await sleep(250);
  }
  const first = samples.find((sample) => sample.applied >= total * 0.1) as { at: number; applied: number };
  const last = samples.find((sample) => sample.applied >= total * 0.9) as { at: number; applied: number };
  const perSecond = ((last.applied - first.applied) * 1000) / Math.max(1, last.at - first.at);
  const cpu = await cpuOf();
  const batches = (await streamMessages(system)) - batchesBefore;
  context.log(
    `pipeline: ${total} observations applied in ${((performance.now() - started) / 1000).toFixed(1)} s; ${Math.round(perSecond)} obs/s sustained (10 %–90 %); ${batches} stream messages; CPU ${cpu.line}`,
  );
  return { perSecond, cpu, batches };
}

/** The CPU counter of every process of the pipeline, and of `others`. */
function pipelineCpu(system: ClusterSystem, rabbitPid: number, others: [string, number][] = []) {
  const { cluster } = system;
  return cpuShares([
    ['worker', system.workerPid],
    ...cluster.ingests.map((ingest, i): [string, number] => [`ingest ${i + 1}`, ingest.process.pid as number]),
    ['NATS', cluster.nats.pid as number],
    ['Redis', cluster.redis.pid as number],
    ['RabbitMQ', rabbitPid],
    ...others,
  ]);
}

interface StageScrapes {
  readonly ingests: readonly string[];
  readonly worker: string;
}

async function stageScrapes(system: ClusterSystem): Promise<StageScrapes> {
  const scrape = async (url: string | undefined) => (url === undefined ? '' : (await fetch(`${url}/metrics`)).text());
  return {
    ingests: await Promise.all(system.cluster.ingests.map((ingest) => scrape(ingest.opsUrl))),
    worker: await scrape(system.cluster.workers[0]?.opsUrl),
  };
}

/** The latency of each stage between two scrapes, as "p50 ≤ x / p99 ≤ y ms (count)" from the histograms' buckets. */
function stageLatencies(before: StageScrapes, after: StageScrapes) {
  const between = (name: string, from: string, to: string) =>
    observedBetween(histogramOf(from, name), histogramOf(to, name));
  const described = (histogram: HistogramCounts) =>
    `${(quantileBound(histogram, 0.5) * 1000).toFixed(0)} / ${(quantileBound(histogram, 0.99) * 1000).toFixed(0)} ms (${totalOf(histogram)})`;
  return {
    ingested: described(
      summed(
        after.ingests.map((scrape, i) =>
          between('fleetwire_easee_operator_queue_lag_seconds', before.ingests[i] ?? '', scrape),
        ),
      ),
    ),
    applied: described(between('fleetwire_easee_stream_lag_seconds', before.worker, after.worker)),
    commits: described(between('fleetwire_snapshot_write_duration_seconds', before.worker, after.worker)),
  };
}

/** Each observation-latency run is this share of the sustained drain rate, besides the one at half of it. */
const lightShare = 0.15;

/** Observations published into the operator queue at a fixed rate for a while. */
type ObservationRun = { readonly perSecond: number; readonly seconds: number } & StreamTargetCommand;

/** Each op-mode change of the run timed from its publish to the status event its actor published. */
function observationLatency(system: ClusterSystem, load: LoadGenerator, run: ObservationRun): Promise<LatencyRun> {
  return load.send<LatencyRun>({ op: 'observation-latency', natsUrl: system.cluster.nats.url, ...run });
}

/** `observationLatency`, with the stages and the CPU over it. */
async function timedLatency(system: ClusterSystem, load: LoadGenerator, rabbitPid: number, run: ObservationRun) {
  const before = await stageScrapes(system);
  const cpuOf = await pipelineCpu(system, rabbitPid, [['load generator', load.pid as number]]);
  const timed = await observationLatency(system, load, run);
  const cpu = await cpuOf();
  return { rate: run.perSecond, timed, cpu, stages: stageLatencies(before, await stageScrapes(system)) };
}

/**
 * Where the worker's and an ingest's time goes at half the drain rate: one more, shorter run under V8's sampling
 * profiler in both (it slows them; the runs measured are the ones before).
 */
async function profiledLatencyRun(system: ClusterSystem, load: LoadGenerator, run: ObservationRun): Promise<string> {
  const worker = system.cluster.workers[0]?.process;
  const ingest = system.cluster.ingests[0]?.process;
  if (worker === undefined || ingest === undefined) return 'No profile: no worker or no ingest.';
  const { profiles } = await profileWhile([worker, ingest], () => observationLatency(system, load, run));
  const [workerTop, ingestTop] = profiles.map((profile) => formatSelfTime(topSelfTime(profile, 12)));
  const [workerIdle, ingestIdle] = profiles.map((profile) => `${(shareOf(profile, '(idle)') * 100).toFixed(0)} %`);
  return `Where the worker's and an ingest's CPU goes at half the drain rate: a third run of ${run.seconds} s under V8's sampling profiler (1 ms) in the worker and ingest 1 (its latencies are not comparable: starting the profiler stalls a process for a while). Self time, top 12 — worker: ${workerTop}. Ingest 1: ${ingestTop}. The worker's main thread was idle ${workerIdle} of the time and the ingest's ${ingestIdle}: at this rate the observations wait for the machine's two cores (shared with RabbitMQ and the publisher), not for one process. The next step is to measure where the cores are not shared; on this machine, the rate with headroom is the row above.`;
}

export const easeeStream: Scenario = {
  id: 'P5',
  title: 'Easee observations through ingest → JetStream → charger actors',
  async run(context): Promise<ScenarioReport> {
    const total = context.quick ? 30_000 : 200_000;
    const serials = Array.from({ length: context.quick ? 500 : 2_000 }, (_, i) => `EHOBS${String(i).padStart(5, '0')}`);
    const rabbit = await new RabbitMqServer().start();
    const cloud = await new FakeEaseeCloud(rabbit.url, '900').start();
    const load = new LoadGenerator();
    let system: ClusterSystem | undefined;
    try {
      system = await fleetwireCluster({
        edges: 0,
        workers: 1,
        ingests: 2,
        shards,
        nodeArgs: ['--inspect-port=0'],
        easee: { amqpUrl: rabbit.url, queue: cloud.queue, exchange: cloud.exchange, originApplication: 'Bench.Easee' },
      });
      const target = { amqpUrl: rabbit.url, exchange: cloud.streamExchange, serials };
      // Warm-up: every charger discovered and its actor loaded before anything is timed.
      await Promise.all(system.cluster.ingests.map((ingest) => ingest.stop()));
      await load.send({ op: 'amqp-preload', count: serials.length * 4, ...target });
      await sustainedRate(system, rabbit.pid as number, serials.length * 4, context);

      await Promise.all(system.cluster.ingests.map((ingest) => ingest.stop()));
      const filled = await load.send<Rate>({ op: 'amqp-preload', count: total, ...target });
      context.log(`preloaded ${total} observations at ${Math.round(filled.perSecond)}/s`);
      const { perSecond: sustained, cpu, batches } = await sustainedRate(system, rabbit.pid as number, total, context);

      await Promise.all(system.cluster.ingests.map((ingest) => ingest.stop()));
      await load.send<Rate>({ op: 'amqp-preload', count: total, ...target });
      const ceiling = await load.send<Rate>({
        op: 'amqp-drain',
        amqpUrl: rabbit.url,
        queue: cloud.queue,
        expected: total,
        prefetch,
      });
      context.log(`ceiling: a bare consume+ack loop drained ${total} at ${Math.round(ceiling.perSecond)}/s`);

      await Promise.all(system.cluster.ingests.map((ingest) => ingest.start()));
      const seconds = context.quick ? 8 : 20;
      // At a share of the drain rate that leaves this machine headroom (the publisher and RabbitMQ share its two
      // cores), then at half the drain rate, where publishing and draining together take both cores.
      const light = await timedLatency(system, load, rabbit.pid as number, {
        perSecond: Math.round(Math.min(10_000, sustained * lightShare)),
        seconds,
        ...target,
      });
      context.log(
        `latency at ${light.rate} obs/s: ${light.timed.matched}/${light.timed.opModes} op-mode changes seen, p50 ${light.timed.latency.p50.toFixed(1)} ms, p99 ${light.timed.latency.p99.toFixed(1)} ms`,
      );
      const half = await timedLatency(system, load, rabbit.pid as number, {
        perSecond: Math.round(Math.min(10_000, sustained * 0.5)),
        seconds,
        ...target,
      });
      const { rate, timed, stages, cpu: cpuTimed } = half;
      context.log(
        `latency at ${rate} obs/s: ${timed.matched}/${timed.opModes} op-mode changes seen, p50 ${timed.latency.p50.toFixed(1)} ms, p99 ${timed.latency.p99.toFixed(1)} ms`,
      );
      const profiled = await profiledLatencyRun(system, load, { perSecond: rate, seconds: 10, ...target });
      return {
        id: 'P5',
        title: this.title,
        rows: [
          {
            measure: 'observations applied per second, sustained (2 ingests, 1 worker)',
            value: sustained,
            unit: 'obs/s',
            baseline: { name: 'bare amqplib consume+ack loop (ceiling)', value: ceiling.perSecond },
            target: '≥ 20,000 obs/s and ≥ 0.5× ceiling',
            met: sustained >= 20_000 && sustained >= 0.5 * ceiling.perSecond,
          },
          {
            measure: `p99 observation → committed state (op-mode change → its status event) at ${light.rate.toLocaleString('en-US')} obs/s (${lightShare * 100} % of the drain rate)`,
            value: light.timed.latency.p99,
            unit: 'ms',
            target: '≤ 250 ms',
            met: light.timed.latency.p99 <= 250 && light.timed.matched === light.timed.opModes,
          },
          {
            measure: `p99 observation → committed state (op-mode change → its status event) at ${rate.toLocaleString('en-US')} obs/s (half the drain rate)`,
            value: timed.latency.p99,
            unit: 'ms',
            target: '≤ 250 ms',
            met: timed.latency.p99 <= 250 && timed.matched === timed.opModes,
          },
        ],
        charts: [
          {
            file: 'p5-observation-latency.svg',
            title: 'P5 observation → state (op-mode change → status event)',
            series: [
              { name: `${light.rate} obs/s`, curve: light.timed.curve },
              { name: `${rate} obs/s`, curve: timed.curve },
            ],
          },
        ],
        notes: [
          `A RabbitMQ 3.10 node of its own; ${total.toLocaleString('en-US')} observations (power, session energy, lifetime energy, op mode) of ${serials.length.toLocaleString('en-US')} chargers preloaded into the operator queue, then drained by 2 ingests → FW_EASEE (JetStream, file) → 1 worker (${shards} shards, snapshots in Redis with appendfsync always). Applied = applied by its charger actor and committed, as the worker counts them.`,
          `The ingests put the ${total.toLocaleString('en-US')} observations into FW_EASEE as ${batches.toLocaleString('en-US')} messages, ${(total / Math.max(1, batches)).toFixed(1)} a message on average: a shard's batch goes out when the one before it is acknowledged (ADR 18), and each charger applies its part of a batch with one commit.`,
          `CPU while the ${total.toLocaleString('en-US')} drained (share of one core, each process with its children): ${cpu.line}; ${cpu.totalPercent} % in all of the ${availableParallelism() * 100} % this machine's ${availableParallelism()} cores give. The drain is bounded by the machine, not by one process. The next steps are fewer bytes and round trips per observation in the worker (its commits to Redis, its acknowledgements to JetStream) and a broker that does not share the pipeline's cores.`,
          `The ceiling drains the same preloaded queue with one bare amqplib consumer (prefetch ${prefetch}, one ack per message) and nothing else.${ceiling.perSecond < 20_000 ? ` On this machine the ceiling itself is below 20,000 obs/s, so the absolute half of the target cannot be met here whatever the pipeline does; the ratio is the measure.` : ''}`,
          `Latency at ${lightShare * 100} % of the drain rate: observations published at ${light.rate.toLocaleString('en-US')}/s (${light.timed.achievedPerSecond.toFixed(0)} achieved) for ${seconds} s; ${light.timed.matched} of ${light.timed.opModes} op-mode changes seen. p50 ${light.timed.latency.p50.toFixed(1)} ms, p90 ${light.timed.latency.p90.toFixed(1)} ms, max ${light.timed.latency.max.toFixed(0)} ms. By stage: ingest ${light.stages.ingested}; worker ${light.stages.applied}; Redis writes ${light.stages.commits}. CPU: ${light.cpu.line}.`,
          `Latency at half the drain rate: observations published at ${rate.toLocaleString('en-US')}/s (${timed.achievedPerSecond.toFixed(0)} achieved) for ${seconds} s, a quarter of them op-mode changes, each timed from its publish to the status event its actor published; ${timed.matched} of ${timed.opModes} seen. p50 ${timed.latency.p50.toFixed(1)} ms, p90 ${timed.latency.p90.toFixed(1)} ms, max ${timed.latency.max.toFixed(0)} ms.`,
          `Where the time goes at half the drain rate (bucket bounds of the roles' own histograms, scraped before and after: p50 ≤ / p99 ≤): arrival at the Easee cloud → acknowledged by FW_EASEE (ingest) ${stages.ingested}; observation timestamp → applied by its actor (worker) ${stages.applied}; snapshot and journal writes to Redis, per batch, ${stages.commits}. CPU over that run: ${cpuTimed.line}; both cores are taken, and the observations queue: the 2-core machine carries the publisher and RabbitMQ besides the pipeline, so half the drain rate with publishing is about all it can do.`,
          `Load generator CPU for the timed run: ${Math.round(timed.cpuMs / 1000)} s over ${seconds} s.`,
          profiled,
        ],
      };
    } finally {
      await load.stop();
      await system?.stop();
      await cloud.stop();
      await rabbit.stop();
    }
  },
};
