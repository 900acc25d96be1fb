import type { SiteReport, SiteReportItem } from '@fleetwire/contracts';
import {
  type ChargerContext,
  type ChargerEvent,
  type DynamicCurrent,
  type SiteMembership,
  streamStaleAfterMs,
} from '../model.ts';
import { observedValue } from '../observed.ts';
import type { Reduction } from '../reduction.ts';
import { withDeadline } from './calls.ts';
import { requestCurrentLimit } from './current-limit.ts';
import { requestCommand } from './easee-commands.ts';
import { confirmSite, isSiteLimit, siteRequestId, siteReset } from './site-membership.ts';

type Allocation = Extract<ChargerEvent, { type: 'SITE_ALLOCATION' }>;

/** A charger reports to its site when something it counts on changes, and at least this often. */
export const siteReportEveryMs = 60_000;
export const siteReportTimer = 'site-report';
/** What an Easee offers when no dynamic limit holds (docs/reference/easee.md §6.2: it jumps to 32 A on plug-in). */
const easeeDefaultA = 32;
const maxChargerCurrentObservation = 47;
const dynamicChargerCurrentObservation = 48;
/** InCurrent_T3..T5: the RMS current per phase terminal (docs/reference/easee.md §4). */
const phaseCurrentObservations = [183, 184, 185];
/** Connector statuses in which a car takes current, or would if it were given some. */
const wantingStatuses = new Set(['Preparing', 'Charging', 'SuspendedEVSE']);
const streamPolicy = { responseTimeoutMs: 60_000, maxAttempts: 3, expiresInMs: 10 * 60_000 };

function streamFresh(context: ChargerContext, at: number): boolean {
  const seen = context.stream.lastSeenAt;
  return seen !== null && at - seen < streamStaleAfterMs;
}

function maximumOf(context: ChargerContext): number {
  const max = observedValue(context.stream, maxChargerCurrentObservation);
  return typeof max === 'number' && max > 0 ? max : easeeDefaultA;
}

function joined(allocation: Allocation['allocation'], at: number): SiteMembership {
  return {
    siteId: allocation.siteId,
    token: allocation.token,
    allocationId: 0,
    amps: 0,
    ttlMinutes: allocation.ttlMinutes,
    receivedAt: at,
    fallbackA: null,
    fallbackSentA: null,
    streamCommands: false,
    confirmedId: null,
    confirmedA: null,
    confirmedAt: null,
    resetAt: null,
    resetAfterId: null,
    reportSeq: 0,
    reported: null,
    reportedAt: null,
  };
}

/**
 * What the charger's site allows it: applied on the channel the current-limit decision picks (the stream's
 * SetDynamicChargerCurrent with its TTL, else the DynamicChargerCurrent key, else a TxDefaultProfile within the
 * flash budget), with the site's offline fallback over the stream when it changed. An allocation from an owner
 * with a lower lease token, or older than one applied, is dropped; `amps` null means the charger left the site.
 */
export function siteAllocation(context: ChargerContext, event: Allocation, reduction: Reduction): ChargerContext {
  const { allocation } = event;
  const at = reduction.at;
  const known = context.site !== null && context.site.siteId === allocation.siteId ? context.site : null;
  if (known !== null) {
    if (allocation.token < known.token) return context;
    if (allocation.token === known.token && allocation.allocationId <= known.allocationId) return context;
  }
  if (allocation.amps === null) {
    if (known === null) return context;
    reduction.emit('site-allocation', { siteId: allocation.siteId, status: 'left' });
    return withDeadline(
      { ...context, site: null, dynamicCurrent: isSiteLimit(context.dynamicCurrent) ? null : context.dynamicCurrent },
      siteReportTimer,
      undefined,
    );
  }
  const base = known ?? joined(allocation, at);
  let next: ChargerContext = {
    ...context,
    site: {
      ...base,
      token: allocation.token,
      allocationId: allocation.allocationId,
      amps: allocation.amps,
      ttlMinutes: allocation.ttlMinutes,
      receivedAt: at,
      fallbackA: allocation.fallbackA,
      streamCommands: event.streamCommands,
    },
  };
  const inFlash = context.dynamicCurrent?.channel === 'ocpp-profile' && isSiteLimit(context.dynamicCurrent);
  if (inFlash && base.confirmedA === allocation.amps && base.resetAt === null) {
    // The profile is in flash and says the same: nothing to write (each write wears the charger).
    return confirmSite(next, allocation.allocationId, allocation.amps, true, at);
  }
  next = requestCurrentLimit(
    next,
    {
      type: 'CURRENT_LIMIT_REQUESTED',
      at,
      requestId: siteRequestId(allocation.siteId, allocation.allocationId),
      amps: allocation.amps,
      ttlMinutes: allocation.ttlMinutes,
      rules: context.rules,
      timeoutMs: 30_000,
      streamCommands: event.streamCommands,
      easeeCommands: streamPolicy,
    },
    reduction,
  );
  const fallbackA = allocation.fallbackA;
  if (fallbackA !== null && fallbackA !== base.fallbackSentA && event.streamCommands && streamFresh(context, at)) {
    next = requestCommand(
      next,
      {
        type: 'EASEE_COMMAND_REQUESTED',
        at,
        requestId: `${siteRequestId(allocation.siteId, allocation.allocationId)}:fallback`,
        name: 'SetDynamicCurrentOfflineFallback',
        args: { currentP1: fallbackA, currentP2: fallbackA, currentP3: fallbackA },
        expiresAt: at + streamPolicy.expiresInMs,
        responseTimeoutMs: streamPolicy.responseTimeoutMs,
        maxAttempts: streamPolicy.maxAttempts,
      },
      reduction,
    );
    next = { ...next, site: { ...(next.site as SiteMembership), fallbackSentA: fallbackA } };
  }
  return next;
}

