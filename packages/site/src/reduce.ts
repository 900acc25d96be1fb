import { allocate, type Claimant, type Constraint } from './allocate.ts';
import {
  allocationTtlMinutes,
  type ChargerShare,
  joinResendAfterMs,
  loweringDeadlineMs,
  renewAfterMs,
  reportStaleMs,
  resendAfterMs,
  rotationMs,
  type SiteContext,
  type SiteDefinition,
  type SiteEmitted,
  type SiteEvent,
  unknownMaximumA,
  unusedMarginA,
} from './model.ts';

export function initialSiteContext(siteId: string): SiteContext {
  return {
    siteId,
    definition: null,
    temporaryLimit: null,
    shares: {},
    allocationSeq: 0,
    eventSeq: 0,
    deadlines: {},
    overLimitAlerted: false,
  };
}

export interface SiteReduced {
  readonly context: SiteContext;
  readonly emitted: readonly SiteEmitted[];
}

const siteConstraint = 'site';
const circuitConstraint = (id: string) => `circuit:${id}`;
const ttlMs = allocationTtlMinutes * 60_000;

/** Every charger of the site, with the circuit it is on (null: directly behind the site's fuse). */
export function membersOf(definition: SiteDefinition): Map<string, string | null> {
  const members = new Map<string, string | null>();
  for (const serial of definition.chargers) members.set(serial, null);
  for (const circuit of definition.circuits) for (const serial of circuit.chargers) members.set(serial, circuit.id);
  return members;
}

/** The site's limit now: its fuse, or a lower temporary limit while that lasts. */
export function effectiveLimitA(context: SiteContext, at: number): number {
  const fuse = context.definition?.maxCurrentA ?? 0;
  const temporary = context.temporaryLimit;
  if (temporary === null || (temporary.until !== null && temporary.until <= at)) return fuse;
  return Math.min(fuse, temporary.maxCurrentA);
}

export function constraintsOf(context: SiteContext, at: number): Constraint[] {
  const limitA = effectiveLimitA(context, at);
  return [
    { id: siteConstraint, limitA },
    ...(context.definition?.circuits ?? []).map((circuit) => ({
      id: circuitConstraint(circuit.id),
      limitA: Math.min(circuit.maxCurrentA, limitA),
    })),
  ];
}

function constraintIds(share: ChargerShare): string[] {
  return share.circuitId === null ? [siteConstraint] : [siteConstraint, circuitConstraint(share.circuitId)];
}

/**
 * The most a charger may be drawing, as the site must count it: what it reported, or a raise sent since that it
 * has not confirmed, or its maximum when it never reported or its last confirmed allocation has lapsed (the TTL ran
 * out with no renewal reaching it: an Easee then goes back to its own limit).
 */
export function ceilingOf(share: ChargerShare, at: number): number {
  const report = share.report;
  if (report === null) return Math.max(unknownMaximumA, share.allowedA);
  let ceiling = report.ceilingA;
  if (share.allocationId > (report.confirmedId ?? 0)) ceiling = Math.max(ceiling, share.allowedA);
  if (report.confirmedAt !== null && at > report.confirmedAt + ttlMs) ceiling = Math.max(ceiling, report.maxCurrentA);
  return ceiling;
}

/** A charger the site can steer now: heard recently and reachable. */
export function steerable(share: ChargerShare, at: number): boolean {
  return share.report?.online === true && share.reportedAt !== null && at - share.reportedAt < reportStaleMs;
}

/**
 * The most a charger should be given: its maximum, or — while its car has drawn clearly less than it was allowed
 * for a minute — a little more than the car draws, so the rest goes to others. Between the two the share stays as
 * it is, so that a measured current moving by an amp does not send a new allocation.
 */
