import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessBus } from '@fleetwire/bus';
import { subjects } from '@fleetwire/contracts';
import type { ChargerRegistry } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type GatewayOptions, OcppGateway } from '../src/gateway.ts';

/** A registry whose reads take `delayMs`, as a store under a storm's load does; every serial is registered. */
function slowRegistry(delayMs: number): ChargerRegistry {
  const at = new Date().toISOString();
  const registry: Pick<ChargerRegistry, 'get'> = {
    get: async (serial) => {
      await sleep(delayMs);
      return { serial, registeredAt: at, updatedAt: at };
    },
  };
  return registry as ChargerRegistry;
}

const running: { gateway: OcppGateway; server: Server }[] = [];

afterEach(async () => {
  for (const { gateway, server } of running.splice(0)) {
    await gateway.close();
    server.close();
  }
});

async function edge(options: Partial<GatewayOptions> & { registryDelayMs: number }): Promise<number> {
  const bus = new InProcessBus();
  // The worker's side of a session, acknowledged at once: what is measured here is the handshake.
  for (let shard = 0; shard < 4; shard++) bus.serve(subjects.chargerSessionsOfShard(shard), async () => ({ ok: true }));
  const gateway = new OcppGateway({
    bus,
    registry: slowRegistry(options.registryDelayMs),
    logger: createLogger({ level: 'silent' }),
    shardCount: 4,
    edgeId: 'edge-turns',
    autoRegister: false,
    callTimeoutMs: 1_000,
    pingIntervalS: 0,
    ...options,
  });
  const server = createServer();
  gateway.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  running.push({ gateway, server });
  return (server.address() as AddressInfo).port;
}

/** `count` chargers opening their WebSocket at the same moment: how many got in, and the statuses of the rest. */
async function burst(port: number, count: number): Promise<{ opened: number; refused: number[] }> {
  const outcomes = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/EHTURN${i}`, 'ocpp1.6');
          ws.once('open', () => {
            resolve(101);
            ws.terminate();
          });
          ws.once('unexpected-response', (request, response) => {
            resolve(response.statusCode ?? 0);
            request.destroy();
          });
          ws.on('error', () => resolve(0));
        }),
    ),
  );
  return { opened: outcomes.filter((status) => status === 101).length, refused: outcomes.filter((s) => s !== 101) };
}

describe('handshakes in a reconnect storm', () => {
  it('lets a burst far above the handshakes in progress wait its turn instead of refusing it', async () => {
    const port = await edge({ maxPendingHandshakes: 4, registryDelayMs: 20 });
    const { opened, refused } = await burst(port, 200);
    expect(refused).toEqual([]);
    expect(opened).toBe(200);
  });

  it('refuses with 503 what does not fit in the bounded queue', async () => {
    // Reads slower than the burst takes to arrive: no slot frees while it does.
    const port = await edge({ maxPendingHandshakes: 4, maxQueuedHandshakes: 10, registryDelayMs: 1_000 });
    const { opened, refused } = await burst(port, 200);
    expect(opened).toBe(14);
    expect(refused).toEqual(Array.from({ length: 186 }, () => 503));
  });

  it('answers 503 to a handshake that waited longer than it may, rather than keep it waiting', async () => {
    const port = await edge({ maxPendingHandshakes: 1, maxHandshakeWaitMs: 100, registryDelayMs: 50 });
    const { opened, refused } = await burst(port, 20);
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan(6);
    expect(refused).toEqual(Array.from({ length: 20 - opened }, () => 503));
  });
});
