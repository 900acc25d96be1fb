import { OcppError, type OcppRequest, type OcppResponse } from '@fleetwire/ocpp';
import type { Car } from './car.ts';
import { CurrentLimits } from './current-limits.ts';
import { EaseeConfiguration } from './easee-configuration.ts';
import { easeeDataTransfer } from './easee-data-transfer.ts';
import { type ChargingProfile, EaseeProfiles, easeeRefusal } from './easee-profiles.ts';
import { LocalAuthList } from './local-auth-list.ts';
import { Meter } from './meter.ts';
import { OcppLink } from './ocpp-link.ts';
import { sampledValue } from './sampled-values.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimClock, SimTimer } from './sim-clock.ts';
import { TransactionQueue } from './transaction-queue.ts';

export type ConnectorStatus = OcppRequest<'StatusNotification'>['status'];
export type ConnectorError = OcppRequest<'StatusNotification'>['errorCode'];
type StopReason = NonNullable<OcppRequest<'StopTransaction'>['reason']>;

/** Where a charge point's Easee observations go (the fake cloud), in base units (W, Wh). */
export interface ObservationSink {
  observe(serial: string, observationId: number, value: unknown, timestamp: number): void;
}

/** What a fleet counts: connections, calls and their outcome, statuses. */
export interface ChargePointListener {
  onConnected?(serial: string): void;
  onDisconnected?(serial: string): void;
  onStatus?(serial: string, previous: ConnectorStatus, next: ConnectorStatus): void;
  /** Boot accepted and the connectors' status reported: the charger is in service again. */
  onBooted?(serial: string): void;
  onCallSettled?(serial: string, action: string, latencyMs: number, ok: boolean): void;
  /** A transaction message the central system answered (what a test audits it against). */
  onTransactionMessage?(serial: string, action: string, payload: unknown, response: unknown): void;
  /** A transaction message about to be sent: it may be applied even if its answer never arrives. */
  onTransactionMessageSent?(serial: string, action: string, payload: unknown): void;
  onCentralSystemCall?(serial: string, action: string, payload: unknown): void;
  /** A command attempt from the Easee stream (identified by its ticks) that the charger applied. */
  onStreamCommand?(serial: string, commandId: number, ticks: string, args: Record<string, unknown>): void;
  onError?(serial: string, kind: 'connection' | 'call' | 'queue', message: string): void;
}

export interface EaseeChargePointOptions {
  readonly serial: string;
  /** The central system's OCPP URL without the identity. */
  readonly url: string;
  readonly password?: string;
  readonly clock: SimClock;
  readonly random: SeededRandom;
  /** The installation: phases wired to the charger and volts per phase. */
  readonly phases?: 1 | 3;
  readonly voltageV?: number;
  /** MaxChargerCurrent (observation 47). */
  readonly maxCurrentA?: number;
  readonly model?: string;
  /** `<firmware>/<OCPP service version>`, as Easee's cloud reports it. */
  readonly firmwareVersion?: string;
  readonly stream?: ObservationSink;
  readonly listener?: ChargePointListener;
  /** The charger's own clock runs this far from true time: it never sets it from the central system. */
  readonly clockSkewMs?: number;
  /** Heartbeat period whatever the central system asks (Easee: about three minutes). */
  readonly heartbeatMs?: number;
  /** How long a reboot keeps the charger off line. */
  readonly rebootMs?: number;
  /** Simulated delay before reconnecting after a lost connection: drawn between the two. */
  readonly reconnectMs?: readonly [number, number];
  readonly callTimeoutMs?: number;
  readonly meterStartWh?: number;
  /** Easee can be configured to send MeterValues outside transactions too (docs/reference/easee.md §0.1). */
  readonly meterValuesOutsideTransactions?: boolean;
}

/** A transaction as the charger lived it: the truth a test compares the central system with. */
export interface TransactionTruth {
  transactionId: number | undefined;
  readonly idTag: string;
  readonly startedAt: number;
  readonly meterStartWh: number;
  stoppedAt?: number;
  meterStopWh?: number;
  reason?: StopReason;
  readonly sessionId: number;
}

const supportedTriggers = new Set(['BootNotification', 'Heartbeat', 'MeterValues', 'StatusNotification']);
/** Actions the central system may send that an Easee does not offer: answered NotSupported. */
const unsupportedActions = new Set([
  'GetDiagnostics',
  'UpdateFirmware',
  'ReserveNow',
  'CancelReservation',
  'CertificateSigned',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetInstalledCertificateIds',
  'GetLog',
  'InstallCertificate',
  'SignedUpdateFirmware',
]);

