/** An electric car as the charger sees it: how much it takes, on how many phases, and when it is full. */
export interface CarModel {
  readonly name: string;
  readonly batteryKWh: number;
  /** The most current the car's on-board charger draws per phase. */
  readonly maxCurrentA: number;
  readonly phases: 1 | 3;
}

export class Car {
  readonly model: CarModel;
  /** Energy in the battery. */
  storedWh: number;
  /** The car stopped drawing on its own (SuspendedEV) while not full. */
  paused = false;

  constructor(model: CarModel, stateOfCharge: number) {
    this.model = model;
    this.storedWh = model.batteryKWh * 1000 * Math.min(1, Math.max(0, stateOfCharge));
  }

  get full(): boolean {
    return this.storedWh >= this.model.batteryKWh * 1000 - 1e-6;
  }

  get roomWh(): number {
    return Math.max(0, this.model.batteryKWh * 1000 - this.storedWh);
  }

  /**
   * What the car would take now: its on-board charger's maximum up to 80 % full, then tapering to a fifth of it
   * at 100 % (the constant-voltage phase of a lithium battery).
   */
  get demandA(): number {
    const stateOfCharge = this.storedWh / (this.model.batteryKWh * 1000);
    if (stateOfCharge <= 0.8) return this.model.maxCurrentA;
    const taper = 1 - ((stateOfCharge - 0.8) / 0.2) * 0.8;
    return Math.max(6, Math.round(this.model.maxCurrentA * taper * 10) / 10);
  }

  /** The current the car draws when `offeredA` is offered: nothing below 6 A (IEC 61851), when paused or full. */
  drawA(offeredA: number): number {
    if (this.paused || this.full || offeredA < 6) return 0;
    return Math.min(offeredA, this.demandA);
  }
}
