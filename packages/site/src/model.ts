import type { SiteDefinition, SiteReport } from '@fleetwire/contracts';

export type { CircuitDefinition, SiteDefinition } from '@fleetwire/contracts';

/** What a charger's actor tells its site: the contract's record (`@fleetwire/contracts`). */
export type ChargerReport = SiteReport;

/** The site's view of one of its chargers. */
export interface ChargerShare {
  readonly circuitId: string | null;
  readonly report: ChargerReport | null;
  readonly reportedAt: number | null;
  /** What the site allows the charger now: its last allocation (0 before any), by id, and when it was sent. */
  readonly allowedA: number;
  readonly allocationId: number;
  readonly sentAt: number | null;
  /** Since when its car has wanted current without being served, and since when it is served. */
  readonly wantingSince: number | null;
  readonly servedSince: number | null;
  /** A lowering sent and not yet confirmed, since when. */
  readonly loweringSince: number | null;
  /** How many times the site told it it is on the site without hearing from it (the next waits twice as long). */
  readonly joinsUnanswered: number;
}

export interface TemporaryLimit {
  readonly maxCurrentA: number;
  /** Server time it ends; null: until changed. */
  readonly until: number | null;
}

export interface SiteContext {
  readonly siteId: string;
  readonly definition: SiteDefinition | null;
  readonly temporaryLimit: TemporaryLimit | null;
  readonly shares: Readonly<Record<string, ChargerShare>>;
  /** The id of the newest allocation sent; each allocation a charger gets has a higher one. */
  readonly allocationSeq: number;
  /** Counts the site's events; the next one gets `eventSeq + 1`. */
  readonly eventSeq: number;
  readonly deadlines: Readonly<Record<string, number>>;
  /** Set once the over-limit-risk alert was raised, until the site is within its limits again. */
  readonly overLimitAlerted: boolean;
}

export type SiteEvent =
  | { readonly type: 'SITE_DEFINED'; readonly at: number; readonly definition: SiteDefinition }
  | { readonly type: 'SITE_REMOVED'; readonly at: number }
  | {
      readonly type: 'LIMIT_SET';
      readonly at: number;
      /** null lifts the temporary limit. */
      readonly maxCurrentA: number | null;
      readonly until: number | null;
    }
  | { readonly type: 'CHARGER_REPORTED'; readonly at: number; readonly serial: string; readonly report: ChargerReport }
  | { readonly type: 'TIMER'; readonly at: number; readonly name: string; readonly deadline: number };

/** An allocation for a charger's actor to apply (`fw.site-alloc.<shard>.<serial>`); `amps` null: it left the site. */
export interface AllocationOrder {
  readonly id: string;
  readonly type: 'allocation';
  readonly serial: string;
  readonly at: number;
  readonly data: {
    readonly siteId: string;
    readonly allocationId: number;
    readonly amps: number | null;
    readonly ttlMinutes: number;
    readonly fallbackA: number | null;
  };
}

/** A fleet event of the site (published like a charger's, with the site id where a serial would be). */
export interface SiteFleetEvent {
  readonly id: string;
  readonly type: 'site-allocation' | 'alert';
  readonly serial: string;
  readonly at: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export type SiteEmitted = AllocationOrder | SiteFleetEvent;

/** A charger whose maximum the site has not heard counts at Easee's default maximum. */
export const unknownMaximumA = 32;
/** Allocations carry this TTL; they are sent again halfway through it. */
export const allocationTtlMinutes = 10;
export const renewAfterMs = (allocationTtlMinutes * 60_000) / 2;
/** An allocation a reachable charger has not applied after this long is sent again. */
export const resendAfterMs = 15_000;
/**
 * A charger the site has not heard from is told again that it is on the site (its first allocation may have been
 * published while nobody hosted its shard): after this, then twice as long each time, up to the renewal interval.
 */
export function joinResendAfterMs(joinsUnanswered: number): number {
  return Math.min(renewAfterMs, resendAfterMs * 2 ** Math.max(0, joinsUnanswered - 1));
}
/** A lowering not confirmed by then is an over-limit risk: alerted and sent again. */
export const loweringDeadlineMs = 30_000;
/** A charger that has not reported for this long is not answering: it keeps what it may be drawing. */
export const reportStaleMs = 3 * 60_000;
/** When not every car can have the minimum, a charger served this long gives its turn to one that waits. */
export const rotationMs = 10 * 60_000;
/** A car drawing this much less than it is offered leaves the difference to the others. */
export const unusedMarginA = 2;