function capOf(share: ChargerShare, minA: number, at: number): number {
  const report = share.report;
  if (report === null) return unknownMaximumA;
  const maxA = report.maxCurrentA;
  const measured = report.measuredA;
  if (measured === null || share.allowedA < minA) return maxA;
  if (measured >= share.allowedA - 0.5) return maxA;
  const settled = report.confirmedAt !== null && at - report.confirmedAt >= 60_000;
  if (settled && share.allowedA - measured > unusedMarginA) return Math.max(minA, Math.ceil(measured) + 1);
  return Math.min(maxA, share.allowedA);
}

class SiteReduction {
  readonly emitted: SiteEmitted[] = [];
  readonly at: number;
  private readonly siteId: string;
  private eventSeq: number;
  allocationSeq: number;

  constructor(context: SiteContext, at: number) {
    this.siteId = context.siteId;
    this.at = at;
    this.eventSeq = context.eventSeq;
    this.allocationSeq = context.allocationSeq;
  }

  event(type: 'site-allocation' | 'alert', data: Record<string, unknown>): void {
    this.eventSeq += 1;
    this.emitted.push({ id: `site:${this.siteId}:${this.eventSeq}`, type, serial: this.siteId, at: this.at, data });
  }

  allocation(serial: string, amps: number | null, fallbackA: number | null): number {
    this.allocationSeq += 1;
    this.emitted.push({
      id: `site:${this.siteId}:alloc:${this.allocationSeq}`,
      type: 'allocation',
      serial,
      at: this.at,
      data: {
        siteId: this.siteId,
        allocationId: this.allocationSeq,
        amps,
        ttlMinutes: allocationTtlMinutes,
        fallbackA,
      },
    });
    return this.allocationSeq;
  }

  seal(context: SiteContext): SiteContext {
    return context.eventSeq === this.eventSeq && context.allocationSeq === this.allocationSeq
      ? context
      : { ...context, eventSeq: this.eventSeq, allocationSeq: this.allocationSeq };
  }
}

const emptyShare = (circuitId: string | null): ChargerShare => ({
  circuitId,
  report: null,
  reportedAt: null,
  allowedA: 0,
  allocationId: 0,
  sentAt: null,
  wantingSince: null,
  servedSince: null,
  loweringSince: null,
  joinsUnanswered: 0,
});

/** What each charger falls back to without its cloud: a share of the tightest fuse that keeps every fuse safe. */
export function fallbackOf(context: SiteContext, at: number): number | null {
  const definition = context.definition;
  if (definition === null) return null;
  if (definition.fallbackCurrentA !== undefined) return definition.fallbackCurrentA;
  const members = membersOf(definition);
  const count = (circuitId: string | null) =>
    circuitId === null ? members.size : [...members.values()].filter((id) => id === circuitId).length;
  let fallback = Math.floor(effectiveLimitA(context, at) / Math.max(1, count(null)));
  for (const circuit of definition.circuits) {
    fallback = Math.min(fallback, Math.floor(circuit.maxCurrentA / Math.max(1, count(circuit.id))));
  }
  return fallback >= definition.minCurrentA ? fallback : 0;
}

/**
 * Works out the fair share of every charger and sends what is safe to send now: every lowering at once, a raise
 * only when it fits under every fuse with every other charger counted at the most it may be drawing (so a raise
 * waits for the lowerings it needs to be confirmed), and renewals of allocations halfway through their TTL.
 */
