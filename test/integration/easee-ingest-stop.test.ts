import type { StreamMessage } from '@fleetwire/easee';
import { EaseeBridge } from '@fleetwire/easee-bridge';
import { FakeEaseeCloud } from '@fleetwire/simulator';
import { createLogger } from '@fleetwire/telemetry';
import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { easeeOperator, freshVhost } from '../harness/rabbit.ts';

const total = 1_000;

describe('an ingest stopping with operator-queue messages in hand', () => {
  it('finishes them and acknowledges them before it closes: the queue keeps none it forwarded', async () => {
    const amqpUrl = await freshVhost('ingest-stop');
    const cloud = await new FakeEaseeCloud(amqpUrl, '31').start();
    const operator = easeeOperator('31');
    const forwarded: StreamMessage[] = [];
    let stopping: Promise<void> | undefined;
    const bridge: EaseeBridge = new EaseeBridge({
      stream: {
        amqpUrl,
        queue: cloud.queue,
        exchange: cloud.exchange,
        originApplication: operator.originApplication,
        contentType: 'application/json',
      },
      port: {
        publish: async (_shard, message) => {
          forwarded.push(message);
          // The stop comes while this message and its acknowledgement are still in hand.
          if (forwarded.length === total) stopping = bridge.stop();
        },
        park: async () => {},
      },
      commands: { consume: () => ({ close: async () => {} }) },
      shardCount: 16,
      logger: createLogger({ level: 'silent' }),
      prefetch: 500,
    });
    try {
      for (let i = 0; i < total; i++) {
        await cloud.observe(
          `EHSTOP${i % 20}`,
          124,
          1_000 + i,
          new Date(Date.UTC(2026, 11, 1) + i * 1_000).toISOString(),
        );
      }
      await bridge.start();
      await expect.poll(() => forwarded.length, { timeout: 30_000 }).toBe(total);
      await stopping;
      expect(forwarded).toHaveLength(total);
      const connection = await connect(amqpUrl);
      try {
        const channel = await connection.createChannel();
        // Closed with its connection: whatever it had not acknowledged is back in the queue.
        expect((await channel.checkQueue(cloud.queue)).messageCount).toBe(0);
      } finally {
        await connection.close();
      }
    } finally {
      await bridge.stop();
      await cloud.stop();
    }
  });
});