/**
 * One Easee charge point as Easee's cloud OCPP presents it to a central system (docs/reference/easee.md §0.1, §5.1),
 * with the physical charger behind it: a meter, a connector and whatever car is plugged in. Everything it does
 * happens in the time of its clock, so a test can run hours of charging in no time and a seed replays a fleet.
 */
export class EaseeChargePoint {
  readonly serial: string;
  readonly configuration = new EaseeConfiguration();
  readonly profiles = new EaseeProfiles();
  readonly transactions: TransactionTruth[] = [];
  /** Counters of what the charger did that a central system cannot see directly. */
  readonly counters = { profileWrites: 0, flashWrites: 0, cacheClears: 0, reboots: 0, bootNotifications: 0 };
  availability: 'Operative' | 'Inoperative' = 'Operative';
  status: ConnectorStatus = 'Available';
  readonly limits: CurrentLimits;
  cableLockedPermanently = false;
  smartCharging = false;
  private readonly options: EaseeChargePointOptions;
  private readonly clock: SimClock;
  private readonly random: SeededRandom;
  private readonly meter: Meter;
  private readonly link: OcppLink;
  private car: Car | undefined;
  private transaction: TransactionTruth | undefined;
  private errorCode: ConnectorError = 'NoError';
  private pendingRemoteStart: { readonly idTag: string; readonly until: number } | undefined;
  private availabilityAfterTransaction: 'Inoperative' | undefined;
  private readonly localList = new LocalAuthList();
  private readonly transactionMessages: TransactionQueue;
  /** A session ended (remotely, by card, by unlock) while the car is still plugged in: Finishing. */
  private finishing = false;
  private booted = false;
  private stopped = false;
  private rebooting = false;
  private connecting = false;
  private connected = false;
  private heartbeatTimer: SimTimer | undefined;
  private idleMeterTimer: SimTimer | undefined;
  private bootTimer: SimTimer | undefined;
  private meterTimer: SimTimer | undefined;
  private reconnectTimer: SimTimer | undefined;
  private nextSessionId = 1;
  private lastReportedWh: number;
  /** A one-off reconnect delay for the next lost connection (a test or a storm sets it). */
  private nextReconnectMs: number | undefined;
  /** Connection attempts refused in a row, for the backoff. */
  private failedConnects = 0;
  /** The release an UpgradeFirmware command installed, reported at the next boot. */
  private firmwareAfterUpgrade: string | undefined;

  constructor(options: EaseeChargePointOptions) {
    this.options = options;
    this.serial = options.serial;
    this.clock = options.clock;
    this.random = options.random;
    this.limits = new CurrentLimits(options.maxCurrentA ?? 32);
    this.meter = new Meter(options.meterStartWh ?? 0, this.clock.now());
    this.lastReportedWh = Math.floor(this.meter.readWh(this.clock.now()) / 1000) * 1000;
    this.link = new OcppLink(
      {
        url: options.url,
        identity: options.serial,
        ...(options.password === undefined ? {} : { password: options.password }),
        callTimeoutMs: options.callTimeoutMs ?? 30_000,
      },
      {
        onCall: (action, payload) => this.onCentralSystemCall(action, payload),
        onClose: () => this.onConnectionLost(),
        onCallSettled: (action, latencyMs, ok) => options.listener?.onCallSettled?.(this.serial, action, latencyMs, ok),
      },
    );
    const chargePoint = this;
    this.transactionMessages = new TransactionQueue({
      serial: options.serial,
      listener: options.listener,
      get isBooted() {
        return chargePoint.isBooted;
      },
      call: (action, payload) => this.link.call(action, payload),
      retryAfter: (retry) => {
        const retryS = this.configuration.integer('TransactionMessageRetryInterval') || 60;
        this.clock.after(retryS * 1000, retry);
      },
    });
  }

  get online(): boolean {
    return this.link.open;
  }

  get isBooted(): boolean {
    return this.booted && this.link.open;
  }

  get pluggedCar(): Car | undefined {
    return this.car;
  }

  get currentTransaction(): TransactionTruth | undefined {
    return this.transaction;
  }

  get powerW(): number {
    return this.meter.powerW;
  }

  /** The energy register now, in Wh. */
  get registerWh(): number {
    return this.meter.readWh(this.clock.now());
  }

  /** Powers the charger on: connects, boots, and keeps reconnecting until stopped. */
  async start(): Promise<void> {
    this.stopped = false;
    this.publish(250, true);
    await this.connect();
  }

  /** Takes the charger away for good (the simulation ends): no reconnect, timers cancelled. */
  stop(): void {
    this.stopped = true;
    for (const timer of [
      this.heartbeatTimer,
      this.meterTimer,
      this.reconnectTimer,
      this.bootTimer,
      this.idleMeterTimer,
    ]) {
      timer?.cancel();
    }
    this.link.close(1000, 'simulation ended');
  }

