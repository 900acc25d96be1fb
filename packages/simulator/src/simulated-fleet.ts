import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ChargePointListener,
  type ConnectorStatus,
  EaseeChargePoint,
  type ObservationSink,
} from './easee-charge-point.ts';
import type { StreamDevice } from './fake-easee-cloud.ts';
import { type Scenario, scenarioIdTags } from './scenario.ts';
import { ScenarioDriver } from './scenario-driver.ts';
import { SeededRandom } from './seeded-random.ts';
import type { SimClock } from './sim-clock.ts';

/** The Easee stream of a simulated fleet: where observations go and where commands come from. */
export interface FleetStream {
  sink(): ObservationSink;
  attach(serial: string, device: StreamDevice): void;
}

export interface FleetOptions {
  /** The central system's OCPP URL without the identity, e.g. `ws://127.0.0.1:9000/ocpp`. */
  readonly url: string;
  readonly count: number;
  readonly scenario: Scenario;
  readonly clock: SimClock;
  readonly serialPrefix?: string;
  /** These serials instead of `serialPrefix` + a number (`count` is then their number). */
  readonly serials?: readonly string[];
  /** The number of the first charger (serials are `${prefix}${number, five digits}`). */
  readonly firstNumber?: number;
  readonly password?: string;
  readonly seed?: number;
  /** Connections opened per real second while ramping up. */
  readonly rampPerSecond?: number;
  readonly stream?: FleetStream;
  readonly callTimeoutMs?: number;
  /** Told what every charger does, besides the fleet's own counters (a test's audit). */
  readonly listener?: ChargePointListener;
}

export interface FleetSnapshot {
  readonly total: number;
  readonly started: number;
  readonly connected: number;
  readonly charging: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Boot sequences completed (boot accepted, status reported), first ones and reconnections. */
  readonly boots: number;
  readonly calls: number;
  readonly callErrors: number;
  readonly connectionErrors: number;
  readonly lastError: string | undefined;
  /** Calls answered per real second since the previous snapshot. */
  readonly callsPerSecond: number;
}

/** What a fleet counts as its chargers live: no per-call allocation, read by snapshots. */
class FleetCounters implements ChargePointListener {
  connected = 0;
  boots = 0;
  calls = 0;
  callErrors = 0;
  connectionErrors = 0;
  lastError: string | undefined;
  readonly byStatus = new Map<ConnectorStatus, number>();

  onConnected(): void {
    this.connected += 1;
  }

  onDisconnected(): void {
    this.connected -= 1;
  }

  onBooted(): void {
    this.boots += 1;
  }

  onStatus(_serial: string, previous: ConnectorStatus, next: ConnectorStatus): void {
    this.byStatus.set(previous, (this.byStatus.get(previous) ?? 0) - 1);
    this.byStatus.set(next, (this.byStatus.get(next) ?? 0) + 1);
  }

  onCallSettled(_serial: string, _action: string, _latencyMs: number, ok: boolean): void {
    if (ok) this.calls += 1;
    else this.callErrors += 1;
  }

  onError(serial: string, kind: 'connection' | 'call' | 'queue', message: string): void {
    if (kind === 'connection') this.connectionErrors += 1;
    this.lastError = `${serial}: ${message}`;
  }
}

/** One listener that tells two. */
function both(first: ChargePointListener, second: ChargePointListener): ChargePointListener {
  return {
    onConnected: (serial) => {
      first.onConnected?.(serial);
      second.onConnected?.(serial);
    },
    onDisconnected: (serial) => {
      first.onDisconnected?.(serial);
      second.onDisconnected?.(serial);
    },
    onStatus: (serial, previous, next) => {
      first.onStatus?.(serial, previous, next);
      second.onStatus?.(serial, previous, next);
    },
    onBooted: (serial) => {
      first.onBooted?.(serial);
      second.onBooted?.(serial);
    },
    onCallSettled: (serial, action, latencyMs, ok) => {
      first.onCallSettled?.(serial, action, latencyMs, ok);
      second.onCallSettled?.(serial, action, latencyMs, ok);
    },
    onError: (serial, kind, message) => {
      first.onError?.(serial, kind, message);
      second.onError?.(serial, kind, message);
    },
    onTransactionMessage: (serial, action, payload, response) =>
      second.onTransactionMessage?.(serial, action, payload, response),
    onTransactionMessageSent: (serial, action, payload) => second.onTransactionMessageSent?.(serial, action, payload),
    onCentralSystemCall: (serial, action, payload) => second.onCentralSystemCall?.(serial, action, payload),
    onStreamCommand: (serial, commandId, ticks, args) => second.onStreamCommand?.(serial, commandId, ticks, args),
  };
}

