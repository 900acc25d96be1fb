import { checkCommand, easeeBudget, fullBudget, refundWrite } from '@fleetwire/command-rules';
import { redacted } from '@fleetwire/redaction';
import { type ChargingProfile, type ClearFilter, clear, install, onEaseeConnector } from '@fleetwire/smart-charging';
import { asInteger, asString, fieldOf } from '../lenient.ts';
import type { CentralOutcome, ChargerContext, ChargerEvent, LocalAuthList, OutgoingCall } from '../model.ts';
import type { Reduction } from '../reduction.ts';
import { applyAvailabilityAnswer } from './availability.ts';
import { callTimer, chargerFacts, endedUnsent, orderCall, remember, withDeadline } from './calls.ts';
import { applyConfigurationAnswer } from './configuration.ts';
import { currentLimitCallSettled } from './current-limit.ts';

type Requested = Extract<ChargerEvent, { type: 'CS_CALL_REQUESTED' }>;
type Settled = Extract<ChargerEvent, { type: 'CS_CALL_SETTLED' }>;

function status(response: unknown): string | undefined {
  return asString(fieldOf(response, 'status'));
}

/** Whether a request id was decided before: a retried request is not decided (and sent) again. */
export function decidedBefore(context: ChargerContext, requestId: string): boolean {
  return (
    context.outgoingCalls[requestId] !== undefined ||
    context.centralCommands.some((command) => command.requestId === requestId)
  );
}

/**
 * An operator's CALL, decided here in the charger's own order of inputs: two requests cannot both pass a rule or
 * spend the same write, and a retried request (same id) is not sent again.
 */
export function requestCall(context: ChargerContext, request: Requested, reduction: Reduction): ChargerContext {
  if (decidedBefore(context, request.requestId)) return context;
  const withRules = { ...context, rules: request.rules };
  const verdict = checkCommand(
    { action: request.action, payload: request.payload, convertToAmps: request.convertToAmps === true },
    request.rules,
    chargerFacts(context, reduction.at),
    reduction.at,
  );
  if (!verdict.ok) {
    return endedUnsent(
      withRules,
      request.requestId,
      request.action,
      request.payload,
      {
        ok: false,
        error: 'refused',
        description: verdict.message,
        rule: verdict.rule,
        ...(verdict.retryAt === undefined ? {} : { retryAt: verdict.retryAt }),
      },
      reduction,
    );
  }
  return orderCall(
    withRules,
    {
      requestId: request.requestId,
      action: request.action,
      payload: verdict.payload,
      timeoutMs: request.timeoutMs,
      origin: 'operator',
      reservedWrite: verdict.profileWrite,
    },
    reduction,
  );
}

function applyLocalList(list: LocalAuthList | null, request: unknown): LocalAuthList {
  const version = asInteger(fieldOf(request, 'listVersion')) ?? 0;
  const updates = (fieldOf(request, 'localAuthorizationList') as unknown[] | undefined) ?? [];
  const entries: Record<string, unknown> =
    asString(fieldOf(request, 'updateType')) === 'Full' ? {} : { ...(list?.entries ?? {}) };
  for (const update of updates) {
    const idTag = asString(fieldOf(update, 'idTag'));
    if (idTag === undefined) continue;
    const info = fieldOf(update, 'idTagInfo');
    // Differential: an entry without idTagInfo is removed from the list (OCPP 1.6 §7.1).
    if (info === undefined) delete entries[idTag];
    else entries[idTag] = info;
  }
  return { version, entries };
}

function clearFilterOf(request: unknown): ClearFilter {
  const id = asInteger(fieldOf(request, 'id'));
  const connectorId = asInteger(fieldOf(request, 'connectorId'));
  const purpose = asString(fieldOf(request, 'chargingProfilePurpose'));
  const stackLevel = asInteger(fieldOf(request, 'stackLevel'));
  return {
    ...(id === undefined ? {} : { id }),
    ...(connectorId === undefined ? {} : { connectorId }),
    ...(purpose === undefined ? {} : { chargingProfilePurpose: purpose }),
    ...(stackLevel === undefined ? {} : { stackLevel }),
  };
}

