import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Car, EaseeChargePoint, SeededRandom, WallClock } from '@fleetwire/simulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { artifactsDir, browserUnavailable, launchChromium } from '../harness/browser.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';

// The dashboard as an operator uses it: `pnpm start`, a token pasted in, a real Chromium, a simulated Easee charger
// on OCPP, and 20,000 registered chargers to find one among.

const unavailable = browserUnavailable();
if (unavailable !== undefined) console.warn(`dashboard tests skipped: ${unavailable}`);

const password = 'dashboard-0123456789';
const serial = 'EHDASH0001';
const card = 'DASHCARD01';
const fleetSize = 20_000;
const bulkSerial = (i: number) => `EHBULK${String(i).padStart(5, '0')}`;

describe.skipIf(unavailable !== undefined)('the dashboard in a real browser', () => {
  const fleetwire = new FleetwireProcess({ env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  let chargePoint: EaseeChargePoint;
  let tokens: { read: string; operate: string };
  let shots = '';

  const signIn = async (token: string) => {
    await page.goto(fleetwire.apiUrl);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  };
  const shoot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    shots = await artifactsDir('dashboard');
    await fleetwire.start();
    api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    tokens = {
      read: (await api.post('/api/tokens', { name: 'wallboard', scopes: ['read'] })).body.token,
      operate: (await api.post('/api/tokens', { name: 'dispatcher', scopes: ['operate'] })).body.token,
    };
    for (let from = 0; from < fleetSize; from += 5_000) {
      const batch = Array.from({ length: 5_000 }, (_, i) => ({ serial: bulkSerial(from + i) }));
      expect((await api.post('/api/chargers/import', batch)).body.failed).toEqual([]);
    }
    await api.put(`/api/chargers/${serial}`, { password });
    await api.put(`/api/id-tags/${card}`, { status: 'Accepted' });
    chargePoint = new EaseeChargePoint({
      serial,
      url: fleetwire.ocppUrl,
      password,
      clock: new WallClock(1),
      random: new SeededRandom(7),
      phases: 3,
      maxCurrentA: 32,
    });
    await chargePoint.start();
    const bootedBy = Date.now() + 15_000;
    while (!chargePoint.isBooted && Date.now() < bootedBy) await sleep(100);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    chargePoint?.stop();
    await fleetwire.stop();
  }, 60_000);

  it('signs in with a token and counts the fleet live: a charger that starts charging moves the count', async () => {
    await page.goto(fleetwire.apiUrl);
    await page.getByLabel('API token').fill('fw_not_a_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');
    await signIn(tokens.operate);
    expect(page.url()).not.toContain(tokens.operate);
    const charging = page.getByTestId('status-Charging');
    await expect.poll(() => page.getByTestId('registered').textContent()).toBe(String(fleetSize + 1));
    expect(await charging.textContent()).toBe('0');
    await chargePoint.plugIn(new Car({ name: 'Test car', batteryKWh: 60, maxCurrentA: 32, phases: 3 }, 0.3));
    expect(await chargePoint.presentCard(card)).toBe('Accepted');
    // No reload: the page follows the event stream.
    await expect.poll(() => charging.textContent(), { timeout: 15_000 }).toBe('1');
    await shoot('fleet');
  });

  it('finds one charger among 20,000 by serial prefix, with the filter in the URL', async () => {
    await page.getByRole('link', { name: 'Chargers' }).click();
    await expect.poll(() => page.getByTestId('row-count').textContent()).toContain('500');
    await shoot('chargers');
    await page.getByLabel('Serial prefix').fill(bulkSerial(12_345));
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('1 chargers');
    expect(await page.getByRole('link', { name: bulkSerial(12_345) }).count()).toBe(1);
    expect(decodeURIComponent(page.url())).toContain(`q=${bulkSerial(12_345)}`);
  });

  it('shows a status change on the charger page within 2 s, without a reload', async () => {
    await page.goto(`${fleetwire.apiUrl}/#/chargers/${serial}`);
    const status = page.getByTestId('connector-1-status');
    await expect.poll(() => status.textContent(), { timeout: 5_000 }).toBe('Charging');
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await chargePoint.setCarPaused(true);
    await expect.poll(() => status.textContent(), { timeout: 2_000, interval: 50 }).toBe('SuspendedEV');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await chargePoint.setCarPaused(false);
    // Its power as a chart (drawn as samples come), and the schedule an Easee applies as steps.
    expect(await page.getByRole('img', { name: 'Power since this page opened' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: 'What the Easee applies' }).count()).toBe(1);
    await shoot('charger');
  });

  it('sets a current limit from the page that reaches the simulated charger', async () => {
    await page.getByLabel('Current limit (A)').fill('10');
    await page.getByRole('button', { name: 'Set current limit' }).click();
    await expect.poll(() => page.getByTestId('outcome').textContent(), { timeout: 15_000 }).toContain('Done');
    await expect.poll(() => chargePoint.offeredCurrentA, { timeout: 10_000 }).toBe(10);
  });

  it('shows the rule that refused an action', async () => {
    await page.getByLabel('Message').selectOption('DiagnosticsStatusNotification');
    await page.getByRole('button', { name: 'Trigger' }).click();
    await expect
      .poll(() => page.getByTestId('outcome').textContent(), { timeout: 10_000 })
      .toContain('rule easee-trigger-message');
  });

  it('offers no action to a read-only token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(tokens.read);
    await page.goto(`${fleetwire.apiUrl}/#/chargers/${serial}`);
    await expect.poll(() => page.getByTestId('connector-1-status').textContent()).toBe('Charging');
    expect(await page.getByRole('button', { name: 'Set current limit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Reset/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Tokens' }).count()).toBe(0);
    await shoot('charger-read-only');
  });

  it('lists transactions, id tags, sites, tokens and the audit trail', async () => {
    await page.goto(`${fleetwire.apiUrl}/#/transactions?serial=${serial}`);
    await expect.poll(() => page.getByRole('cell', { name: card }).count()).toBeGreaterThan(0);
    await shoot('transactions');
    await page.getByRole('link', { name: 'Id tags' }).click();
    await expect.poll(() => page.getByRole('cell', { name: card }).count()).toBe(1);
    await shoot('id-tags');
    await page.getByRole('link', { name: 'Sites' }).click();
    await page.getByRole('heading', { name: 'Sites' }).waitFor();
    await shoot('sites');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(fleetwire.token);
    await page.getByRole('link', { name: 'Tokens' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'wallboard' }).count()).toBe(1);
    await shoot('tokens');
    await page.getByRole('link', { name: 'Audit' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'token.create' }).count()).toBeGreaterThan(0);
    await shoot('audit');
  });
});
