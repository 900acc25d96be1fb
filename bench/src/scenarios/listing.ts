import { join } from 'node:path';
import { buildApi } from '@fleetwire/api';
import { generateToken, TokenSet } from '@fleetwire/auth';
import { InProcessBus } from '@fleetwire/bus';
import { RedisServer } from '@fleetwire/devcluster';
import { SeededRandom } from '@fleetwire/simulator';
import { connectRedis, fileStores, type LiveState, memoryStores, redisStores, type Stores } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import { Latency } from '../latency.ts';
import type { BenchContext, BenchRow, LatencyChart, Scenario, ScenarioReport } from '../scenario.ts';

const pageTargetMs = 100;
const shardCount = 256;

interface Query {
  readonly name: string;
  readonly query: string;
  /** Pages walked at most: a full walk of 50,000 at 100 a page is 500. */
  readonly maxPages: number;
}

const queries: readonly Query[] = [
  { name: 'all, 100 a page', query: 'limit=100', maxPages: 10_000 },
  { name: 'all, 500 a page', query: 'limit=500', maxPages: 10_000 },
  { name: 'connected', query: 'connected=true', maxPages: 10_000 },
  { name: 'status Charging', query: 'status=Charging', maxPages: 10_000 },
  { name: 'op mode 3 (charging)', query: 'opMode=3', maxPages: 10_000 },
  { name: 'serial prefix', query: 'q=EH001', maxPages: 10_000 },
  { name: 'rare: connected + Faulted', query: 'connected=true&status=Faulted', maxPages: 10_000 },
  // The worst case the indexes allow: op mode picks 10 % of the fleet and the status rejects nearly all of it.
  { name: 'contradictory: op mode 3 + Available', query: 'opMode=3&status=Available', maxPages: 10_000 },
];

/** A fleet as an operator sees it at an ordinary moment: most connected, a tenth charging, a few faulted. */
function liveStateOf(random: SeededRandom): LiveState {
  const connected = random.next() < 0.9;
  const draw = random.next();
  const [ocppStatus, opMode] =
    draw < 0.1
      ? ['Charging', 3]
      : draw < 0.15
        ? ['SuspendedEV', 4]
        : draw < 0.2
          ? ['Preparing', 2]
          : draw < 0.202
            ? ['Faulted', 7]
            : ['Available', 1];
  return { connected, ocppStatus, opMode, ocppSeenAt: 1_790_000_000_000, streamSeenAt: 1_790_000_000_000 };
}

async function populate(stores: Stores, count: number, context: BenchContext): Promise<void> {
  const random = new SeededRandom(50_000);
  const now = new Date().toISOString();
  const batch = 1_000;
  for (let from = 0; from < count; from += batch) {
    const serials = Array.from({ length: Math.min(batch, count - from) }, (_, i) => serialOf(from + i));
    await Promise.all(serials.map((serial) => stores.chargers.put({ serial, registeredAt: now, updatedAt: now })));
    await stores.chargers.updateLive(new Map(serials.map((serial) => [serial, liveStateOf(random)])));
  }
  context.log(`registered ${count} chargers with live state`);
}

function serialOf(index: number): string {
  return `EH${index.toString().padStart(6, '0')}`;
}

async function walk(baseUrl: string, token: string, query: Query): Promise<{ latency: Latency; items: number }> {
  const latency = new Latency();
  let items = 0;
  let after: string | undefined;
  for (let page = 0; page < query.maxPages; page++) {
    const url = `${baseUrl}/api/chargers?${query.query}${after === undefined ? '' : `&after=${after}`}`;
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    latency.record(performance.now() - started);
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
    const body = JSON.parse(text) as { items: unknown[]; next?: string };
    items += body.items.length;
    after = body.next;
    if (after === undefined) break;
  }
  return { latency, items };
}

async function measureBackend(
  backend: string,
  stores: Stores,
  count: number,
  context: BenchContext,
): Promise<{ rows: BenchRow[]; chart: LatencyChart; notes: string[] }> {
  await populate(stores, count, context);
  const token = generateToken();
  const bus = new InProcessBus();
  const app = await buildApi({
    ...stores,
    bus,
    adminTokens: TokenSet.fromTokens([token]),
    shardCount,
    callTimeoutMs: 5_000,
    logger: createLogger({ level: 'warn', name: 'bench' }),
    readiness: () => ({ ready: true }),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const rows: BenchRow[] = [];
  const series: { name: string; curve: [number, number][] }[] = [];
  const notes: string[] = [];
  try {
    await walk(address, token, { name: 'warm-up', query: 'limit=100', maxPages: 20 });
    for (const query of queries) {
      const { latency, items } = await walk(address, token, query);
      const summary = latency.summary();
      context.log(
        `${backend} ${query.name}: ${summary.count} pages, ${items} chargers, p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms, max ${summary.max.toFixed(1)} ms`,
      );
      rows.push({
        measure: `${backend}: ${query.name} (${summary.count} pages, ${items.toLocaleString('en-US')} chargers), slowest page`,
        value: summary.max,
        unit: 'ms',
        target: `< ${pageTargetMs} ms`,
        met: summary.max < pageTargetMs,
      });
      notes.push(
        `${backend}, ${query.name} (\`${query.query}\`): p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms, max ${summary.max.toFixed(2)} ms over ${summary.count} pages.`,
      );
      series.push({ name: query.name, curve: latency.curve() });
    }
  } finally {
    await app.close();
    await bus.close();
  }
  return {
    rows,
    notes,
    chart: { file: `l1-listing-${backend.toLowerCase()}.svg`, title: `L1 page latency, ${backend} store`, series },
  };
}

export const listing: Scenario = {
  id: 'L1',
  title: 'Operator API: listing 50,000 registered chargers page by page, and filtered',
  async run(context: BenchContext): Promise<ScenarioReport> {
    const count = context.quick ? 5_000 : 50_000;
    const rows: BenchRow[] = [];
    const charts: LatencyChart[] = [];
    const notes = [
      `${count.toLocaleString('en-US')} chargers registered with live state (90 % connected, 10 % charging, 0.2 % faulted), ` +
        'walked over HTTP (keep-alive) with the `next` cursor until the last page; each page timed from request to last byte.',
    ];
    const file = await fileStores(join(context.workDir, 'data'), shardCount);
    try {
      const measured = await measureBackend('File', file, count, context);
      rows.push(...measured.rows);
      charts.push(measured.chart);
      notes.push(...measured.notes);
    } finally {
      await file.close();
    }
    const server = await new RedisServer().start();
    const redis = redisStores(connectRedis(server.url), { shardCount, events: memoryStores().events });
    try {
      const measured = await measureBackend('Redis', redis, count, context);
      rows.push(...measured.rows);
      charts.push(measured.chart);
      notes.push(...measured.notes, 'Redis 7 on loopback with appendfsync always, as the test clusters run it.');
    } finally {
      await redis.close();
      await server.stop();
    }
    return { id: 'L1', title: this.title, rows, charts, notes };
  },
};
