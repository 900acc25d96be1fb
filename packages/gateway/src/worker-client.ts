import { type Bus, NoRespondersError, RemoteError, RequestTimeoutError } from '@fleetwire/bus';
import type { CallOutcome, ChargerCallRequest, ChargerSessionEvent } from '@fleetwire/contracts';
import { retryWithBackoff, subjects } from '@fleetwire/contracts';

/** The worker that owns the shard is moving, or not there yet: try again until the deadline. */
function isRetriable(error: unknown): boolean {
  if (error instanceof NoRespondersError || error instanceof RequestTimeoutError) return true;
  return error instanceof RemoteError && /^(not-owner|busy):/.test(error.message);
}

/**
 * Sends to the worker owning a charger's shard, retrying across a hand-over (the worker answers a redelivered
 * CALL from its snapshot, so a retry after a lost reply is not applied twice).
 */
export class WorkerClient {
  private readonly bus: Bus;
  private readonly attemptTimeoutMs: number;

  /**
   * `attemptTimeoutMs` bounds the wait on one worker: a request delivered to a worker that then died is never
   * answered, and the charger should not wait out its whole deadline for it. A healthy worker answers in
   * milliseconds; a slow one that answers the retry too answers from its snapshot.
   */
  constructor(bus: Bus, attemptTimeoutMs = 5_000) {
    this.bus = bus;
    this.attemptTimeoutMs = attemptTimeoutMs;
  }

  private async withRetries<T>(subject: string, data: unknown, deadline: number, stop?: () => boolean): Promise<T> {
    return retryWithBackoff(
      () =>
        this.bus.request<T>(subject, data, {
          timeoutMs: Math.max(1, Math.min(deadline - Date.now(), this.attemptTimeoutMs)),
        }),
      // Short: a shard is back as soon as its new owner subscribes, and a charger is waiting.
      { firstMs: 25, maxMs: 250 },
      (error, waitMs) => !isRetriable(error) || Date.now() + waitMs >= deadline || stop?.() === true,
    );
  }

  call(shard: number, serial: string, request: ChargerCallRequest, deadline: number): Promise<CallOutcome> {
    return this.withRetries(subjects.chargerCall(shard, serial), request, deadline);
  }

  session(
    shard: number,
    serial: string,
    event: ChargerSessionEvent,
    deadline: number,
    stop?: () => boolean,
  ): Promise<unknown> {
    return this.withRetries(subjects.chargerSession(shard, serial), event, deadline, stop);
  }
}
