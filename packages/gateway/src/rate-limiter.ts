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

/** Failed logins per identity in a sliding minute; an identity over the limit is refused without a check. */
export class LoginFailures {
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(limit = 10, windowMs = 60_000) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  blocked(identity: string, now = Date.now()): boolean {
    const entry = this.failures.get(identity);
    if (entry === undefined) return false;
    if (now - entry.since > this.windowMs) {
      this.failures.delete(identity);
      return false;
    }
    return entry.count >= this.limit;
  }

  record(identity: string, now = Date.now()): void {
    const entry = this.failures.get(identity);
    if (entry === undefined || now - entry.since > this.windowMs) {
      // Bounded: a flood of invented identities cannot grow this without limit.
      if (this.failures.size >= 100_000) this.failures.clear();
      this.failures.set(identity, { count: 1, since: now });
    } else {
      entry.count += 1;
    }
  }
}
