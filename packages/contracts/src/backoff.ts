import { setTimeout as sleep } from 'node:timers/promises';

/** The waits between attempts: `firstMs`, then doubled each time, never above `maxMs`. */
export interface Backoff {
  readonly firstMs: number;
  readonly maxMs: number;
}

/**
 * Runs `attempt` until it succeeds, waiting the backoff between tries. After each failure `giveUp(error, waitMs)`
 * says whether to stop instead of waiting `waitMs` for the next try; the error is thrown then.
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  backoff: Backoff,
  giveUp: (error: unknown, waitMs: number) => boolean,
): Promise<T> {
  for (let waitMs = backoff.firstMs; ; waitMs = Math.min(waitMs * 2, backoff.maxMs)) {
    try {
      return await attempt();
    } catch (error) {
      if (giveUp(error, waitMs)) throw error;
      await sleep(waitMs);
    }
  }
}
