import { ActorHost } from '@fleetwire/actor-host';
import { InProcessBus } from '@fleetwire/bus';
import type { ChargerCallRequest, EdgeCallOutcome, EdgeCallRequest, SiteRecord } from '@fleetwire/contracts';
import { shardOf, subjects } from '@fleetwire/contracts';
import { SeededRandom } from '@fleetwire/simulator';
import { type ChargerReport, initialSiteContext, reduceSite, type SiteContext, type SiteEvent } from '@fleetwire/site';
import { memoryStores } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import { Latency } from '../latency.ts';
import type { BenchContext, Scenario, ScenarioReport } from '../scenario.ts';

const shardCount = 64;
const chargersPerSite = 20;
const edgeId = 'bench-edge';
const plugInTargetMs = 1_000;

const serialOf = (site: number, charger: number) =>
  `EHL2${String(site).padStart(4, '0')}${String(charger).padStart(2, '0')}`;

/** A site as an operator would define it: 20 chargers, a fuse for 20 at the minimum, a quarter on a circuit. */
function siteRecord(site: number): SiteRecord {
  const serials = Array.from({ length: chargersPerSite }, (_, charger) => serialOf(site, charger));
  const now = new Date().toISOString();
  return {
    siteId: `L2SITE${site}`,
    maxCurrentA: 125,
    phases: 3,
    minCurrentA: 6,
    chargers: serials.slice(5),
    circuits: [{ id: 'garage', maxCurrentA: 40, chargers: serials.slice(0, 5) }],
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The worker as it runs in production, in one process on the in-process bus with memory stores, and an edge that
 * answers every CALL at once: what is measured is the worker's own path — a plug-in's StatusNotification, the
 * charger's report, the site's rebalance (the lowerings of the others, their confirmations, then the raise) and
 * the plugged-in charger's command out to its edge.
 */
async function plugInToCommand(sites: number, plugIns: number, perSecond: number, context: BenchContext) {
  const bus = new InProcessBus();
  const stores = memoryStores(shardCount);
  const host = new ActorHost({
    bus,
    stores,
    shardCount,
    heartbeatIntervalS: 300,
    clock: Date.now,
    logger: createLogger({ level: 'silent' }),
  });
  const serials: string[] = [];
  const now = new Date().toISOString();
  for (let site = 0; site < sites; site++) {
    const record = siteRecord(site);
    await stores.sites.put(record);
    for (let charger = 0; charger < chargersPerSite; charger++) serials.push(serialOf(site, charger));
  }
  await Promise.all(serials.map((serial) => stores.chargers.put({ serial, registeredAt: now, updatedAt: now })));
  const plugged = new Map<string, number>();
  const latency = new Latency();
  const answered = new Latency();
  const positive = new Set<string>();
  let calls = 0;
  bus.serve(subjects.edgeCall(edgeId), (data): EdgeCallOutcome => {
    const request = data as EdgeCallRequest;
    calls += 1;
    const payload = request.payload as { key?: string; value?: string };
    if (request.action === 'ChangeConfiguration' && payload.key === 'DynamicChargerCurrent') {
      const since = plugged.get(request.serial);
      if (since !== undefined && Number(payload.value) > 0 && !positive.has(request.serial)) {
        positive.add(request.serial);
        latency.record(performance.now() - since);
      }
    }
    return { ok: true, payload: { status: 'Accepted' } };
  });
  let messageSeq = 0;
  const call = (serial: string, action: string, payload: unknown) =>
    bus.request(
      subjects.chargerCall(shardOf(serial, shardCount), serial),
      {
        sessionId: `s-${serial}`,
        messageId: `m${++messageSeq}`,
        action,
        payload,
        receivedAt: Date.now(),
      } satisfies ChargerCallRequest,
      { timeoutMs: 60_000 },
    );
  try {
    for (let shard = 0; shard < shardCount; shard++) await host.acquire(shard, 1);
    const batch = 500;
    for (let from = 0; from < serials.length; from += batch) {
      await Promise.all(
        serials.slice(from, from + batch).map(async (serial) => {
          await bus.request(
            subjects.chargerSession(shardOf(serial, shardCount), serial),
            { kind: 'connected', sessionId: `s-${serial}`, edgeId, at: Date.now() },
            { timeoutMs: 60_000 },
          );
          await call(serial, 'BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Easee Home' });
          await call(serial, 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
        }),
      );
    }
    // Until every site counts every charger at what it was given (0): a join published before its charger's shard
    // was taken is sent again after 15 s.
    const settledBy = performance.now() + 60_000;
    let unsettled = sites;
    while (unsettled > 0 && performance.now() < settledBy) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const views = await Promise.all(
        Array.from({ length: sites }, (_, site) => {
          const siteId = siteRecord(site).siteId;
          return bus.request<{ ok: boolean; body?: { ceilingTotalA: number } }>(
            subjects.siteApi(shardOf(siteId, shardCount), siteId),
            { op: 'view' },
            { timeoutMs: 10_000 },
          );
        }),
      );
      unsettled = views.filter((view) => !view.ok || (view.body?.ceilingTotalA ?? 1) > 0).length;
    }
    context.log(`${serials.length} chargers on ${sites} sites connected, ${unsettled} sites unsettled; ${calls} CALLs`);
    const random = new SeededRandom(2);
    const order = [...serials].sort(() => random.next() - 0.5).slice(0, plugIns);
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    for (let i = 0; i < order.length; i++) {
      const due = startedAt + (i * 1_000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const serial = order[i] as string;
      const sentAt = performance.now();
      plugged.set(serial, sentAt);
      void call(serial, 'StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' }).then(() =>
        answered.record(performance.now() - sentAt),
      );
    }
    const settleBy = performance.now() + 30_000;
    while (positive.size < order.length && performance.now() < settleBy) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpu = process.cpuUsage(cpuBefore);
    const elapsedS = (performance.now() - startedAt) / 1_000;
    return {
      latency: latency.summary(),
      answered: answered.summary(),
      served: positive.size,
      plugIns: order.length,
      cpu,
      elapsedS,
      calls,
    };
  } finally {
    await host.stop();
    await bus.close();
  }
}

/**
 * The site model alone: a 20-charger site fed plug-ins and unplugs, each charger applying what it is sent and
 * reporting it, timed over every input — the allocation's own CPU, without the bus or the charger actors — and
 * divided by the allocation changes (the site-allocation events) they made.
 */
function allocationCpu(plugs: number) {
  const record = siteRecord(0);
  const serials = [...record.chargers, ...record.circuits.flatMap((circuit) => circuit.chargers)];
  let context: SiteContext = initialSiteContext(record.siteId);
  let at = Date.parse('2026-12-01T08:00:00Z');
  const seq = new Map<string, number>();
  const wants = new Map<string, boolean>();
  const confirmed = new Map<string, { id: number; amps: number; at: number }>();
  const toReport: string[] = [];
  let changes = 0;
  let inputs = 0;
  let timedNs = 0n;
  const step = (event: SiteEvent) => {
    const started = process.hrtime.bigint();
    const reduced = reduceSite(context, event);
    timedNs += process.hrtime.bigint() - started;
    inputs += 1;
    context = reduced.context;
    for (const item of reduced.emitted) {
      if (item.type === 'site-allocation') changes += 1;
      if (item.type !== 'allocation' || item.data.amps === null) continue;
      confirmed.set(item.serial, { id: item.data.allocationId, amps: item.data.amps, at });
      toReport.push(item.serial);
    }
  };
  const reportOf = (serial: string): ChargerReport => {
    const next = (seq.get(serial) ?? 0) + 1;
    seq.set(serial, next);
    const applied = confirmed.get(serial);
    return {
      seq: next,
      online: true,
      wants: wants.get(serial) ?? false,
      maxCurrentA: 32,
      measuredA: null,
      ceilingA: applied?.amps ?? 32,
      confirmedId: applied?.id ?? null,
      confirmedA: applied?.amps ?? null,
      confirmedAt: applied?.at ?? null,
      channel: 'ocpp-key',
    };
  };
  const drain = () => {
    while (toReport.length > 0) {
      const serial = toReport.shift() as string;
      step({ type: 'CHARGER_REPORTED', at, serial, report: reportOf(serial) });
    }
  };
  step({ type: 'SITE_DEFINED', at, definition: { ...record, circuits: record.circuits } });
  drain();
  const random = new SeededRandom(20);
  const [setUpNs, setUpChanges, setUpInputs] = [timedNs, changes, inputs];
  for (let i = 0; i < plugs; i++) {
    at += 5_000;
    const serial = serials[Math.floor(random.next() * serials.length)] as string;
    wants.set(serial, !(wants.get(serial) ?? false));
    step({ type: 'CHARGER_REPORTED', at, serial, report: reportOf(serial) });
    drain();
  }
  const ns = Number(timedNs - setUpNs);
  const made = changes - setUpChanges;
  return {
    changes: made,
    inputs: inputs - setUpInputs,
    microsPerChange: ns / 1_000 / Math.max(1, made),
    microsPerInput: ns / 1_000 / Math.max(1, inputs - setUpInputs),
  };
}

export const siteAllocation: Scenario = {
  id: 'L2',
  title: 'Site load management: 1,000 sites × 20 chargers, a plug-in to its command, and the allocation CPU',
  async run(context): Promise<ScenarioReport> {
    const sites = context.quick ? 100 : 1_000;
    const plugIns = context.quick ? 500 : 3_000;
    const perSecond = 100;
    const run = await plugInToCommand(sites, plugIns, perSecond, context);
    const model = allocationCpu(context.quick ? 2_000 : 20_000);
    context.log(
      `plug-in → command p99 ${run.latency.p99.toFixed(1)} ms (${run.served}/${run.plugIns}); ${model.microsPerChange.toFixed(0)} µs per change, ${model.microsPerInput.toFixed(0)} µs per input`,
    );
    const cpuMs = (run.cpu.user + run.cpu.system) / 1_000;
    return {
      id: 'L2',
      title: this.title,
      rows: [
        {
          measure: 'plug-in → its allocation command published, p99',
          value: run.latency.p99,
          unit: 'ms',
          baseline: { name: "the plug-in's StatusNotification answered, p99", value: run.answered.p99 },
          target: `≤ ${plugInTargetMs} ms`,
          met: run.latency.p99 <= plugInTargetMs && run.served === run.plugIns,
        },
        { measure: 'plug-in → its allocation command published, p50', value: run.latency.p50, unit: 'ms' },
        {
          measure: 'site model CPU per allocation change (20-charger site, with the confirmations it causes)',
          value: model.microsPerChange,
          unit: 'µs',
        },
        { measure: 'site model CPU per input (a report or a confirmation)', value: model.microsPerInput, unit: 'µs' },
      ],
      charts: [],
      notes: [
        `${(sites * chargersPerSite).toLocaleString('en-US')} chargers connected over OCPP on ${sites.toLocaleString('en-US')} sites (fuse 125 A, 5 chargers on a 40 A circuit), in one worker on the in-process bus with memory stores; an edge that answers every CALL Accepted at once.`,
        `${run.plugIns.toLocaleString('en-US')} plug-ins (StatusNotification Preparing) at ${perSecond}/s on random chargers; the latency runs to the first DynamicChargerCurrent above 0 sent to the plugged-in charger — after the site lowered the others and heard their confirmations. ${run.served} of ${run.plugIns} served; max ${run.latency.max.toFixed(0)} ms.`,
        `Worker CPU over the plug-in phase ${cpuMs.toFixed(0)} ms in ${run.elapsedS.toFixed(1)} s (${((cpuMs / 1000 / run.elapsedS) * 100).toFixed(0)} % of a core), ${run.calls.toLocaleString('en-US')} CALLs out in all.`,
        `The model alone (\`reduceSite\`, no actor, no bus): ${model.inputs.toLocaleString('en-US')} inputs (plug-ins, unplugs and the confirmation reports they caused) made ${model.changes.toLocaleString('en-US')} allocation changes.`,
      ],
    };
  },
};
