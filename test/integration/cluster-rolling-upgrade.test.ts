import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { LocalCluster, TcpBalancer, waitFor } from '@fleetwire/devcluster';
import { observationCatalog } from '@fleetwire/easee';
import {
  FakeEaseeCloud,
  loadScenario,
  SimulatedFleet,
  scenarioIdTags,
  simulatedSerial,
  WallClock,
} from '@fleetwire/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { readAllEvents, readEaseeStream } from '../harness/event-stream.ts';
import { FleetRecorder } from '../harness/fleet-recorder.ts';
import { easeeOperator, freshVhost } from '../harness/rabbit.ts';

const chargerCount = 2_000;
const prefix = 'EHROLL';
const operator = easeeOperator('6161');
const reconnectBoundMs = 60_000;

/** Runs `task` over `items`, `width` at a time. */
async function inBatches<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width)
    results.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  return results;
}

interface SentCommand {
  readonly kind: 'ocpp' | 'easee';
  readonly serial: string;
  readonly value: string;
  status?: number;
  requestId?: string;
  outcome?: { status: string; attempts?: number };
}

/**
 * Operators at work during the upgrade: a ChangeConfiguration and an Easee SetDynamicChargerCurrent every
 * quarter second, each to a charger of its own, through whichever edge's API is in service.
 */
class OperatorLoad {
  readonly sent: SentCommand[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private running = true;
  private loop: Promise<void> | undefined;
  api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
  }

  start(serials: readonly string[]): void {
    this.loop = (async () => {
      for (let n = 0; this.running && n < serials.length; n++) {
        const serial = serials[n] as string;
        this.track(this.send({ kind: 'ocpp', serial, value: String(1_000 + n) }));
        this.track(this.send({ kind: 'easee', serial, value: String(6 + (n % 27)) }));
        await sleep(250);
      }
    })();
  }

