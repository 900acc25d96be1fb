/** A token bucket: `perSecond` sustained, `burst` at once. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly perSecond: number;
  private readonly burst: number;

  constructor(perSecond: number, burst: number, now = Date.now()) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Wrong passwords per source address and identity, answered ever more slowly (50 ms, doubling, at most 5 s),
 * forgotten after ten quiet minutes. The right password is checked first and always passes, so nobody who merely
 * knows a serial can lock its charger out; what a guesser gains is a slower line, and the delayed answers count
 * against the gateway's bound on handshakes in progress.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetAfterMs: number;

  constructor(baseMs = 50, maxMs = 5_000, forgetAfterMs = 600_000) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.forgetAfterMs = forgetAfterMs;
  }

  /** Records a wrong attempt; answers how long to wait before saying so. */
  failed(key: string, now = Date.now()): number {
    let entry = this.failures.get(key);
    if (entry === undefined || now - entry.lastAt > this.forgetAfterMs) {
      // Bounded: a flood of invented sources and identities cannot grow this without limit.
      if (this.failures.size >= 100_000) this.failures.clear();
      entry = { count: 0, lastAt: now };
      this.failures.set(key, entry);
    }
    entry.count += 1;
    entry.lastAt = now;
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(entry.count - 1, 20));
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
