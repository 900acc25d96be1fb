import type { Logger } from '@fleetwire/telemetry';

const maxSerials = 1_000;

/**
 * Counts the CALLs and frames the gateway refused and says so at info once per interval, with the chargers that
 * refused most: a flooding charger costs one line a minute, not one per frame (each is at debug).
 */
export class RefusalSummary {
  private readonly byCode = new Map<string, number>();
  private readonly bySerial = new Map<string, number>();
  private total = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly log: Logger;

  constructor(log: Logger, intervalMs = 60_000) {
    this.log = log;
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  count(serial: string, code: string): void {
    this.total += 1;
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    if (this.bySerial.has(serial) || this.bySerial.size < maxSerials) {
      this.bySerial.set(serial, (this.bySerial.get(serial) ?? 0) + 1);
    }
  }

  flush(): void {
    if (this.total === 0) return;
    const top = [...this.bySerial].sort((a, b) => b[1] - a[1]).slice(0, 5);
    this.log.info(
      { refused: this.total, byCode: Object.fromEntries(this.byCode), top: Object.fromEntries(top) },
      'CALLs and frames refused since the last summary',
    );
    this.total = 0;
    this.byCode.clear();
    this.bySerial.clear();
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