  /** Sends the next commands through `api`, once those already sent through the previous one are answered. */
  async switchTo(api: ApiClient): Promise<void> {
    this.api = api;
    await Promise.all(this.inFlight);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async send(command: SentCommand): Promise<void> {
    this.sent.push(command);
    try {
      const reply =
        command.kind === 'ocpp'
          ? await this.api.post(`/api/chargers/${command.serial}/ocpp/ChangeConfiguration`, {
              key: 'HeartbeatInterval',
              value: command.value,
            })
          : await this.api.post(`/api/chargers/${command.serial}/easee/SetDynamicChargerCurrent?waitMs=0`, {
              current: Number(command.value),
              ttlMinutes: 30,
            });
      command.status = reply.status;
      if (command.kind === 'easee') command.requestId = reply.body.requestId;
    } catch {
      command.status = 0;
    }
  }
}

describe('a rolling upgrade of every role under load', () => {
  let cloud: FakeEaseeCloud | undefined;
  let cluster: LocalCluster | undefined;
  let balancer: TcpBalancer | undefined;
  let fleet: SimulatedFleet | undefined;

  afterAll(async () => {
    await fleet?.stop();
    await balancer?.stop();
    await cloud?.stop();
    await cluster?.stop();
  }, 180_000);

  it('loses nothing, applies nothing twice, and moves each charger at most once per edge restart', async () => {
    const amqpUrl = await freshVhost('rolling');
    cloud = await new FakeEaseeCloud(amqpUrl, '6161').start();
    cluster = await new LocalCluster({
      edges: 2,
      workers: 3,
      ingests: 2,
      shards: 64,
      shardLeaseTtlS: 5,
      easee: { amqpUrl, ...operator },
      env: { EDGE_DRAIN_WINDOW_S: '5' },
    }).start();
    const apis = [0, 1].map((edge) => new ApiClient((cluster as LocalCluster).apiUrl(edge), cluster?.apiToken));
    balancer = await new TcpBalancer().start();
    for (const [i, edge] of cluster.edges.entries()) balancer.add(edge.id, cluster.ocppPort(i));

    const scenario = await loadScenario('all-charging');
    const serials = Array.from({ length: chargerCount }, (_, i) => simulatedSerial(prefix, i + 1));
    for (let i = 0; i < serials.length; i += 1_000) {
      const imported = await apis[0]?.post(
        '/api/chargers/import',
        serials.slice(i, i + 1_000).map((serial) => ({ serial })),
      );
      expect(imported?.status).toBe(200);
    }
    const idTags = scenarioIdTags(scenario);
    const tagsImported = await apis[0]?.post(
      '/api/id-tags/import',
      `idTag,status\n${idTags.map((tag) => `${tag},Accepted`).join('\n')}\n`,
      'text/csv',
    );
    expect(tagsImported?.status).toBe(200);

    const recorder = new FleetRecorder();
    fleet = new SimulatedFleet({
      url: `ws://127.0.0.1:${balancer.port}/ocpp`,
      count: chargerCount,
      scenario,
      // Ten times real time: a kWh, and so a MeterValues and two observations, every ~16 s per charger.
      clock: new WallClock(10),
      serialPrefix: prefix,
      rampPerSecond: 400,
      stream: cloud,
      listener: recorder,
    });
    const rampStartedAt = Date.now();
    await fleet.start();
    const running = fleet;
    await waitFor('every charger charging', () => running.snapshot().charging === chargerCount, 180_000).catch(
      (error: Error) => {
        const { byStatus, connected, boots, callErrors, connectionErrors, lastError } = running.snapshot();
        const state = JSON.stringify({ byStatus, connected, boots, callErrors, connectionErrors, lastError });
        throw new Error(`${error.message}: ${state}`);
      },
    );
    console.log(`rolling upgrade: all ${chargerCount} chargers charging after ${Date.now() - rampStartedAt} ms`);

    const load = new OperatorLoad(apis[0] as ApiClient);
    load.start(serials);
    await sleep(5_000);

    // One role at a time, as `kubectl rollout restart` does it: ingests, workers, then edges.
    const edgeWindows: { from: number; to: number }[] = [];
    const exitCodes: Record<string, number | null> = {};
    for (const ingest of cluster.ingests) {
      exitCodes[ingest.id] = await cluster.restart(ingest);
      await sleep(3_000);
    }
    for (const worker of cluster.workers) {
      exitCodes[worker.id] = await cluster.restart(worker);
      await cluster.settled();
      await sleep(3_000);
    }
    for (const [i, edge] of cluster.edges.entries()) {
      await load.switchTo(apis[1 - i] as ApiClient);
      // Kubernetes takes a terminating pod out of the Service's endpoints; its open connections stay.
      balancer.remove(edge.id);
      const from = Date.now();
      exitCodes[edge.id] = await cluster.restart(edge);
      balancer.add(edge.id, cluster.ocppPort(i));
      await waitFor('every charger connected again', () => fleet?.snapshot().connected === chargerCount, 90_000);
      edgeWindows.push({ from, to: Date.now() });
      await sleep(5_000);
    }
    const upgradeEndedAt = Date.now();
    await load.stop();
    expect(exitCodes).toEqual(Object.fromEntries(Object.keys(exitCodes).map((id) => [id, 0])));
    const api = apis[0] as ApiClient;

    // Easee commands settle (accepted, or failed after their attempts) before the fleet stops.
    for (const command of load.sent.filter((sent) => sent.kind === 'easee' && sent.requestId !== undefined)) {
      await expect
        .poll(
          async () => {
            const { body } = await api.get(`/api/chargers/${command.serial}/easee/commands/${command.requestId}`);
            command.outcome = body;
            return body.status;
          },
          { timeout: 60_000, interval: 500 },
        )
        .not.toBe('pending');
    }
    await fleet.stop();

    // ---- reconnections ----
    let disconnectsOutsideEdgeRestarts = 0;
    let reconnectsBeyondOnePerEdgeRestart = 0;
    let lateReconnects = 0;
    let slowestReconnectMs = 0;
    let reconnects = 0;
    for (const serial of serials) {
      const record = recorder.of(serial);
      for (const at of record.disconnectedAt.filter((at) => at < upgradeEndedAt)) {
        if (!edgeWindows.some((window) => at >= window.from && at <= window.to)) disconnectsOutsideEdgeRestarts += 1;
        const next = record.connectedAt.find((connected) => connected >= at);
        if (next === undefined || next - at > reconnectBoundMs) lateReconnects += 1;
        else slowestReconnectMs = Math.max(slowestReconnectMs, next - at);
      }
      for (const window of edgeWindows) {
        const connects = recorder.connectsBetween(serial, window.from, window.to);
        reconnects += connects;
        reconnectsBeyondOnePerEdgeRestart += Math.max(0, connects - 1);
      }
    }

    // ---- transactions and meter values, against FW_EVENTS ----
    const events = await readAllEvents(cluster.nats.url);
    const startedBySerial = new Map<string, number[]>();
    const meterKeysBySerial = new Map<string, string[]>();
    for (const event of events) {
      if (event.type === 'transaction-started') {
        startedBySerial.set(event.serial, [...(startedBySerial.get(event.serial) ?? []), event.data.transaction.id]);
      } else if (event.type === 'meter-values') {
        const keys = meterKeysBySerial.get(event.serial) ?? [];
        for (const reading of event.data.readings) {
          for (const sample of reading.samples) {
            if (sample.measurand === 'Energy.Active.Import.Register') keys.push(`${reading.timestamp}|${sample.value}`);
          }
        }
        meterKeysBySerial.set(event.serial, keys);
      }
    }
    const transactionIds = serials.flatMap((serial) => startedBySerial.get(serial) ?? []);
    let transactionsMissing = 0;
    let transactionsStartedTwice = 0;
    let meterValuesAcked = 0;
    let meterValuesMissing = 0;
    let meterValuesDuplicated = 0;
    for (const serial of serials) {
      const record = recorder.of(serial);
      const started = startedBySerial.get(serial) ?? [];
      if (started.length > 1) transactionsStartedTwice += started.length - 1;
      transactionsMissing += record.transactionIds.filter((id) => !started.includes(id)).length;
      const stored = meterKeysBySerial.get(serial) ?? [];
      const storedSet = new Set(stored);
      meterValuesAcked += record.meterValues.length;
      meterValuesMissing += record.meterValues.filter((key) => !storedSet.has(key)).length;
      meterValuesDuplicated += stored.length - storedSet.size;
    }
    // The transactions as the API shows them: one each, open, at the last register the charger reported.
    let transactionsWrongInApi = 0;
    let firstWrongTransaction: unknown;
    await inBatches(serials, 50, async (serial) => {
      const items = (await api.get(`/api/transactions?serial=${serial}`)).body.items as any[];
      const record = recorder.of(serial);
      const lastWh = Math.max(...record.meterValues.map((key) => Number(key.split('|')[1])));
      // At the last register the charger had answered — or one it sent after that and was stopped before its
      // answer came: committed, but the answer lost with the socket, which is what at-least-once means.
      const shownWh = items[0]?.lastMeterWh;
      const atTheTruth =
        record.meterValues.length === 0 ||
        shownWh === lastWh ||
        (shownWh > lastWh && record.meterValuesSent.includes(shownWh));
      const right =
        items.length === 1 && items[0].id === record.transactionIds[0] && items[0].status === 'active' && atTheTruth;
      if (!right) {
        transactionsWrongInApi += 1;
        firstWrongTransaction ??= { serial, shown: items, chargerSaw: { ...record, connectedAt: undefined } };
      }
    });

    // ---- observations: every one the broker confirmed is in FW_EASEE once, and each charger shows the truth ----
    const easeeIds = (await readEaseeStream(cluster.nats.url)).map((message) => message.identity);
    const stored = new Set(easeeIds);
    const observationsPublished = [...cloud.published].filter((identity) => identity.startsWith(prefix)).length;
    const observationsMissing = [...cloud.published].filter(
      (identity) => identity.startsWith(prefix) && !stored.has(identity),
    ).length;
    const observationsDuplicated = easeeIds.length - stored.size;
    let chargersNotAtTruth = 0;
    let firstDifference: unknown;
    await inBatches(serials, 50, async (serial) => {
      const expected = Object.fromEntries(
        [...(cloud as FakeEaseeCloud).truthOf(serial)].map(([id, truth]) => [
          observationCatalog.get(id)?.name,
          truth.value,
        ]),
      );
      const { body } = await api.get(`/api/chargers/${serial}`);
      const observations = (body.live?.stream?.observations ?? {}) as Record<string, { value: unknown }>;
      const shown = Object.fromEntries(Object.entries(observations).map(([name, seen]) => [name, seen.value]));
      for (const [name, value] of Object.entries(expected)) {
        if (!isDeepStrictEqual(shown[name], value)) {
          chargersNotAtTruth += 1;
          firstDifference ??= { serial, name, expected: value, shown: shown[name] };
          return;
        }
      }
    });

    // ---- commands: one outcome each, applied by the charger at most once per attempt ----
    const outcomes: Record<string, number> = {};
    let commandsAnsweredButNotApplied = 0;
    let commandsAppliedTwice = 0;
    let firstAppliedTwice: Record<string, unknown> | undefined;
    let commandsRefusedButApplied = 0;
    for (const command of load.sent) {
      const record = recorder.of(command.serial);
      if (command.kind === 'ocpp') {
        const seen = record.heartbeatIntervals.filter((value) => value === command.value).length;
        const key = `ocpp ${command.status}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (seen > 1) {
          commandsAppliedTwice += 1;
          firstAppliedTwice ??= { serial: command.serial, kind: 'ocpp', status: command.status, seen };
        }
        if (command.status === 200 && seen !== 1) commandsAnsweredButNotApplied += 1;
        // Refused (the charger was between edges, or its shard between workers): never delivered.
        if (command.status === 503 && seen !== 0) commandsRefusedButApplied += 1;
      } else {
        const ticks = record.streamCommandTicks;
        const key = `easee ${command.outcome?.status ?? command.status}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (new Set(ticks).size !== ticks.length) {
          commandsAppliedTwice += 1;
          firstAppliedTwice ??= {
            serial: command.serial,
            kind: 'easee, same ticks twice',
            ticks,
            outcome: command.outcome,
          };
        }
        if (command.outcome?.status === 'accepted' && ticks.length === 0) commandsAnsweredButNotApplied += 1;
        if (ticks.length > (command.outcome?.attempts ?? 0)) {
          commandsAppliedTwice += 1;
          firstAppliedTwice ??= {
            serial: command.serial,
            kind: 'easee, more than its attempts',
            ticks,
            outcome: command.outcome,
          };
        }
      }
    }

    const counts = {
      chargers: chargerCount,
      restarts: Object.keys(exitCodes).length,
      reconnects,
      reconnectsBeyondOnePerEdgeRestart,
      disconnectsOutsideEdgeRestarts,
      lateReconnects,
      slowestReconnectMs,
      transactions: new Set(transactionIds).size,
      duplicateTransactionIds: transactionIds.length - new Set(transactionIds).size,
      transactionsMissing,
      transactionsStartedTwice,
      transactionsWrongInApi,
      firstWrongTransaction,
      meterValuesAcked,
      meterValuesMissing,
      meterValuesDuplicated,
      observationsPublished,
      observationsMissing,
      observationsDuplicated,
      chargersNotAtTruth,
      firstDifference,
      commands: load.sent.length,
      commandOutcomes: outcomes,
      commandsAnsweredButNotApplied,
      commandsAppliedTwice,
      firstAppliedTwice,
      commandsRefusedButApplied,
    };
    console.log('rolling upgrade audit', JSON.stringify(counts, null, 1));
    expect(counts).toMatchObject({
      reconnectsBeyondOnePerEdgeRestart: 0,
      disconnectsOutsideEdgeRestarts: 0,
      lateReconnects: 0,
      transactions: chargerCount,
      duplicateTransactionIds: 0,
      transactionsMissing: 0,
      transactionsStartedTwice: 0,
      transactionsWrongInApi: 0,
      meterValuesMissing: 0,
      meterValuesDuplicated: 0,
      observationsMissing: 0,
      observationsDuplicated: 0,
      chargersNotAtTruth: 0,
      commandsAnsweredButNotApplied: 0,
      commandsAppliedTwice: 0,
      commandsRefusedButApplied: 0,
    });
    expect(meterValuesAcked).toBeGreaterThan(chargerCount);
    expect(observationsPublished).toBeGreaterThan(chargerCount * 2);
    // Every charger on a restarted edge came back: the first edge's share, then the whole fleet.
    expect(reconnects).toBeGreaterThanOrEqual(chargerCount);
  }, 900_000);
});
