import { Car } from './car.ts';
import type { EaseeChargePoint } from './easee-charge-point.ts';
import type { Incident, Range, Scenario } from './scenario.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimClock, SimTimer } from './sim-clock.ts';

const minute = 60_000;
const maxCardAttempts = 20;

/**
 * Lives a scenario on one charge point: cars arrive, authorize, charge, pause, fault, lose power and leave, cycle
 * after cycle. Every choice comes from the charger's own seeded random, so a seed replays the same story.
 */
export class ScenarioDriver {
  private readonly chargePoint: EaseeChargePoint;
  private readonly scenario: Scenario;
  private readonly clock: SimClock;
  private readonly random: SeededRandom;
  private readonly idTags: readonly string[];
  private running = false;
  private readonly timers = new Set<SimTimer>();
  private readonly wakers = new Set<() => void>();

  constructor(
    chargePoint: EaseeChargePoint,
    scenario: Scenario,
    clock: SimClock,
    random: SeededRandom,
    idTags: readonly string[],
  ) {
    this.chargePoint = chargePoint;
    this.scenario = scenario;
    this.clock = clock;
    this.random = random;
    this.idTags = idTags;
  }

  /** Runs cycles until stopped; resolves when it has stopped. */
  async run(): Promise<void> {
    this.running = true;
    const chargingAtStart = this.random.chance(this.scenario.chargingAtStart ?? 0);
    if (!chargingAtStart && !(await this.sleep(this.minutes(this.scenario.cycle.idleMinutes)))) return;
    while (this.running) {
      await this.cycle();
      if (!(await this.sleep(this.minutes(this.scenario.cycle.idleMinutes)))) return;
    }
  }

  stop(): void {
    this.running = false;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  private async cycle(): Promise<void> {
    const { cycle, cars } = this.scenario;
    const model = cars[this.weightedIndex(cars.map((car) => car.weight))] as Scenario['cars'][number];
    const car = new Car(model, this.random.between(...cycle.arrivalStateOfCharge));
    const stayMs = this.minutes(cycle.stayMinutes);
    const arrivedAt = this.clock.now();
    await this.chargePoint.plugIn(car);
    await this.authorize();
    for (const incident of this.plan(stayMs)) {
      if (!(await this.sleep(incident.at - (this.clock.now() - arrivedAt)))) return;
      await incident.happen();
    }
    if (!(await this.sleep(stayMs - (this.clock.now() - arrivedAt)))) return;
    await this.chargePoint.unplug();
  }

  private async authorize(): Promise<void> {
    const weights = this.scenario.cycle.authorization;
    const how = this.random.weighted({
      card: weights.card ?? 0,
      unknownCard: weights.unknownCard ?? 0,
      freeCharging: weights.freeCharging ?? 0,
      remoteStart: weights.remoteStart ?? 0,
    });
    // Free charging starts on plug-in; a remote start comes from the central system's operator.
    if (how !== 'card' && how !== 'unknownCard') return;
    const [soonestS, latestS] = this.scenario.cycle.cardAfterSeconds ?? [3, 20];
    if (!(await this.sleep(this.random.between(soonestS * 1000, latestS * 1000)))) return;
    const idTag = how === 'card' ? this.random.pick(this.idTags) : `UNKNOWN${Math.floor(this.random.next() * 1e6)}`;
    // Refused for want of a connection: the driver waits by the charger and tries again, as a person does. Any
    // other answer is final.
    for (let attempt = 1; attempt <= maxCardAttempts; attempt++) {
      const answer = await this.chargePoint.presentCard(idTag);
      if (answer !== 'Offline' && answer !== 'NoAnswer') return;
      if (!(await this.sleep(this.random.between(30_000, 60_000)))) return;
    }
  }

  /** The incidents of this stay, each at a moment within it, in time order. */
  private plan(stayMs: number): { at: number; happen: () => Promise<void> }[] {
    const { pause, fault, reboot, powerCut } = this.scenario.cycle;
    const planned: { at: number; happen: () => Promise<void> }[] = [];
    const at = () => this.random.between(0.1, 0.8) * stayMs;
    if (this.occurs(pause)) {
      const lasting = this.minutes(pause?.minutes ?? [5, 15]);
      planned.push({
        at: at(),
        happen: async () => {
          await this.chargePoint.setCarPaused(true);
          if (await this.sleep(lasting)) await this.chargePoint.setCarPaused(false);
        },
      });
    }
    if (this.occurs(fault)) {
      const lasting = this.minutes(fault?.minutes ?? [1, 5]);
      const code = this.random.pick(fault?.codes ?? (['GroundFailure'] as const));
      planned.push({
        at: at(),
        happen: async () => {
          await this.chargePoint.raiseFault(code);
          if (await this.sleep(lasting)) await this.chargePoint.clearFault();
        },
      });
    }
    if (this.occurs(reboot)) planned.push({ at: at(), happen: () => this.chargePoint.reboot('Reboot', false) });
    if (this.occurs(powerCut)) {
      const lasting = this.minutes(powerCut?.minutes ?? [1, 5]);
      planned.push({ at: at(), happen: () => this.chargePoint.reboot('PowerLoss', false, lasting) });
    }
    return planned.sort((a, b) => a.at - b.at);
  }

  private occurs(incident: Incident | undefined): boolean {
    return incident !== undefined && this.random.chance(incident.chance);
  }

  private minutes(range: Range): number {
    return this.random.between(range[0], range[1]) * minute;
  }

  private weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let draw = this.random.next() * total;
    for (let i = 0; i < weights.length; i++) {
      draw -= weights[i] as number;
      if (draw < 0) return i;
    }
    return weights.length - 1;
  }

  /** Waits `ms` of simulated time; false when the driver was stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => resolve(false);
      this.wakers.add(wake);
      const timer = this.clock.after(Math.max(0, ms), () => {
        this.timers.delete(timer);
        this.wakers.delete(wake);
        resolve(this.running);
      });
      this.timers.add(timer);
    });
  }
}
