import { checkCommand } from '@fleetwire/command-rules';
import { chargePointMaxAt } from '@fleetwire/smart-charging';
import { asString, fieldOf } from '../lenient.ts';
import {
  type ChargerContext,
  type ChargerEvent,
  type DynamicCurrent,
  type OutgoingCall,
  streamStaleAfterMs,
} from '../model.ts';
import { observedValue } from '../observed.ts';
import type { Reduction } from '../reduction.ts';
import { chargerFacts, orderCall, withDeadline } from './calls.ts';
import { requestCommand } from './easee-commands.ts';
import { isSiteLimit, siteLimitApplied, siteReset } from './site-membership.ts';

type LimitRequest = Extract<ChargerEvent, { type: 'CURRENT_LIMIT_REQUESTED' }>;
type Settled = Extract<ChargerEvent, { type: 'CS_CALL_SETTLED' }>;

/** The one profile id a current limit over OCPP uses, so each new limit replaces the last. */
export const currentLimitProfileId = 900_001;
const limitEndTimer = 'limit-end';
/** A burst of plug-in and reboot signs applies the limit again once. */
const reapplyQuietMs = 30_000;
const realtimeKey = 'DynamicChargerCurrent';
/** What an Easee offers when no dynamic limit holds (docs/reference/easee.md §6.2: it jumps to 32 A on plug-in). */
const easeeDefaultA = 32;
const maxChargerCurrentObservation = 47;

/** How the stream commands of a limit are sent: the host's policy, kept with the limit for its re-applications. */
const streamPolicy = { responseTimeoutMs: 60_000, maxAttempts: 3, expiresInMs: 10 * 60_000 };

function ttlLeftMinutes(limit: DynamicCurrent, at: number): number {
  return limit.until === null ? 0 : Math.max(1, Math.ceil((limit.until - at) / 60_000));
}

function finished(
  context: ChargerContext,
  limit: DynamicCurrent,
  channel: DynamicCurrent['channel'],
  result: { status: string; error?: string; description?: string; rule?: string; retryAt?: number },
  reduction: Reduction,
  settledId = limit.requestId,
): ChargerContext {
  const applied = result.status === 'accepted';
  reduction.emit('current-limit', {
    requestId: limit.requestId,
    channel,
    requestedA: limit.requestedA,
    amps: limit.amps,
    ttlMinutes: limit.ttlMinutes,
    ...(limit.capA !== null && limit.amps < limit.requestedA
      ? { clamped: { requestedA: limit.requestedA, appliedA: limit.amps, capA: limit.capA } }
      : {}),
    ...result,
  });
  const next: DynamicCurrent = { ...limit, channel, appliedAt: applied ? reduction.at : limit.appliedAt };
  let updated: ChargerContext = { ...context, dynamicCurrent: applied || limit.appliedAt !== null ? next : null };
  if (applied && isSiteLimit(limit)) updated = siteApplied(updated, settledId, limit.amps, reduction);
  if (applied && channel === 'ocpp-key' && limit.until !== null) {
    updated = withDeadline(updated, limitEndTimer, limit.until);
  }
  return updated;
}

/**
 * A site's allocation took effect; if Easee reset the current (a plug-in, a reboot) while its command was on the
 * way, the command may have run before the reset, so the allocation goes again.
 */
function siteApplied(context: ChargerContext, requestId: string, amps: number, reduction: Reduction): ChargerContext {
  const applied = siteLimitApplied(context, requestId, amps, reduction.at);
  return applied.site?.resetAt == null ? applied : reapplyCurrentLimit(applied, 'reset-while-sent', reduction);
}

function reapplyInFlight(context: ChargerContext, limit: DynamicCurrent): boolean {
  const prefix = `${limit.requestId}:again:`;
  return (
    Object.keys(context.outgoingCalls).some((requestId) => requestId.startsWith(prefix)) ||
    Object.values(context.stream.commands).some((command) => command.requestId.startsWith(prefix))
  );
}

function streamFresh(context: ChargerContext, at: number): boolean {
  const seen = context.stream.lastSeenAt;
  return seen !== null && at - seen < streamStaleAfterMs;
}

function sendOverStream(
  context: ChargerContext,
  limit: DynamicCurrent,
  requestId: string,
  reduction: Reduction,
): ChargerContext {
  return requestCommand(
    context,
    {
      type: 'EASEE_COMMAND_REQUESTED',
      at: reduction.at,
      requestId,
      name: 'SetDynamicChargerCurrent',
      args: { current: Math.floor(limit.amps), ttlMinutes: ttlLeftMinutes(limit, reduction.at) },
      expiresAt: reduction.at + streamPolicy.expiresInMs,
      responseTimeoutMs: streamPolicy.responseTimeoutMs,
      maxAttempts: streamPolicy.maxAttempts,
    },
    reduction,
  );
}

function keyCall(amps: number) {
  return { key: realtimeKey, value: String(Math.floor(amps * 10) / 10) };
}