  /** The network drops the connection (no closing handshake); the charger reconnects after `reconnectAfterMs`. */
  dropConnection(reconnectAfterMs: number): void {
    this.nextReconnectMs = reconnectAfterMs;
    this.link.terminate();
  }

  // ---- the physical world: cars, cards, faults, power ----

  async plugIn(car: Car): Promise<void> {
    if (this.car !== undefined) throw new Error(`${this.serial}: a car is already plugged in`);
    this.car = car;
    this.finishing = false;
    this.publish(100, 'B');
    // Easee resets the dynamic charger current when a car is plugged in (docs/reference/easee.md §6.2).
    if (this.limits.dynamicCurrent !== undefined) {
      this.limits.dynamicCurrent = undefined;
      this.publish(48, this.limits.maxChargerCurrentA);
    }
    const remote = this.pendingRemoteStart;
    this.pendingRemoteStart = undefined;
    if (this.availability === 'Inoperative' || this.errorCode !== 'NoError') return this.refreshStatus();
    if (remote !== undefined && remote.until >= this.clock.now()) return this.beginTransaction(remote.idTag, 'Remote');
    if (this.configuration.flag('freecharging')) {
      return this.beginTransaction(this.configuration.get('rfidtagfreecharging') || 'freecharging', 'FreeCharging');
    }
    await this.refreshStatus();
  }

  /** A card held to the reader: authorizes a plugged-in car, or ends the session it started. */
  async presentCard(idTag: string): Promise<string> {
    this.publish(128, idTag);
    if (this.transaction !== undefined) {
      if (this.transaction.idTag.toUpperCase() !== idTag.toUpperCase()) return 'NotThisSession';
      await this.endTransaction('Local');
      return 'Stopped';
    }
    if (this.car === undefined || this.availability === 'Inoperative' || this.errorCode !== 'NoError') {
      return 'NotReady';
    }
    const localAccepted = this.configuration.flag('LocalAuthListEnabled') && this.localList.accepts(idTag);
    if (localAccepted && this.configuration.flag('LocalPreAuthorize')) {
      await this.beginTransaction(idTag, 'LocalList');
      return 'Accepted';
    }
    if (!this.isBooted) {
      const offlineAllowed =
        (localAccepted && this.configuration.flag('LocalAuthorizeOffline')) ||
        this.configuration.flag('AllowOfflineTxForUnknownId');
      if (!offlineAllowed) return 'Offline';
      await this.beginTransaction(idTag, 'Offline');
      return 'Accepted';
    }
    const answer = (await this.callSafely('Authorize', { idTag })) as OcppResponse<'Authorize'> | undefined;
    const status = answer?.idTagInfo.status ?? 'NoAnswer';
    if (status === 'Accepted') await this.beginTransaction(idTag, 'RFID');
    return status;
  }

  /** The car stops drawing while not full (SuspendedEV), or starts again. */
  async setCarPaused(paused: boolean): Promise<void> {
    if (this.car === undefined) return;
    this.car.paused = paused;
    await this.recompute();
  }

  async unplug(): Promise<void> {
    if (this.car === undefined) return;
    this.settleEnergy(this.clock.now());
    this.car = undefined;
    this.finishing = false;
    this.publish(100, 'A');
    if (this.transaction !== undefined) await this.endTransaction('EVDisconnected');
    else await this.recompute();
  }

  async raiseFault(errorCode: Exclude<ConnectorError, 'NoError'>): Promise<void> {
    this.errorCode = errorCode;
    if (this.transaction !== undefined) await this.endTransaction('Other');
    await this.refreshStatus();
  }

  async clearFault(): Promise<void> {
    this.errorCode = 'NoError';
    await this.refreshStatus();
  }

  /**
   * The physical charger restarts: a running transaction ends, the OCPP device goes off line and comes back
   * after `offlineMs` (`rebootMs` unless the power was off for longer). `graceful` (a Reset) closes the connection after the StopTransaction went out; a power cut
   * drops it, and the StopTransaction waits in the queue for the next connection.
   */
  async reboot(reason: StopReason, graceful: boolean, offlineMs = this.options.rebootMs ?? 10_000): Promise<void> {
    this.counters.reboots += 1;
    // The reboot reconnects when it is over, not the lost connection.
    this.rebooting = true;
    this.reconnectTimer?.cancel();
    if (graceful) {
      await this.endTransaction(reason);
      await this.transactionMessages.drain();
    }
    this.booted = false;
    this.heartbeatTimer?.cancel();
    if (graceful) this.link.close(1000, 'rebooting');
    else this.link.terminate();
    // Without power nothing goes out: the stop waits in the queue for the next connection.
    if (!graceful) await this.endTransaction(reason);
    this.limits.forgetVolatile();
    this.publish(250, false);
    this.publish(89, reason === 'PowerLoss' ? 1 : 20);
    this.reconnectTimer = this.clock.after(offlineMs, () => {
      this.rebooting = false;
      if (this.stopped) return;
      this.publish(250, true);
      void this.connect();
    });
  }