function rebalance(context: SiteContext, reduction: SiteReduction): SiteContext {
  const definition = context.definition;
  if (definition === null) return context;
  const at = reduction.at;
  const minA = definition.minCurrentA;
  const constraints = constraintsOf(context, at);
  const limits = new Map(constraints.map((constraint) => [constraint.id, constraint.limitA]));
  const entries = Object.entries(context.shares);
  const group = ([, share]: [string, ChargerShare]): number => {
    if (!steerable(share, at) || share.report?.wants !== true) return 3;
    if (share.servedSince !== null) return at - share.servedSince < rotationMs ? 0 : 2;
    return 1;
  };
  const since = ([, share]: [string, ChargerShare]) => share.servedSince ?? share.wantingSince ?? at;
  const ordered = [...entries].sort((a, b) => group(a) - group(b) || since(a) - since(b) || (a[0] < b[0] ? -1 : 1));
  const claimants: Claimant[] = ordered.map(([serial, share]) => {
    const steer = steerable(share, at);
    return {
      serial,
      constraints: constraintIds(share),
      wants: steer && share.report?.wants === true,
      capA: steer ? capOf(share, minA, at) : 0,
      ...(steer ? {} : { heldA: ceilingOf(share, at) }),
    };
  });
  const targets = allocate(constraints, claimants, minA);
  const shares: Record<string, ChargerShare> = { ...context.shares };
  const ceilings = new Map(entries.map(([serial, share]) => [serial, ceilingOf(share, at)]));
  const fallbackA = fallbackOf(context, at);
  const changed: Record<string, number> = {};
  const send = (serial: string, amps: number) => {
    const share = shares[serial] as ChargerShare;
    const allocationId = reduction.allocation(serial, amps, fallbackA);
    const lowering = amps < share.allowedA || share.allocationId === 0;
    shares[serial] = {
      ...share,
      allowedA: amps,
      allocationId,
      sentAt: at,
      loweringSince: lowering ? (share.loweringSince ?? at) : share.loweringSince,
    };
    if (amps !== share.allowedA || share.allocationId === 0) changed[serial] = amps;
  };
  const fits = (serial: string, amps: number) => {
    const share = shares[serial] as ChargerShare;
    const own = ceilings.get(serial) ?? 0;
    return constraintIds(share).every((id) => {
      let total = 0;
      for (const [other, otherShare] of Object.entries(shares)) {
        if (other !== serial && constraintIds(otherShare).includes(id)) total += ceilings.get(other) ?? 0;
      }
      return total + Math.max(own, amps) <= (limits.get(id) ?? 0);
    });
  };
  const raises: [string, number][] = [];
  for (const [serial, share] of entries) {
    // A charger the site never heard of learns it is on the site from its first allocation, 0 until it reports.
    const joinDue =
      share.report === null &&
      (share.allocationId === 0 || at - (share.sentAt ?? 0) >= joinResendAfterMs(share.joinsUnanswered));
    if (joinDue) {
      send(serial, 0);
      shares[serial] = { ...(shares[serial] as ChargerShare), joinsUnanswered: share.joinsUnanswered + 1 };
    }
    if (!steerable(share, at)) continue;
    const target = targets.get(serial) ?? 0;
    // A charger's first allocation is at most what it may draw already (its maximum): never a raise.
    const first = share.allocationId === 0 && target <= (ceilings.get(serial) ?? 0);
    if (first || target < share.allowedA) send(serial, target);
    else if (target > share.allowedA) raises.push([serial, target]);
  }
  raises.sort(
    (a, b) => a[1] - (shares[a[0]] as ChargerShare).allowedA - (b[1] - (shares[b[0]] as ChargerShare).allowedA),
  );
  for (const [serial, target] of raises) {
    if (!fits(serial, target)) continue;
    send(serial, target);
    ceilings.set(serial, Math.max(ceilings.get(serial) ?? 0, target));
  }
  for (const [serial, share] of Object.entries(shares)) {
    if (!steerable(share, at) || share.sentAt === null) continue;
    // Renewed halfway through its TTL; sent again when the charger, reachable, has not applied it after a while.
    const unconfirmed = (share.report?.confirmedId ?? 0) < share.allocationId && at - share.sentAt >= resendAfterMs;
    if (at - share.sentAt >= renewAfterMs || unconfirmed) send(serial, share.allowedA);
  }
  // When a car that waited takes the turn of one served for a full rotation, the others served as long start a
  // new turn too: the queue moves one step per rotation, not at every rebalance.
  const due = new Set(ordered.filter((entry) => group(entry) === 2).map(([serial]) => serial));
  const rotated = [...due].some((serial) => (targets.get(serial) ?? 0) < minA);
  for (const [serial, share] of Object.entries(shares)) {
    const wants = steerable(share, at) && share.report?.wants === true;
    const served = share.allowedA >= minA;
    const newTurn = rotated && due.has(serial);
    const next: ChargerShare = {
      ...share,
      wantingSince: wants && !served ? (share.wantingSince ?? at) : null,
      servedSince: wants && served ? (newTurn ? at : (share.servedSince ?? at)) : null,
    };
    if (next.wantingSince !== share.wantingSince || next.servedSince !== share.servedSince) shares[serial] = next;
  }
  let next: SiteContext = { ...context, shares };
  if (Object.keys(changed).length > 0) {
    reduction.event('site-allocation', {
      siteId: context.siteId,
      limitA: effectiveLimitA(context, at),
      changed,
      queued: Object.entries(shares)
        .filter(([, share]) => share.wantingSince !== null)
        .map(([serial]) => serial),
    });
  }
  next = watchOverLimit(next, reduction, ceilings, limits);
  return withDeadlines(next, at);
}

