import { expect } from 'vitest';
import type { ApiClient } from '../harness/api-client.ts';
import { readAllEvents } from '../harness/event-stream.ts';
import type { LoadFleet } from '../harness/load-fleet.ts';

export interface AuditCounts {
  readonly chargers: number;
  readonly ackedMeterValues: number;
  readonly meterEvents: number;
  readonly transactions: number;
  readonly duplicates: number;
  readonly missing: number;
}

/**
 * After the fleet stopped its transactions: every acknowledged input is in FW_EVENTS exactly once, and every
 * charger has exactly one transaction, stopped at the register it last reported.
 */
export async function auditFleet(natsUrl: string, api: ApiClient, fleet: LoadFleet): Promise<AuditCounts> {
  const events = await readAllEvents(natsUrl);
  const bySerial = new Map<string, typeof events>();
  for (const event of events) {
    const list = bySerial.get(event.serial) ?? [];
    list.push(event);
    bySerial.set(event.serial, list);
  }
  let ackedMeterValues = 0;
  let meterEvents = 0;
  let duplicates = 0;
  let missing = 0;
  const transactionIds = new Set<number>();
  for (const charger of fleet.chargers) {
    const own = bySerial.get(charger.serial) ?? [];
    expect(new Set(own.map((event) => event.id)).size, `${charger.serial} event ids`).toBe(own.length);
    const ackedRegisters = charger.acked
      .filter((call) => call.action === 'MeterValues')
      .map((call) => (call.payload as any).meterValue[0].sampledValue[0].value as string);
    const seenRegisters = own
      .filter((event) => event.type === 'meter-values')
      .map((event) => String(event.data.readings[0].samples[0].value));
    ackedMeterValues += ackedRegisters.length;
    meterEvents += seenRegisters.length;
    duplicates += seenRegisters.length - new Set(seenRegisters).size;
    missing += ackedRegisters.filter((register) => !seenRegisters.includes(register)).length;
    expect(
      own.filter((event) => event.type === 'transaction-started'),
      `${charger.serial} starts`,
    ).toHaveLength(1);
    expect(
      own.filter((event) => event.type === 'status').map((event) => event.data.status),
      `${charger.serial} statuses`,
    ).toEqual(['Preparing', 'Charging']);
    transactionIds.add(charger.transactionId as number);
  }
  expect(transactionIds.size, 'distinct transaction ids').toBe(fleet.chargers.length);
  for (const charger of fleet.chargers) {
    const lastAcked = charger.acked.filter((call) => call.action === 'MeterValues').at(-1);
    const lastMeterWh = Number((lastAcked?.payload as any)?.meterValue[0].sampledValue[0].value);
    await expect
      .poll(async () => (await api.get(`/api/transactions?serial=${charger.serial}`)).body.items, { timeout: 15_000 })
      .toEqual([
        expect.objectContaining({
          id: charger.transactionId,
          status: 'stopped',
          meterStopWh: charger.registerWh,
          lastMeterWh,
        }),
      ]);
  }
  return {
    chargers: fleet.chargers.length,
    ackedMeterValues,
    meterEvents,
    transactions: transactionIds.size,
    duplicates,
    missing,
  };
}
