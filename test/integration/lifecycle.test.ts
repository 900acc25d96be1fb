import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../harness/api-client.ts';
import { openRawSocket } from '../harness/chargers.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';

describe('connection lifecycle', () => {
  it('on SIGTERM refuses new chargers and closes the others with 1012, in batches over the drain window', async () => {
    const fleetwire = await new FleetwireProcess({ env: { EDGE_DRAIN_WINDOW_S: '3' } }).start();
    const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    const serials = Array.from({ length: 9 }, (_, i) => `EHDRAIN${i}`);
    for (const serial of serials) await api.put(`/api/chargers/${serial}`, {});
    await api.put('/api/chargers/EHLATE01', {});
    const sockets = await Promise.all(serials.map((serial) => openRawSocket(`${fleetwire.ocppUrl}/${serial}`)));
    const closedAt = sockets.map((socket) => socket.closed.then((close) => ({ ...close, at: Date.now() })));

    const stopped = fleetwire.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(openRawSocket(`${fleetwire.ocppUrl}/EHLATE01`)).rejects.toMatchObject({ status: 503 });
    const closes = await Promise.all(closedAt);
    expect(await stopped).toBe(0);

    expect(closes.map((close) => close.code)).toEqual(serials.map(() => 1012));
    const times = closes.map((close) => close.at).sort((a, b) => a - b);
    // Three batches a second apart, not all at once.
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThan(1_500);
  });

  it('drops a peer that stops answering pings', async () => {
    const fleetwire = await new FleetwireProcess({ env: { OCPP_PING_INTERVAL_S: '1' } }).start();
    const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    await api.put('/api/chargers/EHDEAD01', {});
    await api.put('/api/chargers/EHALIVE1', {});
    const alive = await openRawSocket(`${fleetwire.ocppUrl}/EHALIVE1`);
    const dead = new WebSocket(`${fleetwire.ocppUrl}/EHDEAD01`, ['ocpp1.6'], { autoPong: false });
    const closed = new Promise<number>((resolve) => dead.on('close', (code) => resolve(code)));
    const started = Date.now();
    expect(await closed).toBe(1006);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(async () => (await api.get('/api/chargers/EHDEAD01')).body.live.ocpp.connected).toBe(false);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    alive.ws.close(1000);
    await fleetwire.stop();
  });
});