/** What an accepted (or answered) command changes in what the model knows of the charger. */
function applyAnswer(context: ChargerContext, call: OutgoingCall, response: unknown, at: number): ChargerContext {
  const accepted = status(response) === 'Accepted';
  const { request } = call;
  switch (call.action) {
    case 'SetChargingProfile': {
      if (!accepted) return context;
      const profile = fieldOf(request, 'csChargingProfiles') as ChargingProfile;
      const connectorId = asInteger(fieldOf(request, 'connectorId')) ?? 0;
      const next = { connectorId, profile };
      const installed = install(context.smartCharging.installed, context.rules.easee ? onEaseeConnector(next) : next);
      return { ...context, smartCharging: { ...context.smartCharging, installed } };
    }
    case 'ClearChargingProfile':
      if (!accepted) return context;
      return {
        ...context,
        smartCharging: {
          ...context.smartCharging,
          installed: clear(context.smartCharging.installed, clearFilterOf(request)),
        },
      };
    case 'GetCompositeSchedule':
      return { ...context, smartCharging: { ...context.smartCharging, reported: { at, request, response } } };
    case 'RemoteStartTransaction': {
      const idTag = asString(fieldOf(request, 'idTag'));
      if (!accepted || idTag === undefined) return context;
      const connectorId = asInteger(fieldOf(request, 'connectorId'));
      return {
        ...context,
        remoteStarts: [
          ...context.remoteStarts,
          { requestId: call.requestId, idTag, acceptedAt: at, ...(connectorId === undefined ? {} : { connectorId }) },
        ],
      };
    }
    case 'SendLocalList':
      return accepted ? { ...context, localList: applyLocalList(context.localList, request) } : context;
    case 'ChangeAvailability':
      return applyAvailabilityAnswer(context, request, response);
    case 'ChangeConfiguration':
    case 'GetConfiguration':
      return applyConfigurationAnswer(context, call.action, request, response);
    default:
      return context;
  }
}

/** Whether the charger took the write: a reserved write is spent only then, else given back. */
function wrote(outcome: Settled['outcome']): boolean {
  return outcome.ok && status(outcome.response) === 'Accepted';
}

/** The charger's answer to an ordered CALL: recorded, applied to what the model knows, the write settled. */
export function commandSettled(context: ChargerContext, settled: Settled, reduction: Reduction): ChargerContext {
  const call = context.outgoingCalls[settled.requestId];
  if (call === undefined) return context;
  const outgoingCalls = { ...context.outgoingCalls };
  delete outgoingCalls[settled.requestId];
  let next: ChargerContext = withDeadline(
    { ...context, outgoingCalls, lastSeenAt: settled.outcome.ok ? settled.at : context.lastSeenAt },
    callTimer(settled.requestId),
    undefined,
  );
  if (call.reservedWrite && !wrote(settled.outcome)) {
    const budget = next.smartCharging.writeBudget ?? fullBudget(easeeBudget, settled.at);
    next = {
      ...next,
      smartCharging: { ...next.smartCharging, writeBudget: refundWrite(budget, easeeBudget, settled.at) },
    };
  }
  // An answer may carry a secret too (GetConfiguration of AuthorizationKey): kept and shown redacted.
  const outcome = redacted(settled.outcome) as CentralOutcome;
  next = remember(next, {
    requestId: call.requestId,
    action: call.action,
    request: call.request,
    settledAt: settled.at,
    outcome,
  });
  reduction.emit('command', {
    channel: 'ocpp',
    requestId: call.requestId,
    action: call.action,
    request: call.request,
    outcome,
    ...(call.origin === 'operator' ? {} : { origin: call.origin }),
    ...(call.reservedWrite ? { flashWrite: wrote(settled.outcome) } : {}),
  });
  if (settled.secretChanged === true) {
    reduction.emit('security', { kind: 'AuthorizationKeyChanged', requestId: call.requestId });
  }
  if (settled.outcome.ok) next = applyAnswer(next, call, settled.outcome.response, settled.at);
  return currentLimitCallSettled(next, call, settled.outcome, reduction);
}

/**
 * No answer was recorded in time: the worker that sent the CALL stopped before it could record one. Whether the
 * charger acted on it is unknown, so a write held for it stays spent (the budget errs on the side of the flash).
 */
export function outgoingCallExpired(context: ChargerContext, requestId: string, reduction: Reduction): ChargerContext {
  const call = context.outgoingCalls[requestId];
  if (call === undefined) return context;
  const outgoingCalls = { ...context.outgoingCalls };
  delete outgoingCalls[requestId];
  const outcome: CentralOutcome = {
    ok: false,
    error: 'unknown',
    description: 'no answer was recorded for this command; whether the charger acted on it is unknown',
  };
  reduction.emit('command', { channel: 'ocpp', requestId, action: call.action, request: call.request, outcome });
  return remember(
    { ...context, outgoingCalls },
    { requestId, action: call.action, request: call.request, settledAt: reduction.at, outcome },
  );
}
