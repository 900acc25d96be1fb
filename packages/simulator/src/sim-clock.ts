/** A pending timer of a simulation clock. */
export interface SimTimer {
  cancel(): void;
}

/**
 * The time a simulated charger lives in. Real runs use wall time, sped up for demos; tests advance a manual clock,
 * so that a charger's three-minute heartbeat or a kWh of charging takes no real time.
 */
export interface SimClock {
  /** Milliseconds since the epoch, in simulated time. */
  now(): number;
  /**
   * Simulated milliseconds per real millisecond. A duration the central system sets in its own time (a TTL) lasts
   * this many times longer in simulated time.
   */
  readonly speed: number;
  /** Runs `callback` after `delayMs` of simulated time. */
  after(delayMs: number, callback: () => void): SimTimer;
}

/** Wall time, `speed` times faster: one real second is `speed` simulated seconds. */
export class WallClock implements SimClock {
  readonly speed: number;
  private readonly origin = Date.now();

  constructor(speed = 1) {
    if (!(speed > 0)) throw new Error('clock speed must be positive');
    this.speed = speed;
  }

  now(): number {
    return this.origin + (Date.now() - this.origin) * this.speed;
  }

  after(delayMs: number, callback: () => void): SimTimer {
    let timer: NodeJS.Timeout;
    const arm = (remainingMs: number) => {
      // setTimeout takes at most 2^31 - 1 ms (about 24.8 days); longer waits are chained.
      const step = Math.min(Math.max(0, remainingMs), maxTimeoutMs);
      timer = setTimeout(() => (remainingMs > maxTimeoutMs ? arm(remainingMs - maxTimeoutMs) : callback()), step);
      timer.unref?.();
    };
    arm(delayMs / this.speed);
    return { cancel: () => clearTimeout(timer) };
  }
}

const maxTimeoutMs = 2 ** 31 - 1;

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Time that moves only when a test advances it; timers fire in due order. */
export class ManualClock implements SimClock {
  readonly speed = 1;
  private current: number;
  private order = 0;
  private scheduled: Scheduled[] = [];

  constructor(start = Date.UTC(2026, 10, 22, 8, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(delayMs: number, callback: () => void): SimTimer {
    const entry: Scheduled = {
      at: this.current + Math.max(0, delayMs),
      order: this.order++,
      callback,
      cancelled: false,
    };
    this.scheduled.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing each timer that falls due at its own time. */
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      this.scheduled = this.scheduled.filter((entry) => !entry.cancelled);
      const due = this.scheduled
        .filter((entry) => entry.at <= until)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (due === undefined) break;
      this.scheduled.splice(this.scheduled.indexOf(due), 1);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = until;
  }

  get pendingTimers(): number {
    return this.scheduled.filter((entry) => !entry.cancelled).length;
  }
}
