import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from '../src/index.ts';

describe('retryWithBackoff', () => {
  it('tries again after doubling waits, capped, until the attempt succeeds', async () => {
    const waits: number[] = [];
    let attempts = 0;
    const result = await retryWithBackoff(
      async () => {
        attempts += 1;
        if (attempts < 5) throw new Error(`attempt ${attempts}`);
        return 'done';
      },
      { firstMs: 1, maxMs: 4 },
      (_error, waitMs) => {
        waits.push(waitMs);
        return false;
      },
    );
    expect(result).toBe('done');
    expect(waits).toEqual([1, 2, 4, 4]);
  });

  it('throws the last error when told to give up', async () => {
    let attempts = 0;
    const failing = retryWithBackoff(
      async () => {
        attempts += 1;
        throw new Error(`attempt ${attempts}`);
      },
      { firstMs: 1, maxMs: 1 },
      () => attempts >= 3,
    );
    await expect(failing).rejects.toThrow('attempt 3');
  });
});
