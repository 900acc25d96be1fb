/** The charger's energy register: power is constant between changes, so energy is exact at any instant. */
export class Meter {
  private registerWh: number;
  private since: number;
  private power = 0;

  constructor(registerWh: number, now: number) {
    this.registerWh = registerWh;
    this.since = now;
  }

  get powerW(): number {
    return this.power;
  }

  readWh(now: number): number {
    return this.registerWh + (this.power * Math.max(0, now - this.since)) / 3_600_000;
  }

  /** Changes the power from `now` on; returns the energy delivered since the last change. */
  setPower(powerW: number, now: number): number {
    const before = this.registerWh;
    this.registerWh = this.readWh(now);
    this.since = now;
    this.power = powerW;
    return this.registerWh - before;
  }

  /** Milliseconds until the register reaches `targetWh` at the present power; undefined when it never will. */
  msUntil(targetWh: number, now: number): number | undefined {
    if (this.power <= 0) return undefined;
    return Math.max(0, ((targetWh - this.readWh(now)) * 3_600_000) / this.power);
  }
}