function profileCall(limit: DynamicCurrent, at: number) {
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: currentLimitProfileId,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: new Date(at).toISOString(),
        // A site's allocation in flash stays until the next one: renewing it would spend a write each time.
        ...(limit.until === null || isSiteLimit(limit) ? {} : { duration: Math.round((limit.until - at) / 1000) }),
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: Math.floor(limit.amps * 10) / 10 }],
      },
    },
  };
}

/** The TxDefaultProfile way, which spends a flash write: only when neither the stream nor the key can carry it. */
function sendAsProfile(
  context: ChargerContext,
  limit: DynamicCurrent,
  timeoutMs: number,
  reduction: Reduction,
): ChargerContext {
  const requestId = `${limit.requestId}:profile`;
  const verdict = checkCommand(
    { action: 'SetChargingProfile', payload: profileCall(limit, reduction.at) },
    context.rules,
    chargerFacts(context, reduction.at),
    reduction.at,
  );
  if (!verdict.ok) {
    return finished(
      context,
      limit,
      'ocpp-profile',
      {
        status: 'refused',
        rule: verdict.rule,
        description: verdict.message,
        ...(verdict.retryAt === undefined ? {} : { retryAt: verdict.retryAt }),
      },
      reduction,
    );
  }
  const next = orderCall(
    context,
    {
      requestId,
      action: 'SetChargingProfile',
      payload: verdict.payload,
      timeoutMs,
      origin: 'current-limit-profile',
      reservedWrite: verdict.profileWrite,
    },
    reduction,
  );
  return next.outgoingCalls[requestId] === undefined
    ? finished(next, limit, 'ocpp-profile', { status: 'not-connected' }, reduction)
    : next;
}

/**
 * A real-time limit, the right way for an Easee (docs/reference/easee.md §5.1, §6.7): over the stream
 * (SetDynamicChargerCurrent: volatile, no flash wear) when the charger is heard there, else with the
 * DynamicChargerCurrent configuration key over OCPP, and only when the charger does not take that key, as a
 * TxDefaultProfile within the flash-write budget. Never above an installed ChargePointMaxProfile: Easee would let
 * a TxDefault lift it, so the limit is clamped to the cap and the answer says so.
 */
export function requestCurrentLimit(
  context: ChargerContext,
  request: LimitRequest,
  reduction: Reduction,
): ChargerContext {
  const at = reduction.at;
  if (context.site !== null && !request.requestId.startsWith('site:')) {
    reduction.emit('current-limit', {
      requestId: request.requestId,
      requestedA: request.amps,
      status: 'refused',
      rule: 'site-managed',
      description: `the charger is behind the fuse of site ${context.site.siteId}: set the site's limit instead`,
    });
    return context;
  }
  const withRules: ChargerContext = { ...context, rules: request.rules };
  const capA = request.rules.easee
    ? (chargePointMaxAt(context.smartCharging.installed, at, chargerFacts(context, at)) ?? null)
    : null;
  const limit: DynamicCurrent = {
    requestId: request.requestId,
    requestedA: request.amps,
    amps: capA === null ? request.amps : Math.min(request.amps, capA),
    capA,
    ttlMinutes: request.ttlMinutes,
    until: request.ttlMinutes > 0 ? at + request.ttlMinutes * 60_000 : null,
    channel: 'easee-stream',
    appliedAt: null,
    reappliedAt: null,
  };
  // Only the latest limit is applied again after a reset, and its own end is the only one that matters.
  const pending = withDeadline({ ...withRules, dynamicCurrent: limit }, limitEndTimer, undefined);
  const overKey = request.rules.easee && context.dynamicCurrentKey !== false;
  // A site's allocation goes over OCPP when the charger is connected there: no cloud round trip and no broker in
  // the way, which matters most right after a plug-in reset.
  const siteOverOcpp = request.requestId.startsWith('site:') && overKey && context.session !== null;
  if (request.streamCommands && streamFresh(context, at) && !siteOverOcpp) {
    return sendOverStream(pending, limit, request.requestId, reduction);
  }
  if (overKey) {
    const next = orderCall(
      pending,
      {
        requestId: request.requestId,
        action: 'ChangeConfiguration',
        payload: keyCall(limit.amps),
        timeoutMs: request.timeoutMs,
        origin: 'current-limit',
        reservedWrite: false,
      },
      reduction,
    );
    return next.outgoingCalls[request.requestId] === undefined
      ? finished(next, limit, 'ocpp-key', { status: 'not-connected' }, reduction)
      : { ...next, dynamicCurrent: { ...limit, channel: 'ocpp-key' as const } };
  }
  return sendAsProfile(
    { ...pending, dynamicCurrent: { ...limit, channel: 'ocpp-profile' as const } },
    limit,
    request.timeoutMs,
    reduction,
  );
}

function statusOf(outcome: Settled['outcome']): string {
  return outcome.ok ? (asString(fieldOf(outcome.response, 'status')) ?? 'answered') : outcome.error;
}