/** The fuses whose sum of ceilings is over their limit now. */
export function overLimit(context: SiteContext, at: number, ceilings?: ReadonlyMap<string, number>): string[] {
  const over: string[] = [];
  for (const constraint of constraintsOf(context, at)) {
    let total = 0;
    for (const [serial, share] of Object.entries(context.shares)) {
      if (constraintIds(share).includes(constraint.id)) total += ceilings?.get(serial) ?? ceilingOf(share, at);
    }
    if (total > constraint.limitA) over.push(constraint.id);
  }
  return over;
}

/**
 * Over a fuse in the worst case (every charger at the most it may be drawing) and a lowering not confirmed in
 * time: an alert, once, until the site is within its limits again.
 */
function watchOverLimit(
  context: SiteContext,
  reduction: SiteReduction,
  ceilings: ReadonlyMap<string, number>,
  limits: ReadonlyMap<string, number>,
): SiteContext {
  const at = reduction.at;
  const over = overLimit(context, at, ceilings);
  if (over.length === 0) return context.overLimitAlerted ? { ...context, overLimitAlerted: false } : context;
  const late = Object.entries(context.shares).filter(
    ([, share]) => share.loweringSince !== null && at - share.loweringSince >= loweringDeadlineMs,
  );
  if (late.length === 0 || context.overLimitAlerted) return context;
  reduction.event('alert', {
    kind: 'site-over-limit-risk',
    siteId: context.siteId,
    fuses: over.map((id) => ({ id, limitA: limits.get(id) })),
    unconfirmed: late.map(([serial, share]) => ({ serial, allowedA: share.allowedA, since: share.loweringSince })),
  });
  return { ...context, overLimitAlerted: true };
}

function withDeadlines(context: SiteContext, at: number): SiteContext {
  const deadlines: Record<string, number> = {};
  const earliest = (name: string, time: number | null) => {
    // What is due now was dealt with by the rebalance that just ran; a deadline in the past would fire for ever.
    if (time === null || time <= at) return;
    if (deadlines[name] === undefined || time < (deadlines[name] as number)) deadlines[name] = time;
  };
  const waiting = Object.values(context.shares).some((share) => share.wantingSince !== null);
  for (const share of Object.values(context.shares)) {
    const sentAt = share.sentAt;
    if (sentAt !== null && share.report === null) {
      earliest('join', sentAt + joinResendAfterMs(share.joinsUnanswered));
    }
    if (sentAt !== null && steerable(share, at)) {
      earliest('renew', sentAt + renewAfterMs);
      if ((share.report?.confirmedId ?? 0) < share.allocationId) earliest('resend', sentAt + resendAfterMs);
      if (share.loweringSince !== null) {
        earliest('lowering', Math.max(share.loweringSince, sentAt) + loweringDeadlineMs);
      }
    }
    if (share.loweringSince !== null && !context.overLimitAlerted) {
      earliest('alert', share.loweringSince + loweringDeadlineMs);
    }
    if (share.reportedAt !== null) earliest('stale', share.reportedAt + reportStaleMs);
    // Lapsed once past the TTL (strictly after).
    if (share.report?.confirmedAt != null) earliest('lapse', share.report.confirmedAt + ttlMs + 1);
    if (waiting && share.servedSince !== null) earliest('rotate', share.servedSince + rotationMs);
  }
  const until = context.temporaryLimit?.until ?? null;
  if (until !== null && until > at) earliest('limit-end', until);
  const same =
    Object.keys(deadlines).length === Object.keys(context.deadlines).length &&
    Object.entries(deadlines).every(([name, time]) => context.deadlines[name] === time);
  return same ? context : { ...context, deadlines };
}