  // ---- the connection ----

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.link.open) return;
    this.connecting = true;
    try {
      await this.link.connect();
    } catch (error) {
      this.connecting = false;
      this.failedConnects += 1;
      this.options.listener?.onError?.(
        this.serial,
        'connection',
        error instanceof Error ? error.message : String(error),
      );
      this.scheduleReconnect();
      return;
    }
    this.connecting = false;
    this.failedConnects = 0;
    this.connected = true;
    this.options.listener?.onConnected?.(this.serial);
    await this.boot();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.rebooting) return;
    const [low, high] = this.options.reconnectMs ?? [2_000, 10_000];
    // A central system that keeps refusing is asked ever less often, as a charger backs off: at most every minute.
    const backoff = Math.min(2 ** Math.min(this.failedConnects, 6), Math.max(1, 60_000 / high));
    const delay = this.nextReconnectMs ?? this.random.between(low, high) * backoff;
    this.nextReconnectMs = undefined;
    this.reconnectTimer?.cancel();
    this.reconnectTimer = this.clock.after(delay, () => void this.connect());
  }

  private onConnectionLost(): void {
    this.booted = false;
    this.heartbeatTimer?.cancel();
    this.bootTimer?.cancel();
    if (this.connected) this.options.listener?.onDisconnected?.(this.serial);
    this.connected = false;
    // A failed connection attempt is retried by connect() itself.
    if (!this.connecting) this.scheduleReconnect();
  }

  private async boot(): Promise<void> {
    this.counters.bootNotifications += 1;
    const answer = (await this.callSafely('BootNotification', {
      chargePointVendor: 'Easee',
      chargePointModel: this.options.model ?? 'Easee Charge',
      chargePointSerialNumber: this.serial,
      chargeBoxSerialNumber: this.serial,
      firmwareVersion: this.firmwareAfterUpgrade ?? this.options.firmwareVersion ?? '289/1.5.2.0',
    })) as OcppResponse<'BootNotification'> | undefined;
    if (answer === undefined) return;
    // Easee's virtual devices do not set their clock from currentTime.
    if (answer.status !== 'Accepted') {
      this.bootTimer = this.clock.after(Math.max(answer.interval, 10) * 1000, () => {
        if (this.link.open) void this.boot();
      });
      return;
    }
    this.booted = true;
    this.scheduleHeartbeat();
    this.scheduleIdleMeterValues();
    await this.reportStatusAfterBoot();
    this.options.listener?.onBooted?.(this.serial);
    void this.transactionMessages.pump();
  }

  /** Connector 0 and 1; an Inoperative charger says Available for more than a second first (§0.1). */
  private async reportStatusAfterBoot(): Promise<void> {
    await this.sendStatus(0, this.availability === 'Inoperative' ? 'Unavailable' : 'Available');
    if (this.availability === 'Inoperative') {
      await this.sendStatus(1, 'Available');
      this.status = 'Available';
      await new Promise<void>((resolve) => this.clock.after(1_500, resolve));
      if (!this.isBooted) return;
    }
    await this.setStatus(this.derivedStatus(), true);
  }

  /** Outside a transaction, when configured: the register every MeterValueSampleInterval, with no transaction id. */
  private scheduleIdleMeterValues(): void {
    this.idleMeterTimer?.cancel();
    const intervalS = this.configuration.integer('MeterValueSampleInterval');
    if (this.options.meterValuesOutsideTransactions !== true || intervalS <= 0) return;
    this.idleMeterTimer = this.clock.after(intervalS * 1000, () => {
      if (!this.isBooted) return;
      if (this.transaction === undefined) {
        void this.callSafely('MeterValues', {
          connectorId: 1,
          meterValue: [
            {
              timestamp: this.timestamp(),
              sampledValue: [this.sample('Energy.Active.Import.Register')],
            },
          ],
        });
      }
      this.scheduleIdleMeterValues();
    });
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer?.cancel();
    // About every three minutes, whatever interval the central system gave.
    const period = (this.options.heartbeatMs ?? 180_000) + this.random.between(-5_000, 5_000);
    this.heartbeatTimer = this.clock.after(period, () => {
      if (!this.isBooted) return;
      void this.callSafely('Heartbeat', {});
      this.scheduleHeartbeat();
    });
  }

  /** A CALL whose failure is counted, not thrown: the charger carries on, as a real one would. */
  private async callSafely(action: string, payload: unknown): Promise<unknown> {
    if (!this.link.open) return undefined;
    try {
      return await this.link.call(action, payload);
    } catch (error) {
      this.options.listener?.onError?.(
        this.serial,
        'call',
        `${action}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  private timestamp(): string {
    return new Date(this.clock.now() + (this.options.clockSkewMs ?? 0)).toISOString();
  }

  // ---- status ----

  private derivedStatus(): ConnectorStatus {
    if (this.errorCode !== 'NoError') return 'Faulted';
    if (this.transaction !== undefined) {
      if (this.meter.powerW > 0) return 'Charging';
      return this.offeredA() < 6 ? 'SuspendedEVSE' : 'SuspendedEV';
    }
    if (this.availability === 'Inoperative') return 'Unavailable';
    if (this.car === undefined) return 'Available';
    return this.finishing ? 'Finishing' : 'Preparing';
  }

  private async refreshStatus(): Promise<void> {
    await this.setStatus(this.derivedStatus(), false);
  }

  private async setStatus(next: ConnectorStatus, always: boolean): Promise<void> {
    const previous = this.status;
    if (next === previous && !always) return;
    this.status = next;
    if (next !== previous) this.options.listener?.onStatus?.(this.serial, previous, next);
    this.publish(109, opModeOf(next, this.car));
    await this.sendStatus(1, next);
  }

  private async sendStatus(connectorId: number, status: ConnectorStatus): Promise<void> {
    if (!this.isBooted) return;
    await this.callSafely('StatusNotification', {
      connectorId,
      status,
      errorCode: connectorId === 0 ? 'NoError' : this.errorCode,
      timestamp: this.timestamp(),
    });
  }

  // ---- transactions ----

  private async beginTransaction(idTag: string, auth: string): Promise<void> {
    const now = this.clock.now();
    this.finishing = false;
    const transaction: TransactionTruth = {
      transactionId: undefined,
      idTag,
      startedAt: now,
      meterStartWh: Math.round(this.meter.readWh(now)),
      sessionId: this.nextSessionId++,
    };
    this.transaction = transaction;
    this.transactions.push(transaction);
    this.publish(223, {
      Id: transaction.sessionId,
      MeterValue: transaction.meterStartWh / 1000,
      Start: new Date(now).toISOString(),
      Auth: idTag,
      AuthReason: auth,
    });
    this.transactionMessages.enqueue({
      action: 'StartTransaction',
      build: () => ({
        connectorId: 1,
        idTag,
        meterStart: transaction.meterStartWh,
        timestamp: new Date(transaction.startedAt + (this.options.clockSkewMs ?? 0)).toISOString(),
      }),
      onAnswer: (response) => {
        const answer = response as OcppResponse<'StartTransaction'>;
        transaction.transactionId = answer.transactionId;
        const refused = answer.idTagInfo.status !== 'Accepted';
        if (refused && this.transaction === transaction && this.configuration.flag('StopTransactionOnInvalidId')) {
          void this.endTransaction('DeAuthorized');
        }
      },
    });
    await this.recompute();
  }

  private async endTransaction(reason: StopReason): Promise<void> {
    const transaction = this.transaction;
    if (transaction === undefined) return;
    const now = this.clock.now();
    this.settleEnergy(now);
    this.transaction = undefined;
    transaction.stoppedAt = now;
    transaction.meterStopWh = Math.round(this.meter.readWh(now));
    transaction.reason = reason;
    this.publish(129, {
      Id: transaction.sessionId,
      Start: new Date(transaction.startedAt).toISOString(),
      Stop: new Date(now).toISOString(),
      EnergyKwh: (transaction.meterStopWh - transaction.meterStartWh) / 1000,
      MeterValueStart: transaction.meterStartWh / 1000,
      MeterValueStop: transaction.meterStopWh / 1000,
      Auth: transaction.idTag,
    });
    this.transactionMessages.enqueue({
      action: 'StopTransaction',
      build: () => ({
        // Zero only when the start was never answered; the central system keeps such a stop as an orphan.
        transactionId: transaction.transactionId ?? 0,
        idTag: transaction.idTag,
        meterStop: transaction.meterStopWh,
        timestamp: new Date(now + (this.options.clockSkewMs ?? 0)).toISOString(),
        reason,
      }),
    });
    this.finishing = this.car !== undefined && reason !== 'EVDisconnected';
    if (this.availabilityAfterTransaction === 'Inoperative') {
      this.availabilityAfterTransaction = undefined;
      this.availability = 'Inoperative';
    }
    await this.recompute();
  }

  /** When a TTL the central system set ends: its minutes are the central system's, so they scale with the clock. */
  private ttlEnd(ttlMinutes: number): number {
    return this.clock.now() + ttlMinutes * 60_000 * this.clock.speed;
  }

  // ---- energy ----

  /** A car in a transaction that would take current now (not full, not paused by itself). */
  get carWantsCurrent(): boolean {
    const car = this.car;
    const charging = this.transaction !== undefined && car !== undefined && this.errorCode === 'NoError';
    return charging && !car.full && !car.paused;
  }

  /** What the car would draw now if it were offered all it takes. */
  get carDemandA(): number {
    return this.car === undefined || this.car.full || this.car.paused ? 0 : this.car.demandA;
  }

  /** The current the charger offers its car now (the pilot signal): nothing outside a transaction. */
  get offeredCurrentA(): number {
    const charging = this.transaction !== undefined && this.car !== undefined && this.errorCode === 'NoError';
    return charging ? this.offeredA() : 0;
  }

  private offeredA(): number {
    const now = this.clock.now();
    const offered = this.limits.offeredA(now, this.options.phases ?? 3);
    const profile = this.profiles.active(now);
    return profile === undefined ? offered : Math.min(offered, profile.limitA);
  }

  private settleEnergy(now: number): void {
    const delivered = this.meter.setPower(this.meter.powerW, now);
    if (this.car !== undefined) this.car.storedWh += delivered;
  }

  /**
   * Works out what the car draws now, tells both channels what changed, and sets one timer for the next thing
   * that will change it: a kWh crossed, the car full, a profile period, the dynamic current expiring.
   */
  private async recompute(): Promise<void> {
    const now = this.clock.now();
    this.settleEnergy(now);
    this.meterTimer?.cancel();
    this.meterTimer = undefined;
    const charging = this.transaction !== undefined && this.car !== undefined && this.errorCode === 'NoError';
    const offered = this.offeredA();
    const drawA = charging ? (this.car as Car).drawA(offered) : 0;
    const phases = Math.min((this.car?.model.phases ?? 1) as number, this.options.phases ?? 3);
    const powerW = drawA * (this.options.voltageV ?? 230) * phases;
    if (powerW !== this.meter.powerW) {
      this.meter.setPower(powerW, now);
      this.publish(120, powerW);
      this.publish(114, charging ? offered : 0);
      // InCurrent_T3..T5: the current on each phase terminal the car draws on.
      for (let phase = 0; phase < 3; phase++) this.publish(183 + phase, phase < phases ? drawA : 0);
    }
    const waits = [
      this.meter.msUntil(this.lastReportedWh + 1000, now),
      powerW > 0 && this.car !== undefined ? (this.car.roomWh * 3_600_000) / powerW : undefined,
      charging ? mapDefined(this.profiles.nextChange(now), (at) => at - now) : undefined,
      ...this.limits.expiries(now),
    ].filter((wait): wait is number => wait !== undefined && Number.isFinite(wait));
    if (waits.length > 0) {
      this.meterTimer = this.clock.after(Math.max(1, Math.min(...waits)), () => void this.onMeterTimer());
    }
    await this.refreshStatus();
  }

  private async onMeterTimer(): Promise<void> {
    const now = this.clock.now();
    this.settleEnergy(now);
    const registerWh = this.meter.readWh(now);
    if (registerWh >= this.lastReportedWh + 1000 - 1e-6) {
      this.lastReportedWh = Math.floor((registerWh + 1e-6) / 1000) * 1000;
      this.reportEnergy(now);
    }
    await this.recompute();
  }

  /** What the Easee cloud forwards each time it receives a kWh: one MeterValues per measurand, one value each. */
  private reportEnergy(now: number): void {
    const transaction = this.transaction;
    const registerWh = Math.round(this.meter.readWh(now));
    this.publish(124, registerWh);
    if (transaction !== undefined) this.publish(121, registerWh - transaction.meterStartWh);
    if (transaction === undefined || this.configuration.integer('MeterValueSampleInterval') === 0) return;
    for (const measurand of this.configuration.list('MeterValuesSampledData')) {
      const sampled = this.sample(measurand, registerWh);
      if (sampled === undefined) continue;
      const timestamp = new Date(now + (this.options.clockSkewMs ?? 0)).toISOString();
      this.transactionMessages.enqueue({
        action: 'MeterValues',
        build: () => ({
          connectorId: 1,
          ...(transaction.transactionId === undefined ? {} : { transactionId: transaction.transactionId }),
          meterValue: [{ timestamp, sampledValue: [sampled] }],
        }),
      });
    }
  }

  private sample(measurand: string, registerWh = Math.round(this.registerWh), context?: string) {
    const voltageV = this.options.voltageV ?? 230;
    const currentA = this.meter.powerW / voltageV / Math.max(1, this.car?.model.phases ?? 1);
    const reading = { registerWh, powerW: this.meter.powerW, currentA, offeredA: this.offeredA(), voltageV };
    return sampledValue(measurand, reading, context);
  }

  // ---- the stream side ----

  private publish(observationId: number, value: unknown): void {
    this.options.stream?.observe(this.serial, observationId, value, this.clock.now());
  }

  /** An operator command from the Easee stream (docs/reference/easee.md §3); whether the charger accepted it. */
  async onStreamCommand(commandId: number, args: Record<string, unknown>, ticks = ''): Promise<boolean> {
    this.options.listener?.onStreamCommand?.(this.serial, commandId, ticks, args);
    const limitChange = this.limits.apply(commandId, args, (ttlMinutes) => this.ttlEnd(ttlMinutes));
    if (limitChange !== undefined) {
      if (limitChange.flashWrite) this.counters.flashWrites += 1;
      for (const [observationId, value] of limitChange.observations) this.publish(observationId, value);
      if (limitChange.affectsOffer) await this.recompute();
      return true;
    }
    switch (commandId) {
      case 30:
        this.cableLockedPermanently = args.locked === true;
        this.publish(30, this.cableLockedPermanently);
        return true;
      case 11:
        this.smartCharging = args.smartCharging === true;
        this.publish(102, this.smartCharging);
        return true;
      case 1:
        await this.reboot('Reboot', true);
        return true;
      case 4: {
        // A delta OTA to the next release, then a reboot into it.
        const [firmware, service] = (this.options.firmwareVersion ?? '289/1.5.2.0').split('/');
        this.firmwareAfterUpgrade = `${Number(firmware) + 1}/${service ?? ''}`;
        setImmediate(() => {
          this.publish(80, this.firmwareAfterUpgrade);
          void this.reboot('Reboot', true);
        });
        return true;
      }
      case 25:
        if (this.car === undefined || this.transaction !== undefined) return false;
        await this.beginTransaction(String(args.idToken ?? 'stream'), 'Stream');
        return true;
      case 26:
        if (this.transaction === undefined) return false;
        await this.endTransaction('DeAuthorized');
        return true;
      default:
        return false;
    }
  }

  // ---- the central system's CALLs ----

  private async onCentralSystemCall(action: string, payload: unknown): Promise<unknown> {
    this.options.listener?.onCentralSystemCall?.(this.serial, action, payload);
    switch (action) {
      case 'ChangeConfiguration': {
        const { key, value } = payload as OcppRequest<'ChangeConfiguration'>;
        const status = this.configuration.change(key, value);
        if (status === 'Accepted' && key.toLowerCase() === 'dynamicchargercurrent') {
          this.limits.dynamicCurrent = { amps: Number(value), until: Number.POSITIVE_INFINITY };
          this.publish(48, Number(value));
          setImmediate(() => void this.recompute());
        }
        return { status };
      }
      case 'GetConfiguration':
        return this.configuration.read((payload as OcppRequest<'GetConfiguration'>).key);
      case 'ClearCache':
        // Forwarded to the physical charger.
        this.counters.cacheClears += 1;
        return { status: 'Accepted' };
      case 'SetChargingProfile':
        return this.onSetChargingProfile(payload as OcppRequest<'SetChargingProfile'>);
      case 'ClearChargingProfile': {
        const status = this.profiles.clearFor(payload as OcppRequest<'ClearChargingProfile'>);
        if (status === 'Accepted') setImmediate(() => void this.recompute());
        return { status };
      }
      case 'GetCompositeSchedule':
        return this.profiles.composite(
          payload as OcppRequest<'GetCompositeSchedule'>,
          this.clock.now(),
          this.timestamp(),
        );
      case 'TriggerMessage':
        return this.onTriggerMessage(payload as OcppRequest<'TriggerMessage'>);
      case 'UnlockConnector':
        // Easee: ends any transaction and sets UnlockConnectorOnEVSideDisconnect to true.
        this.configuration.set('UnlockConnectorOnEVSideDisconnect', 'true');
        if (this.transaction !== undefined) setImmediate(() => void this.endTransaction('UnlockCommand'));
        return { status: 'Unlocked' };
      case 'Reset': {
        const { type } = payload as OcppRequest<'Reset'>;
        // Both kinds reboot the physical charger and restart the OCPP device: expect a reconnect.
        setImmediate(() => void this.reboot(type === 'Hard' ? 'HardReset' : 'SoftReset', true));
        return { status: 'Accepted' };
      }
      case 'ChangeAvailability':
        return this.onChangeAvailability(payload as OcppRequest<'ChangeAvailability'>);
      case 'RemoteStartTransaction':
        return this.onRemoteStart(payload as OcppRequest<'RemoteStartTransaction'>);
      case 'RemoteStopTransaction': {
        const { transactionId } = payload as OcppRequest<'RemoteStopTransaction'>;
        if (this.transaction === undefined || this.transaction.transactionId !== transactionId) {
          return { status: 'Rejected' };
        }
        setImmediate(() => void this.endTransaction('Remote'));
        return { status: 'Accepted' };
      }
      case 'SendLocalList': {
        if (!this.configuration.flag('LocalAuthListEnabled')) return { status: 'NotSupported' };
        const maxPerMessage = this.configuration.integer('SendLocalListMaxLength');
        const maxHeld = this.configuration.integer('LocalAuthListMaxLength');
        return { status: this.localList.send(payload as OcppRequest<'SendLocalList'>, maxPerMessage, maxHeld) };
      }
      case 'GetLocalListVersion':
        return { listVersion: this.configuration.flag('LocalAuthListEnabled') ? this.localList.version : -1 };
      case 'DataTransfer':
        return easeeDataTransfer(payload as OcppRequest<'DataTransfer'>, this.transactions);
      default:
        if (unsupportedActions.has(action)) throw new OcppError('NotSupported', `${action} is not offered by Easee`);
        throw new OcppError('NotImplemented', `unknown action ${action}`);
    }
  }

  private onSetChargingProfile(request: OcppRequest<'SetChargingProfile'>): OcppResponse<'SetChargingProfile'> {
    const status = this.profiles.set(request);
    if (status !== 'Accepted') return { status };
    // Stored in flash: every accepted profile is a write, which is why a central system must ration them.
    this.counters.profileWrites += 1;
    setImmediate(() => void this.recompute());
    return { status };
  }

  private onTriggerMessage(request: OcppRequest<'TriggerMessage'>): OcppResponse<'TriggerMessage'> {
    const { requestedMessage } = request;
    if (!supportedTriggers.has(requestedMessage)) return { status: 'NotImplemented' };
    // After the answer has gone out.
    setImmediate(() => {
      switch (requestedMessage) {
        case 'BootNotification':
          void this.boot();
          break;
        case 'Heartbeat':
          void this.callSafely('Heartbeat', {});
          break;
        case 'StatusNotification':
          void this.sendStatus(request.connectorId ?? 1, this.status);
          break;
        case 'MeterValues':
          void this.callSafely('MeterValues', {
            connectorId: 1,
            ...(this.transaction?.transactionId === undefined ? {} : { transactionId: this.transaction.transactionId }),
            meterValue: [
              {
                timestamp: this.timestamp(),
                sampledValue: [this.sample('Energy.Active.Import.Register', undefined, 'Trigger')],
              },
            ],
          });
          break;
      }
    });
    return { status: 'Accepted' };
  }

  private onChangeAvailability(request: OcppRequest<'ChangeAvailability'>): OcppResponse<'ChangeAvailability'> {
    if (request.connectorId > 1) return { status: 'Rejected' };
    if (request.type === 'Inoperative' && this.transaction !== undefined) {
      this.availabilityAfterTransaction = 'Inoperative';
      return { status: 'Scheduled' };
    }
    // Persistent: kept across reboots.
    this.availability = request.type;
    this.availabilityAfterTransaction = undefined;
    setImmediate(() => void this.refreshStatus());
    return { status: 'Accepted' };
  }

  private onRemoteStart(request: OcppRequest<'RemoteStartTransaction'>): OcppResponse<'RemoteStartTransaction'> {
    const purpose = request.chargingProfile?.chargingProfilePurpose;
    const ready = this.availability === 'Operative' && this.errorCode === 'NoError' && this.transaction === undefined;
    if (!ready || purpose === 'TxProfile' || (request.connectorId ?? 1) > 1) return { status: 'Rejected' };
    if (request.chargingProfile !== undefined) {
      if (easeeRefusal(1, request.chargingProfile as ChargingProfile) !== undefined) return { status: 'Rejected' };
      this.profiles.install(request.chargingProfile as ChargingProfile);
      this.counters.profileWrites += 1;
    }
    if (this.car === undefined) {
      // Waits for a car for ConnectionTimeOut seconds.
      this.pendingRemoteStart = {
        idTag: request.idTag,
        until: this.clock.now() + this.configuration.integer('ConnectionTimeOut') * 1000,
      };
    } else {
      setImmediate(() => void this.beginTransaction(request.idTag, 'Remote'));
    }
    return { status: 'Accepted' };
  }
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

/** The ChargerOpMode (observation 109) the stream shows for a connector status (docs/reference/easee.md §2.1–2.2). */
function opModeOf(status: ConnectorStatus, car: Car | undefined): number {
  switch (status) {
    case 'Charging':
      return 3;
    case 'SuspendedEVSE':
      return 2;
    case 'SuspendedEV':
      return car?.full ? 4 : 6;
    case 'Preparing':
      return 7;
    case 'Finishing':
      return 8;
    case 'Faulted':
      return 5;
    default:
      return 1;
  }
}
