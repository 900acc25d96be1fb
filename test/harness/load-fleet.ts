import type { RPCClient } from 'ocpp-rpc';
import type { ApiClient } from './api-client.ts';
import { connectCharger } from './chargers.ts';

export interface CallRecord {
  readonly action: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly payload: unknown;
  readonly response?: unknown;
  readonly error?: string;
}

/** One simulated charger of a load: its transaction, its meter register and every call it made. */
export class LoadCharger {
  readonly serial: string;
  readonly client: RPCClient;
  readonly calls: CallRecord[] = [];
  transactionId: number | undefined;
  registerWh = 10_000;

  constructor(serial: string, client: RPCClient) {
    this.serial = serial;
    this.client = client;
  }

  async call(action: string, payload: unknown): Promise<unknown> {
    const sentAt = Date.now();
    try {
      const response = await this.client.call(action, payload);
      this.calls.push({ action, sentAt, answeredAt: Date.now(), payload, response });
      return response;
    } catch (error) {
      this.calls.push({ action, sentAt, answeredAt: Date.now(), payload, error: String(error) });
      throw error;
    }
  }

  get acked(): CallRecord[] {
    return this.calls.filter((call) => call.error === undefined);
  }

  get failed(): CallRecord[] {
    return this.calls.filter((call) => call.error !== undefined);
  }
}

/**
 * A fleet of chargers (ocpp-rpc clients in strict mode) spread over the edges: registered, booted, each in a
 * transaction, then sending MeterValues on a steady beat while the test does something to the cluster.
 */
export class LoadFleet {
  readonly chargers: LoadCharger[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  static async start(ocppUrls: readonly string[], api: ApiClient, count: number, prefix: string): Promise<LoadFleet> {
    const fleet = new LoadFleet();
    const serials = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
    await api.put('/api/id-tags/LOADTAG', { status: 'Accepted' });
    for (let i = 0; i < serials.length; i += 50) {
      await Promise.all(serials.slice(i, i + 50).map((serial) => api.put(`/api/chargers/${serial}`, {})));
    }
    for (let i = 0; i < serials.length; i += 50) {
      const batch = serials.slice(i, i + 50);
      const clients = await Promise.all(
        batch.map((serial, j) =>
          connectCharger(ocppUrls[(i + j) % ocppUrls.length] as string, serial, { callTimeoutMs: 45_000 }),
        ),
      );
      for (const [j, serial] of batch.entries()) fleet.chargers.push(new LoadCharger(serial, clients[j] as RPCClient));
    }
    await Promise.all(
      fleet.chargers.map(async (charger) => {
        await charger.call('BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Charge' });
        await charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
        const started = (await charger.call('StartTransaction', {
          connectorId: 1,
          idTag: 'LOADTAG',
          meterStart: charger.registerWh,
          timestamp: new Date().toISOString(),
        })) as { transactionId: number };
        charger.transactionId = started.transactionId;
        await charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
      }),
    );
    return fleet;
  }

  /** Every charger sends a MeterValues, waits for its answer and `intervalMs`, and again, until `stop`. */
  run(intervalMs: number): void {
    this.running = true;
    this.loops = this.chargers.map(async (charger, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * intervalMs) / this.chargers.length));
      while (this.running) {
        charger.registerWh += 100;
        await charger
          .call('MeterValues', {
            connectorId: 1,
            transactionId: charger.transactionId,
            meterValue: [
              {
                timestamp: new Date().toISOString(),
                sampledValue: [
                  { value: String(charger.registerWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
                ],
              },
            ],
          })
          .catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Stops every transaction (after `stop`), each with the register it reached. */
  async stopTransactions(): Promise<void> {
    await Promise.all(
      this.chargers.map((charger) =>
        charger.call('StopTransaction', {
          transactionId: charger.transactionId,
          meterStop: charger.registerWh,
          timestamp: new Date().toISOString(),
          reason: 'Local',
        }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.chargers.map((charger) => charger.client.close({ force: true })));
  }

  /** For each charger, the latency of its first call sent at or after `since`. */
  firstCallLatenciesAfter(since: number): number[] {
    return this.chargers.flatMap((charger) => {
      const first = charger.calls.find((call) => call.sentAt >= since);
      return first === undefined ? [] : [first.answeredAt - first.sentAt];
    });
  }

  get failures(): CallRecord[] {
    return this.chargers.flatMap((charger) => charger.failed);
  }
}