/**
 * A site allocation the charger has not applied (it was off line when it came, or its command failed): applied
 * when the charger is back — connected again after a boot, or reconnected — unless its command is on its way.
 */
export function applyPendingSite(context: ChargerContext, reduction: Reduction): ChargerContext {
  const site = context.site;
  if (site === null || site.allocationId === 0 || site.confirmedId === site.allocationId) return context;
  const requestId = siteRequestId(site.siteId, site.allocationId);
  const inFlight =
    context.outgoingCalls[requestId] !== undefined ||
    context.outgoingCalls[`${requestId}:profile`] !== undefined ||
    Object.values(context.stream.commands).some((command) => command.requestId === requestId);
  if (inFlight) return context;
  return requestCurrentLimit(
    context,
    {
      type: 'CURRENT_LIMIT_REQUESTED',
      at: reduction.at,
      requestId,
      amps: site.amps,
      ttlMinutes: site.ttlMinutes,
      rules: context.rules,
      timeoutMs: 30_000,
      streamCommands: site.streamCommands,
      easeeCommands: streamPolicy,
    },
    reduction,
  );
}

/** The stream's DynamicChargerCurrent: the allocation taking effect, or a reset the charger did on its own. */
export function siteObserved(
  context: ChargerContext,
  observationId: number,
  value: unknown,
  at: number,
): ChargerContext {
  const site = context.site;
  if (site === null || observationId !== dynamicChargerCurrentObservation || typeof value !== 'number') {
    return context;
  }
  const applied = isSiteLimit(context.dynamicCurrent) ? (context.dynamicCurrent as DynamicCurrent).amps : site.amps;
  if (Math.abs(value - applied) < 0.5) return confirmSite(context, site.allocationId, applied, true, at);
  if (site.confirmedA !== null && value > site.confirmedA + 0.5) return siteReset(context, at);
  return context;
}

/** The most the charger may be drawing now, as its site must count it. */
function ceilingOf(context: ChargerContext, site: SiteMembership, at: number): number {
  const maxA = maximumOf(context);
  if (site.confirmedA === null || site.resetAt !== null) return maxA;
  if (site.confirmedAt !== null && at > site.confirmedAt + site.ttlMinutes * 60_000) return maxA;
  const pending = site.allocationId > (site.confirmedId ?? 0) ? site.amps : 0;
  return Math.min(maxA, Math.max(site.confirmedA, pending));
}

function measuredOf(context: ChargerContext, at: number): number | null {
  if (!streamFresh(context, at)) return null;
  let measured: number | null = null;
  for (const id of phaseCurrentObservations) {
    const value = observedValue(context.stream, id);
    if (typeof value === 'number') measured = Math.max(measured ?? 0, value);
  }
  return measured;
}

function reportOf(context: ChargerContext, site: SiteMembership, at: number): Omit<SiteReport, 'seq'> {
  const fresh = streamFresh(context, at);
  const ocpp = context.session === null ? undefined : (context.connectors['1'] ?? context.connectors['0'])?.status;
  const status = ocpp ?? (fresh ? context.stream.status : null);
  return {
    online: context.session !== null || fresh,
    wants: status !== null && status !== undefined && wantingStatuses.has(status),
    maxCurrentA: maximumOf(context),
    measuredA: measuredOf(context, at),
    ceilingA: ceilingOf(context, site, at),
    confirmedId: site.confirmedId,
    confirmedA: site.confirmedA,
    confirmedAt: site.confirmedAt,
    channel: isSiteLimit(context.dynamicCurrent) ? (context.dynamicCurrent as DynamicCurrent).channel : null,
  };
}

function changed(report: Omit<SiteReport, 'seq'>, last: SiteReport | null): boolean {
  if (last === null) return true;
  const measuredMoved =
    (report.measuredA === null) !== (last.measuredA === null) ||
    Math.abs((report.measuredA ?? 0) - (last.measuredA ?? 0)) >= 1;
  return (
    measuredMoved ||
    report.online !== last.online ||
    report.wants !== last.wants ||
    report.maxCurrentA !== last.maxCurrentA ||
    report.ceilingA !== last.ceilingA ||
    report.confirmedId !== last.confirmedId ||
    report.channel !== last.channel
  );
}

/**
 * After every input of a charger on a site: a report to the site when what the site counts on changed, or when a
 * minute went by without one (the site treats a charger it has not heard from as not answering).
 */
export function reportToSite(context: ChargerContext, at: number, emitted: unknown[]): ChargerContext {
  const site = context.site;
  if (site === null) return context;
  const report = reportOf(context, site, at);
  const due = site.reportedAt === null || at - site.reportedAt >= siteReportEveryMs;
  if (!due && !changed(report, site.reported)) return context;
  const seq = site.reportSeq + 1;
  const sent: SiteReport = { seq, ...report };
  const item: SiteReportItem = {
    id: `${context.serial}:site-report:${seq}`,
    type: 'site-report',
    serial: context.serial,
    at,
    data: { siteId: site.siteId, report: sent },
  };
  emitted.push(item);
  return withDeadline(
    { ...context, site: { ...site, reportSeq: seq, reported: sent, reportedAt: at } },
    siteReportTimer,
    at + siteReportEveryMs,
  );
}
