import type { ChargerContext, DynamicCurrent } from '../model.ts';

/** A site's allocation, as a current limit, goes by the request id `site:<siteId>:<allocationId>`. */
const sitePrefix = 'site:';
export const siteRequestId = (siteId: string, allocationId: number) => `${sitePrefix}${siteId}:${allocationId}`;

/** Whether a current limit is a site's allocation rather than an operator's. */
export function isSiteLimit(limit: DynamicCurrent | null): boolean {
  return limit?.requestId.startsWith(sitePrefix) === true;
}

function allocationIdOf(requestId: string): number | undefined {
  const match = /^site:[A-Za-z0-9_-]+:(\d+)/.exec(requestId);
  return match === null ? undefined : Number(match[1]);
}

/**
 * An allocation took effect (its command accepted, or the charger's observation shows it). A reset is undone
 * only by one sent after it: a command sent before may have run before the reset, which then replaced it.
 */
export function confirmSite(
  context: ChargerContext,
  allocationId: number,
  amps: number,
  sentAfterReset: boolean,
  at: number,
): ChargerContext {
  const site = context.site;
  if (site === null || (site.confirmedId !== null && allocationId < site.confirmedId)) return context;
  const resetAt = sentAfterReset ? null : site.resetAt;
  return { ...context, site: { ...site, confirmedId: allocationId, confirmedA: amps, confirmedAt: at, resetAt } };
}

/** Called when a site limit's command was accepted; `requestId` names the allocation (and a re-application). */
export function siteLimitApplied(context: ChargerContext, requestId: string, amps: number, at: number): ChargerContext {
  const site = context.site;
  const allocationId = allocationIdOf(requestId);
  if (site === null || allocationId === undefined || !requestId.startsWith(`${sitePrefix}${site.siteId}:`)) {
    return context;
  }
  const again = /:again:(\d+)$/.exec(requestId);
  const sentAfterReset =
    site.resetAt === null ||
    (again === null ? allocationId > (site.resetAfterId ?? 0) : Number(again[1]) >= site.resetAt);
  return confirmSite(context, allocationId, amps, sentAfterReset, at);
}

/** Easee set the dynamic current back to its maximum (a plug-in, a reboot): counted until applied again. */
export function siteReset(context: ChargerContext, at: number): ChargerContext {
  const site = context.site;
  if (site === null) return context;
  return { ...context, site: { ...site, resetAt: at, resetAfterId: site.allocationId } };
}
