import { setTimeout as sleep } from 'node:timers/promises';
import { shardOf } from '@fleetwire/contracts';
import { LocalCluster } from '@fleetwire/devcluster';
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { type ReceivedCall, recordingCharger } from '../harness/recording-charger.ts';

const shards = 16;

const profile = (limit: number, id: number) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: id,
    stackLevel: 1,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: '2026-01-01T00:00:00.000Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
    },
  },
});

describe("the flash-write budget across a cluster's edges and a hand-over", () => {
  const cluster = new LocalCluster({
    edges: 2,
    workers: 2,
    shards,
    shardLeaseTtlS: 5,
    env: { OCPP_CALL_TIMEOUT_MS: '5000' },
  });
  let apis: ApiClient[];
  const clients: RPCClient[] = [];

  beforeAll(async () => {
    await cluster.start();
    apis = [0, 1].map((edge) => new ApiClient(cluster.apiUrl(edge), cluster.apiToken));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close({ force: true })));
    await cluster.stop();
  }, 120_000);

  async function chargerWithWritesLeft(serial: string, left: number, answerAfterMs = 0) {
    await apis[0]?.put(`/api/chargers/${serial}`, {});
    let counting = false;
    const charger = await recordingCharger(cluster.ocppUrl(0), serial, {
      // Slow answers keep writes in flight while the shard changes hands.
      SetChargingProfile: async () => {
        if (counting) await sleep(answerAfterMs);
        return { status: 'Accepted' };
      },
    });
    clients.push(charger.client);
    for (let write = 0; write < 25 - left; write++) {
      const reply = await apis[write % 2]?.post(
        `/api/chargers/${serial}/ocpp/SetChargingProfile`,
        profile(6 + (write % 20), 100 + write),
      );
      expect(reply?.status).toBe(200);
    }
    counting = true;
    return charger;
  }

  const writes = (received: ReceivedCall[]) => received.filter((call) => call.method === 'SetChargingProfile').length;

  it('lets two writes through of ten sent at once through two edges', async () => {
    const { received } = await chargerWithWritesLeft('EHEDGES01', 2);
    const before = writes(received);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (apis[i % 2] as ApiClient).post('/api/chargers/EHEDGES01/ocpp/SetChargingProfile', profile(7 + i, 200 + i)),
      ),
    );
    expect(writes(received) - before).toBe(2);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 409, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('spends no write twice when the charger moves to another worker in the middle of a burst', async () => {
    const serial = 'EHHANDOVR';
    const { received } = await chargerWithWritesLeft(serial, 3, 700);
    const before = writes(received);
    const owners = await cluster.leaseOwners();
    const owner = cluster.workers.find((worker) => worker.id === owners.get(shardOf(serial, shards)));
    expect(owner).toBeDefined();
    const burst = Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        await sleep(i * 60);
        return (apis[i % 2] as ApiClient).post(
          `/api/chargers/${serial}/ocpp/SetChargingProfile`,
          profile(7 + i, 300 + i),
        );
      }),
    );
    await sleep(150);
    // SIGTERM: the worker hands its shards over while requests are in flight, then a new one starts.
    expect(await cluster.restart(owner as NonNullable<typeof owner>)).toBe(0);
    const replies = await burst;
    await cluster.settled();
    const reached = writes(received) - before;
    const answeredOk = replies.filter((reply) => reply.status === 200).length;
    const schedule = await (apis[0] as ApiClient).get(`/api/chargers/${serial}/charging-schedule`);
    const remaining = schedule.body.writeBudget.remaining as number;
    console.log(
      'hand-over mid-burst',
      JSON.stringify({ statuses: replies.map((reply) => reply.status), reached, remaining }),
    );
    expect(reached).toBeLessThanOrEqual(3);
    expect(answeredOk).toBeLessThanOrEqual(reached);
    // Every write that reached the charger is spent, once: what is left is at most what was not sent.
    expect(remaining).toBeLessThanOrEqual(3 - reached);
    expect(remaining).toBeGreaterThanOrEqual(0);
    for (const reply of replies) expect([200, 409, 503, 504]).toContain(reply.status);
  });
});