export function simulatedSerial(prefix: string, number: number): string {
  return `${prefix}${String(number).padStart(5, '0')}`;
}

/**
 * A fleet of simulated Easee chargers living a scenario against one central system: opened at a bounded rate,
 * counted as they go, stopped together.
 */
export class SimulatedFleet {
  readonly chargePoints: EaseeChargePoint[] = [];
  private readonly drivers: ScenarioDriver[] = [];
  private readonly options: FleetOptions;
  private readonly counters = new FleetCounters();
  private started = 0;
  private stopped = false;
  private lastSnapshot = { at: performance.now(), calls: 0 };

  constructor(options: FleetOptions) {
    this.options = options;
    const seed = options.seed ?? 1;
    const prefix = options.serialPrefix ?? 'EHSIM';
    const { installation } = options.scenario;
    const idTags = scenarioIdTags(options.scenario);
    const sink = options.stream?.sink();
    for (let i = 0; i < options.count; i++) {
      const serial = options.serials?.[i] ?? simulatedSerial(prefix, (options.firstNumber ?? 1) + i);
      const random = SeededRandom.forSerial(seed, serial);
      const chargePoint = new EaseeChargePoint({
        serial,
        url: options.url,
        clock: options.clock,
        random,
        phases: random.chance(installation.threePhaseShare) ? 3 : 1,
        voltageV: installation.voltageV,
        maxCurrentA: random.pick(installation.maxCurrentA),
        listener: options.listener === undefined ? this.counters : both(this.counters, options.listener),
        ...(options.password === undefined ? {} : { password: options.password }),
        ...(sink === undefined ? {} : { stream: sink }),
        ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
        meterStartWh: Math.round(random.between(100_000, 20_000_000)),
      });
      options.stream?.attach(serial, chargePoint);
      this.chargePoints.push(chargePoint);
      this.drivers.push(new ScenarioDriver(chargePoint, options.scenario, options.clock, random, idTags));
    }
    this.counters.byStatus.set('Available', options.count);
  }

  /** Powers the chargers on at `rampPerSecond`; resolves once every one has been started. */
  async start(onProgress?: (started: number, total: number) => void): Promise<void> {
    const perTick = Math.max(1, Math.round((this.options.rampPerSecond ?? 200) / 10));
    while (this.started < this.chargePoints.length && !this.stopped) {
      const batch = this.chargePoints.slice(this.started, this.started + perTick);
      const drivers = this.drivers.slice(this.started, this.started + perTick);
      this.started += batch.length;
      batch.forEach((chargePoint, i) => {
        void chargePoint.start().then(() => {
          if (!this.stopped) void drivers[i]?.run();
        });
      });
      onProgress?.(this.started, this.chargePoints.length);
      await sleep(100);
    }
  }

  snapshot(): FleetSnapshot {
    const now = performance.now();
    const elapsedS = Math.max(0.001, (now - this.lastSnapshot.at) / 1000);
    const callsPerSecond = (this.counters.calls - this.lastSnapshot.calls) / elapsedS;
    this.lastSnapshot = { at: now, calls: this.counters.calls };
    return {
      total: this.chargePoints.length,
      started: this.started,
      connected: this.counters.connected,
      boots: this.counters.boots,
      charging: this.counters.byStatus.get('Charging') ?? 0,
      byStatus: Object.fromEntries(this.counters.byStatus),
      calls: this.counters.calls,
      callErrors: this.counters.callErrors,
      connectionErrors: this.counters.connectionErrors,
      lastError: this.counters.lastError,
      callsPerSecond,
    };
  }

  /** Drops every connection at once; each charger reconnects after `reconnectAfterMs` (0: a reconnect storm). */
  dropAllConnections(reconnectAfterMs = 0): void {
    for (const chargePoint of this.chargePoints) chargePoint.dropConnection(reconnectAfterMs);
  }

  /** Stops every driver and closes every connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const driver of this.drivers) driver.stop();
    for (const chargePoint of this.chargePoints) chargePoint.stop();
    await sleep(100);
  }
}
