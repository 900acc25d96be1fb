/** A fuse that currents add up under: the site's, or a circuit's inside it (amps per phase). */
export interface Constraint {
  readonly id: string;
  readonly limitA: number;
}

/** One charger as the allocation sees it. */
export interface Claimant {
  readonly serial: string;
  /** The fuses its current counts against: the site's, and its circuit's when it is on one. */
  readonly constraints: readonly string[];
  /** Its car takes current now. */
  readonly wants: boolean;
  /** The most it may be given: its own maximum, less when its car draws less than it is offered. */
  readonly capA: number;
  /**
   * What it may be drawing that the site cannot change now (offline, not answering): counted against its fuses at
   * this value, and given nothing new. Absent for a charger the site can steer.
   */
  readonly heldA?: number;
}

/**
 * Shares the capacity of nested fuses among the chargers whose car wants current: max-min fair (the same share for
 * all, a charger that needs less leaves the rest to the others, no fuse above its limit), at least `minA` each or
 * nothing. When not everyone can have `minA`, the chargers first in `claimants` are served and the rest get 0 — the
 * caller orders them so that the queue rotates. Whole amps, as SetDynamicChargerCurrent takes them.
 *
 * Held chargers count at their held current and keep it; everything else that does not want current gets 0.
 */
export function allocate(
  constraints: readonly Constraint[],
  claimants: readonly Claimant[],
  minA: number,
): Map<string, number> {
  const capacity = new Map(constraints.map((constraint) => [constraint.id, constraint.limitA]));
  const allocation = new Map<string, number>();
  for (const claimant of claimants) {
    if (claimant.heldA === undefined) continue;
    allocation.set(claimant.serial, claimant.heldA);
    for (const id of claimant.constraints) capacity.set(id, (capacity.get(id) ?? 0) - claimant.heldA);
  }
  const admitted: { readonly claimant: Claimant; amps: number; active: boolean }[] = [];
  const admittedIn = new Map<string, number>();
  for (const claimant of claimants) {
    if (claimant.heldA !== undefined) continue;
    allocation.set(claimant.serial, 0);
    if (!claimant.wants || claimant.capA < minA) continue;
    const fits = claimant.constraints.every(
      (id) => ((admittedIn.get(id) ?? 0) + 1) * minA <= (capacity.get(id) ?? Number.NEGATIVE_INFINITY),
    );
    if (!fits) continue;
    for (const id of claimant.constraints) admittedIn.set(id, (admittedIn.get(id) ?? 0) + 1);
    admitted.push({ claimant, amps: minA, active: claimant.capA > minA });
  }
  const remaining = new Map(capacity);
  for (const [id, count] of admittedIn) remaining.set(id, (remaining.get(id) ?? 0) - count * minA);
  fill(admitted, remaining);
  for (const share of admitted) share.amps = Math.floor(share.amps + 1e-9);
  topUp(admitted, constraints, capacity);
  for (const share of admitted) allocation.set(share.claimant.serial, share.amps);
  return allocation;
}

/** Progressive filling: raise every active share by the same amount until it reaches its cap or a fuse is full. */
function fill(
  shares: { readonly claimant: Claimant; amps: number; active: boolean }[],
  remaining: Map<string, number>,
) {
  const epsilon = 1e-9;
  for (let round = 0; round <= shares.length; round++) {
    const activeIn = new Map<string, number>();
    let step = Number.POSITIVE_INFINITY;
    for (const share of shares) {
      if (!share.active) continue;
      step = Math.min(step, share.claimant.capA - share.amps);
      for (const id of share.claimant.constraints) activeIn.set(id, (activeIn.get(id) ?? 0) + 1);
    }
    if (activeIn.size === 0) return;
    for (const [id, count] of activeIn) step = Math.min(step, Math.max(0, remaining.get(id) ?? 0) / count);
    for (const share of shares) {
      if (!share.active) continue;
      share.amps += step;
      for (const id of share.claimant.constraints) remaining.set(id, (remaining.get(id) ?? 0) - step);
    }
    for (const share of shares) {
      if (!share.active) continue;
      const full = share.claimant.constraints.some((id) => (remaining.get(id) ?? 0) <= epsilon);
      if (full || share.claimant.capA - share.amps <= epsilon) share.active = false;
    }
  }
}

/** The amps lost to rounding down, one at a time to the first chargers that can still take one. */
function topUp(
  shares: { readonly claimant: Claimant; amps: number }[],
  constraints: readonly Constraint[],
  capacity: Map<string, number>,
): void {
  const used = new Map(constraints.map((constraint) => [constraint.id, 0]));
  for (const share of shares) {
    for (const id of share.claimant.constraints) used.set(id, (used.get(id) ?? 0) + share.amps);
  }
  let given = true;
  while (given) {
    given = false;
    for (const share of shares) {
      if (share.amps + 1 > share.claimant.capA) continue;
      const room = share.claimant.constraints.every(
        (id) => (used.get(id) ?? 0) + 1 <= (capacity.get(id) ?? Number.NEGATIVE_INFINITY) + 1e-9,
      );
      if (!room) continue;
      share.amps += 1;
      for (const id of share.claimant.constraints) used.set(id, (used.get(id) ?? 0) + 1);
      given = true;
    }
  }
}
