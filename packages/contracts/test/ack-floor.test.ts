import { describe, expect, it } from 'vitest';
import { AckFloor } from '../src/ack-floor.ts';

describe('batched acknowledgement of a consumer', () => {
  it('acknowledges only up to the first message not yet done, however they finish', () => {
    const acked: number[] = [];
    const floor = new AckFloor<number>((seq) => acked.push(seq), 1_000);
    const done = [1, 2, 3, 4, 5].map((seq) => floor.delivered(seq, seq));
    done[1]?.();
    done[2]?.();
    floor.flush();
    expect(acked).toEqual([]);
    done[0]?.();
    floor.flush();
    expect(acked).toEqual([3]);
    done[4]?.();
    floor.flush();
    expect(acked).toEqual([3]);
    done[3]?.();
    floor.flush();
    expect(acked).toEqual([3, 5]);
    expect(floor.pending).toBe(0);
  });

  it('sends one ack for a burst of messages done together', async () => {
    const acked: number[] = [];
    const floor = new AckFloor<number>((seq) => acked.push(seq), 5);
    const done = Array.from({ length: 500 }, (_, i) => floor.delivered(i + 1, i + 1));
    for (const markDone of done) markDone();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acked).toEqual([500]);
  });

  it('lets a redelivered message release the floor its first delivery held', () => {
    const acked: number[] = [];
    const floor = new AckFloor<number>((seq) => acked.push(seq), 1_000);
    floor.delivered(1, 1);
    floor.delivered(2, 2)();
    floor.delivered(1, 1)();
    floor.flush();
    expect(acked).toEqual([2]);
  });
});
