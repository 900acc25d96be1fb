import type { FleetSnapshot } from './simulated-fleet.ts';

/**
 * What a person watching a simulated fleet sees: a progress bar while it ramps up, then one live summary line.
 * On a terminal the line is redrawn in place; in a log (not a TTY) it is printed now and then instead.
 */
export class FleetConsole {
  private readonly out: NodeJS.WriteStream;
  private live = false;
  private printed = 0;

  constructor(out: NodeJS.WriteStream = process.stdout) {
    this.out = out;
  }

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  progress(started: number, total: number): void {
    const width = 30;
    const filled = Math.round((started / Math.max(1, total)) * width);
    const text = `starting [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${started}/${total} chargers`;
    if (this.tty) this.redraw(text);
    else if (started === total || started % Math.max(1, Math.ceil(total / 4)) < 1) this.line(text);
  }

  summary(snapshot: FleetSnapshot, extra = ''): void {
    const text = summaryText(snapshot) + (extra === '' ? '' : ` · ${extra}`);
    if (this.tty) this.redraw(text);
    else if (this.printed++ % 10 === 0) this.line(text);
  }

  /** A line that stays. */
  line(text: string): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.live = false;
    this.out.write(`${text}\n`);
  }

  private redraw(text: string): void {
    this.out.write(`\r\x1b[2K${text.slice(0, Math.max(20, (this.out.columns ?? 120) - 1))}`);
    this.live = true;
  }
}

export function summaryText(snapshot: FleetSnapshot): string {
  const errors = snapshot.callErrors + snapshot.connectionErrors;
  return [
    `connected ${snapshot.connected}/${snapshot.total}`,
    `charging ${snapshot.charging}`,
    `${Math.round(snapshot.callsPerSecond)} calls/s`,
    `${snapshot.calls} calls`,
    `errors ${errors}`,
  ].join(' · ');
}
