import type { ChargePointListener } from '@fleetwire/simulator';

/** What one simulated charger lived through, as an audit compares it with what the central system recorded. */
export interface ChargerRecord {
  readonly connectedAt: number[];
  readonly disconnectedAt: number[];
  /** `<timestamp>|<register Wh>` of every MeterValues the central system answered. */
  readonly meterValues: string[];
  /** Register Wh of every MeterValues sent, answered or not (the last may have been in flight at the end). */
  readonly meterValuesSent: number[];
  /** Transaction ids the central system gave in StartTransaction answers. */
  readonly transactionIds: number[];
  /** Values of every ChangeConfiguration HeartbeatInterval the charger received. */
  readonly heartbeatIntervals: string[];
  /** Ticks of every Easee command attempt the charger applied. */
  readonly streamCommandTicks: string[];
}

/** A listener for a simulated fleet that keeps, per charger, what an audit of a rolling upgrade needs. */
export class FleetRecorder implements ChargePointListener {
  readonly chargers = new Map<string, ChargerRecord>();

  of(serial: string): ChargerRecord {
    let record = this.chargers.get(serial);
    if (record === undefined) {
      record = {
        connectedAt: [],
        disconnectedAt: [],
        meterValues: [],
        meterValuesSent: [],
        transactionIds: [],
        heartbeatIntervals: [],
        streamCommandTicks: [],
      };
      this.chargers.set(serial, record);
    }
    return record;
  }

  onConnected(serial: string): void {
    this.of(serial).connectedAt.push(Date.now());
  }

  onDisconnected(serial: string): void {
    this.of(serial).disconnectedAt.push(Date.now());
  }

  onTransactionMessage(serial: string, action: string, payload: any, response: any): void {
    if (action === 'StartTransaction') this.of(serial).transactionIds.push(response.transactionId);
    if (action !== 'MeterValues') return;
    for (const meterValue of payload.meterValue) {
      for (const sampled of meterValue.sampledValue) {
        if ((sampled.measurand ?? 'Energy.Active.Import.Register') !== 'Energy.Active.Import.Register') continue;
        this.of(serial).meterValues.push(`${meterValue.timestamp}|${Number(sampled.value)}`);
      }
    }
  }

  onTransactionMessageSent(serial: string, action: string, payload: any): void {
    if (action !== 'MeterValues') return;
    for (const meterValue of payload.meterValue) {
      for (const sampled of meterValue.sampledValue) {
        if ((sampled.measurand ?? 'Energy.Active.Import.Register') !== 'Energy.Active.Import.Register') continue;
        this.of(serial).meterValuesSent.push(Number(sampled.value));
      }
    }
  }

  onCentralSystemCall(serial: string, action: string, payload: any): void {
    if (action === 'ChangeConfiguration' && payload.key === 'HeartbeatInterval') {
      this.of(serial).heartbeatIntervals.push(payload.value);
    }
  }

  onStreamCommand(serial: string, _commandId: number, ticks: string): void {
    this.of(serial).streamCommandTicks.push(ticks);
  }

  /** Connections opened in [from, to). */
  connectsBetween(serial: string, from: number, to: number): number {
    return this.of(serial).connectedAt.filter((at) => at >= from && at < to).length;
  }
}