/** The answer to one of the OCPP calls of a current limit. */
export function currentLimitCallSettled(
  context: ChargerContext,
  call: OutgoingCall,
  outcome: Settled['outcome'],
  reduction: Reduction,
): ChargerContext {
  const limit = context.dynamicCurrent;
  if (limit === null) return context;
  if (call.origin === 'current-limit-reapply' && call.requestId.startsWith(`${limit.requestId}:again:`)) {
    // A re-application after a reset: only a site needs to hear that it took effect.
    return statusOf(outcome) === 'Accepted' && isSiteLimit(limit)
      ? siteApplied(context, call.requestId, limit.amps, reduction)
      : context;
  }
  const ownCall = call.requestId === limit.requestId || call.requestId === `${limit.requestId}:profile`;
  if (call.origin === 'current-limit' && ownCall) {
    const answer = statusOf(outcome);
    if (answer === 'Accepted') {
      return finished({ ...context, dynamicCurrentKey: true }, limit, 'ocpp-key', { status: 'accepted' }, reduction);
    }
    const unsupported =
      answer === 'Rejected' || answer === 'NotSupported' || (!outcome.ok && outcome.error === 'NotSupported');
    if (!unsupported) {
      return finished(context, limit, 'ocpp-key', { status: 'failed', error: answer }, reduction);
    }
    // This charger does not take the key: the profile, and straight to it next time.
    return sendAsProfile({ ...context, dynamicCurrentKey: false }, limit, 30_000, reduction);
  }
  if (call.origin === 'current-limit-profile' && ownCall) {
    const answer = statusOf(outcome);
    return finished(
      context,
      limit,
      'ocpp-profile',
      answer === 'Accepted' ? { status: 'accepted' } : { status: 'failed', error: answer },
      reduction,
    );
  }
  return context;
}

/** The stream command of the latest limit settled. */
export function currentLimitStreamSettled(
  context: ChargerContext,
  requestId: string,
  status: string,
  reduction: Reduction,
): ChargerContext {
  const limit = context.dynamicCurrent;
  if (limit === null) return context;
  if (limit.requestId === requestId) return finished(context, limit, 'easee-stream', { status }, reduction);
  // A re-application after a reset: only a site needs to hear that it took effect.
  if (requestId.startsWith(`${limit.requestId}:again:`) && status === 'accepted' && isSiteLimit(limit)) {
    return siteApplied(context, requestId, limit.amps, reduction);
  }
  return context;
}

/**
 * Easee resets the dynamic current when a car is plugged in or the charger reboots (docs/reference/easee.md §6.2): the
 * operator's limit, while it lasts, is applied again on the channel that carried it. A profile needs nothing: it
 * is in flash.
 */
export function reapplyCurrentLimit(original: ChargerContext, reason: string, reduction: Reduction): ChargerContext {
  const limit = original.dynamicCurrent;
  const at = reduction.at;
  if (limit?.channel === 'ocpp-profile') return original;
  // The site counts the charger at its maximum until a re-application is confirmed.
  const context = siteReset(original, at);
  if (limit === null || limit.appliedAt === null) return context;
  if (limit.until !== null && limit.until - at < 60_000) return context;
  // A site's allocation goes again after every reset (one re-application on its way at a time: its answer sends
  // another if a reset came after it was sent); an operator's not within 30 s of its last.
  if (isSiteLimit(limit) && reapplyInFlight(context, limit)) return context;
  if (!isSiteLimit(limit) && limit.reappliedAt !== null && at - limit.reappliedAt < reapplyQuietMs) return context;
  if (!isSiteLimit(limit) && at - limit.appliedAt < reapplyQuietMs) return context;
  const requestId = `${limit.requestId}:again:${at}`;
  reduction.emit('current-limit', {
    requestId: limit.requestId,
    channel: limit.channel,
    amps: limit.amps,
    status: 'reapplied',
    reason,
  });
  const next: ChargerContext = { ...context, dynamicCurrent: { ...limit, reappliedAt: at } };
  if (limit.channel === 'easee-stream') return sendOverStream(next, limit, requestId, reduction);
  return orderCall(
    next,
    {
      requestId,
      action: 'ChangeConfiguration',
      payload: keyCall(limit.amps),
      timeoutMs: 30_000,
      origin: 'current-limit-reapply',
      reservedWrite: false,
    },
    reduction,
  );
}

/**
 * The configuration key has no TTL of its own (as far as is known: docs/reference/easee.md §7), so when an OCPP limit
 * ends the charger is given its full current back: MaxChargerCurrent as the stream reports it, else Easee's default.
 */
export function currentLimitEnded(context: ChargerContext, reduction: Reduction): ChargerContext {
  const limit = context.dynamicCurrent;
  if (limit === null || limit.channel !== 'ocpp-key') return context;
  const max = observedValue(context.stream, maxChargerCurrentObservation);
  const amps = typeof max === 'number' && max > 0 ? max : easeeDefaultA;
  reduction.emit('current-limit', { requestId: limit.requestId, channel: limit.channel, status: 'ended', amps });
  return orderCall(
    { ...context, dynamicCurrent: null },
    {
      requestId: `${limit.requestId}:end`,
      action: 'ChangeConfiguration',
      payload: keyCall(amps),
      timeoutMs: 30_000,
      origin: 'current-limit-end',
      reservedWrite: false,
    },
    reduction,
  );
}

export const currentLimitTimer = limitEndTimer;