function define(context: SiteContext, definition: SiteDefinition, reduction: SiteReduction): SiteContext {
  const members = membersOf(definition);
  const shares: Record<string, ChargerShare> = {};
  for (const [serial, circuitId] of members) {
    const known = context.shares[serial];
    shares[serial] = known === undefined ? emptyShare(circuitId) : { ...known, circuitId };
  }
  for (const serial of Object.keys(context.shares)) {
    if (!members.has(serial)) reduction.allocation(serial, null, null);
  }
  return { ...context, definition, shares };
}

function reported(
  context: SiteContext,
  event: Extract<SiteEvent, { type: 'CHARGER_REPORTED' }>,
  reduction: SiteReduction,
): SiteContext {
  const share = context.shares[event.serial];
  if (share === undefined) {
    // A charger that still thinks it is on this site: told it is not.
    reduction.allocation(event.serial, null, null);
    return context;
  }
  if (share.report !== null && event.report.seq <= share.report.seq) return context;
  const confirmed = event.report.confirmedId !== null && event.report.confirmedId >= share.allocationId;
  const next: ChargerShare = {
    ...share,
    report: event.report,
    reportedAt: event.at,
    loweringSince: confirmed ? null : share.loweringSince,
    joinsUnanswered: 0,
  };
  return { ...context, shares: { ...context.shares, [event.serial]: next } };
}

/** Applies one input to a site. Pure: the same context and event always give the same result. */
export function reduceSite(context: SiteContext, event: SiteEvent): SiteReduced {
  const reduction = new SiteReduction(context, event.at);
  let next = context;
  switch (event.type) {
    case 'SITE_DEFINED':
      next = rebalance(define(context, event.definition, reduction), reduction);
      break;
    case 'SITE_REMOVED':
      for (const serial of Object.keys(context.shares)) reduction.allocation(serial, null, null);
      next = { ...context, definition: null, temporaryLimit: null, shares: {}, deadlines: {} };
      break;
    case 'LIMIT_SET':
      next = rebalance(
        {
          ...context,
          temporaryLimit: event.maxCurrentA === null ? null : { maxCurrentA: event.maxCurrentA, until: event.until },
        },
        reduction,
      );
      break;
    case 'CHARGER_REPORTED':
      next = rebalance(reported(context, event, reduction), reduction);
      break;
    case 'TIMER': {
      if (context.deadlines[event.name] !== event.deadline) return { context, emitted: [] };
      next = context;
      if (event.name === 'lowering') {
        // Lowerings past their deadline are sent again (the next rebalance re-sends a lowering only if the share
        // changed); the alert is raised by the over-limit watch.
        const shares = { ...context.shares };
        for (const [serial, share] of Object.entries(context.shares)) {
          if (share.loweringSince === null || !steerable(share, event.at)) continue;
          if (event.at - Math.max(share.loweringSince, share.sentAt ?? 0) < loweringDeadlineMs) continue;
          const allocationId = reduction.allocation(serial, share.allowedA, fallbackOf(context, event.at));
          shares[serial] = { ...share, allocationId, sentAt: event.at };
        }
        next = { ...context, shares };
      }
      if (event.name === 'limit-end') next = { ...next, temporaryLimit: null };
      next = rebalance(next, reduction);
      break;
    }
  }
  return { context: reduction.seal(next), emitted: reduction.emitted };
}
