import type { SiteAllocation } from '@fleetwire/contracts';
import { describe, expect, it } from 'vitest';
import { ChargerDriver } from './driver.ts';

const boot = { chargePointVendor: 'Easee', chargePointModel: 'Easee Home' };

function allocate(driver: ChargerDriver, allocationId: number, amps: number | null): void {
  const allocation: SiteAllocation = { siteId: 'S1', token: 1, allocationId, amps, ttlMinutes: 10, fallbackA: 8 };
  driver.send({ type: 'SITE_ALLOCATION', at: driver.now, allocation, streamCommands: false });
}

/** The DynamicChargerCurrent values the charger was sent over OCPP, with the request each went by. */
function keyWrites(driver: ChargerDriver): { requestId: string; value: string }[] {
  return driver
    .orders()
    .filter((order) => order.data.action === 'ChangeConfiguration')
    .map((order) => ({ requestId: order.data.requestId, value: (order.data.payload as { value: string }).value }));
}

function lastReport(driver: ChargerDriver) {
  return driver.eventsOf('site-report' as never).at(-1)?.data.report as
    | { ceilingA: number; confirmedId: number | null }
    | undefined;
}

function online(): ChargerDriver {
  const driver = new ChargerDriver();
  driver.connect();
  driver.call('BootNotification', boot);
  driver.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  return driver;
}

describe('a charger on a site', () => {
  it('applies an allocation that came while it was off line once it has booted', () => {
    const driver = new ChargerDriver();
    allocate(driver, 1, 0);
    expect(keyWrites(driver)).toEqual([]);
    driver.connect();
    driver.call('BootNotification', boot);
    expect(keyWrites(driver).map((write) => write.value)).toEqual(['0']);
  });

  it('applies its allocation again when a reboot came while the command was on its way', () => {
    const driver = online();
    allocate(driver, 1, 10);
    const [first] = keyWrites(driver);
    // The charger reboots before it answers: the command may have run before Easee's reset.
    driver.advance(500);
    driver.connect('s2');
    driver.call('BootNotification', boot);
    driver.answer(first?.requestId as string, { status: 'Accepted' });
    expect(lastReport(driver)?.ceilingA).toBe(32);
    const writes = keyWrites(driver);
    expect(writes.length).toBe(2);
    expect(writes.at(-1)?.value).toBe('10');
    driver.answer(writes.at(-1)?.requestId as string, { status: 'Accepted' });
    expect(lastReport(driver)).toMatchObject({ ceilingA: 10, confirmedId: 1 });
  });

  it('applies its allocation again on every plug-in, however soon after the last re-application', () => {
    const driver = online();
    allocate(driver, 1, 12);
    driver.answer(keyWrites(driver)[0]?.requestId as string, { status: 'Accepted' });
    for (const gapMs of [2_000, 1_000]) {
      driver.advance(gapMs);
      driver.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
      expect(lastReport(driver)?.ceilingA).toBe(32);
      const again = keyWrites(driver).at(-1);
      expect(again?.value).toBe('12');
      driver.answer(again?.requestId as string, { status: 'Accepted' });
      expect(lastReport(driver)?.ceilingA).toBe(12);
      driver.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    }
  });

  it("refuses an operator's current limit: the site owns the charger's current", () => {
    const driver = online();
    allocate(driver, 1, 16);
    driver.send({
      type: 'CURRENT_LIMIT_REQUESTED',
      at: driver.now,
      requestId: 'op-1',
      amps: 32,
      ttlMinutes: 0,
      rules: { easee: true, txProfile: false },
      timeoutMs: 30_000,
      streamCommands: false,
      easeeCommands: { responseTimeoutMs: 60_000, maxAttempts: 3, expiresInMs: 600_000 },
    });
    expect(driver.eventsOf('current-limit').at(-1)?.data).toMatchObject({ requestId: 'op-1', rule: 'site-managed' });
    expect(keyWrites(driver).map((write) => write.value)).toEqual(['16']);
  });
});
