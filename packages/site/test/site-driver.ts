import {
  type AllocationOrder,
  type ChargerReport,
  initialSiteContext,
  reduceSite,
  type SiteContext,
  type SiteDefinition,
  type SiteEmitted,
  type SiteEvent,
} from '../src/index.ts';

/** A charger as its actor would report it to the site: it applies allocations when told to, resets on plug-in. */
export class FakeCharger {
  readonly serial: string;
  maxCurrentA = 32;
  wants = false;
  online = true;
  measuredA: number | null = null;
  /** Allocations received and not yet applied, oldest first. */
  readonly inbox: AllocationOrder['data'][] = [];
  confirmed: { id: number; amps: number; at: number } | null = null;
  pendingA: number | null = null;
  reset = false;
  private seq = 0;

  constructor(serial: string) {
    this.serial = serial;
  }

  /** The most it may be drawing. */
  get ceilingA(): number {
    if (this.reset || this.confirmed === null) return Math.max(this.maxCurrentA, this.pendingA ?? 0);
    return Math.max(this.confirmed.amps, this.pendingA ?? 0);
  }

  /** What it offers a car now: its confirmed allocation, or its maximum before any or after a reset. */
  get offeredA(): number {
    return this.reset || this.confirmed === null ? this.maxCurrentA : this.confirmed.amps;
  }

  receive(order: AllocationOrder['data']): void {
    if (order.amps === null) return;
    this.inbox.push(order);
    this.pendingA = Math.max(this.pendingA ?? 0, order.amps);
  }

  /** Applies the oldest allocation it received (its command accepted). */
  applyOne(at: number): boolean {
    const order = this.inbox.shift();
    if (order === undefined || order.amps === null) return false;
    this.confirmed = { id: order.allocationId, amps: order.amps, at };
    this.reset = false;
    this.pendingA = this.inbox.length === 0 ? null : Math.max(...this.inbox.map((queued) => queued.amps ?? 0));
    return true;
  }

  report(): ChargerReport {
    this.seq += 1;
    return {
      seq: this.seq,
      online: this.online,
      wants: this.wants,
      maxCurrentA: this.maxCurrentA,
      measuredA: this.measuredA,
      ceilingA: this.ceilingA,
      confirmedId: this.confirmed?.id ?? null,
      confirmedA: this.confirmed?.amps ?? null,
      confirmedAt: this.confirmed?.at ?? null,
      channel: 'easee-stream',
    };
  }
}

/** Drives one site's model with a simulated clock and fake chargers, collecting what it emits. */
export class SiteDriver {
  now = Date.parse('2026-12-01T08:00:00.000Z');
  context: SiteContext;
  readonly emitted: SiteEmitted[] = [];
  readonly chargers = new Map<string, FakeCharger>();

  constructor(definition: SiteDefinition) {
    this.context = initialSiteContext(definition.siteId);
    for (const serial of [...definition.chargers, ...definition.circuits.flatMap((circuit) => circuit.chargers)]) {
      this.chargers.set(serial, new FakeCharger(serial));
    }
    this.send({ type: 'SITE_DEFINED', at: this.now, definition });
  }

  charger(serial: string): FakeCharger {
    return this.chargers.get(serial) as FakeCharger;
  }

  send(event: SiteEvent): void {
    const reduced = reduceSite(this.context, event);
    this.context = reduced.context;
    for (const item of reduced.emitted) {
      this.emitted.push(item);
      if (item.type === 'allocation') this.chargers.get(item.serial)?.receive(item.data);
    }
  }

  report(serial: string): void {
    this.send({ type: 'CHARGER_REPORTED', at: this.now, serial, report: this.charger(serial).report() });
  }

  /** Every charger applies what it received and reports, until the site sends nothing new. */
  settle(): void {
    for (let pass = 0; pass < 10; pass++) {
      const sent = this.orders().length;
      for (const [serial, charger] of this.chargers) {
        while (charger.applyOne(this.now)) {}
        this.report(serial);
      }
      if (this.orders().length === sent) return;
    }
  }

  advance(ms: number): void {
    this.now += ms;
    for (const [name, deadline] of Object.entries(this.context.deadlines)) {
      if (deadline <= this.now) this.send({ type: 'TIMER', at: this.now, name, deadline });
    }
  }

  orders(serial?: string): AllocationOrder[] {
    return this.emitted.filter(
      (item): item is AllocationOrder => item.type === 'allocation' && (serial === undefined || item.serial === serial),
    );
  }

  allowed(serial: string): number {
    return this.context.shares[serial]?.allowedA ?? 0;
  }
}

export const definition = (overrides: Partial<SiteDefinition> = {}): SiteDefinition => ({
  siteId: 'SITE1',
  maxCurrentA: 63,
  phases: 3,
  minCurrentA: 6,
  chargers: ['EH1', 'EH2', 'EH3'],
  circuits: [],
  ...overrides,
});
