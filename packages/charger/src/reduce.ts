import type { CallOutcome } from '@fleetwire/contracts';
import { blipTimer, heldTooLong } from './handlers/availability.ts';
import { callTimer, orderCall } from './handlers/calls.ts';
import { commandSettled, outgoingCallExpired, requestCall } from './handlers/central-commands.ts';
import { currentLimitEnded, currentLimitTimer, requestCurrentLimit } from './handlers/current-limit.ts';
import { commandResponse, commandTimedOut, requestCommand } from './handlers/easee-commands.ts';
import { answer } from './handlers/index.ts';
import { applyPendingSite, reportToSite, siteAllocation } from './handlers/site.ts';
import { showStatus } from './handlers/status.ts';
import { channelsDisagree, observation } from './handlers/stream.ts';
import { CallRefusal } from './lenient.ts';
import {
  type ChargerContext,
  type ChargerEvent,
  type ChargerInput,
  disagreementAfterMs,
  type EmittedEvent,
  easeeHeartbeatS,
  type StreamState,
  silenceFactor,
} from './model.ts';
import { Reduction } from './reduction.ts';

export const initialStreamState: StreamState = {
  observations: {},
  lastSeenAt: null,
  status: null,
  session: null,
  recentSessions: [],
  commands: {},
  recentCommands: [],
  disagreementAlerted: false,
};

export function initialContext(input: ChargerInput): ChargerContext {
  return {
    serial: input.serial,
    heartbeatIntervalS: input.heartbeatIntervalS,
    session: null,
    latestConnectAt: 0,
    lastSeenAt: null,
    boot: null,
    connectors: {},
    transactions: [],
    recentStarts: [],
    recentStops: [],
    lastCall: null,
    firmware: null,
    diagnostics: null,
    deadlines: {},
    eventSeq: 0,
    stream: initialStreamState,
    ...initialCommandState,
    ...initialDecisionState,
  };
}

/** The parts of the context that came with the operator API's commands (machine version 2). */
export const initialCommandState = {
  centralCommands: [],
  remoteStarts: [],
  smartCharging: { installed: [], writeBudget: null, reported: null },
  localList: null,
  recentTransactions: [],
} satisfies Partial<ChargerContext>;

/** The parts that came with decisions inside the mailbox (machine version 3). */
export const initialDecisionState = {
  rules: { easee: true, txProfile: false },
  outgoingCalls: {},
  configuration: {},
  availability: { wanted: {}, held: {} },
  dynamicCurrent: null,
  dynamicCurrentKey: null,
  site: null,
} satisfies Partial<ChargerContext>;

export interface Reduced {
  readonly context: ChargerContext;
  readonly events: readonly EmittedEvent[];
}

function withDeadline(context: ChargerContext, name: string, deadline: number | undefined): ChargerContext {
  if (context.deadlines[name] === deadline) return context;
  const deadlines = { ...context.deadlines };
  if (deadline === undefined) delete deadlines[name];
  else deadlines[name] = deadline;
  return { ...context, deadlines };
}

/** Easee heartbeats about every three minutes whatever HeartbeatInterval says, so silence is judged from that. */
function silenceDeadline(context: ChargerContext, seenAt: number): number {
  const cadenceS = context.rules.easee ? easeeHeartbeatS : context.heartbeatIntervalS;
  return seenAt + silenceFactor * cadenceS * 1000;
}

/**
 * False for a retried notice of the current session, and for the notice of a socket older than the newest one seen
 * (two connections, two paths to the worker): that must not take the charger back to a dead session.
 */
export function opensNewerSession(
  context: ChargerContext,
  event: Extract<ChargerEvent, { type: 'SESSION_OPENED' }>,
): boolean {
  return context.session?.id !== event.sessionId && event.connectedAt >= context.latestConnectAt;
}

/** The answer the charger got for this CALL already, when it is a redelivery of the last one. */
export function answeredBefore(context: ChargerContext, sessionId: string, messageId: string): CallOutcome | undefined {
  const last = context.lastCall;
  return last !== null && last.sessionId === sessionId && last.messageId === messageId
    ? (last.response as CallOutcome)
    : undefined;
}

function reduceCall(context: ChargerContext, call: Extract<ChargerEvent, { type: 'CALL' }>): Reduced {
  if (answeredBefore(context, call.sessionId, call.messageId) !== undefined) return { context, events: [] };
  const reduction = new Reduction(context, call.at);
  let next: ChargerContext;
  let outcome: CallOutcome;
  try {
    const answered = answer(context, call, reduction);
    next = answered.context;
    outcome = { ok: true, payload: answered.response };
  } catch (error) {
    // An actor whose action throws stops for good (XState #5088); a CALLERROR lets the charger retry instead.
    reduction.events.length = 0;
    next = context;
    outcome =
      error instanceof CallRefusal
        ? { ok: false, code: error.code, description: error.message }
        : { ok: false, code: 'InternalError', description: error instanceof Error ? error.message : String(error) };
  }
  next = {
    ...next,
    lastSeenAt: call.at,
    lastCall: { sessionId: call.sessionId, messageId: call.messageId, response: outcome },
  };
  next = withDeadline(next, 'silence', silenceDeadline(next, call.at));
  return { context: reduction.seal(next), events: reduction.events };
}

type Decision = Extract<
  ChargerEvent,
  {
    type:
      | 'STREAM_OBSERVATION'
      | 'STREAM_COMMAND_RESPONSE'
      | 'EASEE_COMMAND_REQUESTED'
      | 'CS_CALL_REQUESTED'
      | 'CS_CALL_SETTLED'
      | 'CURRENT_LIMIT_REQUESTED'
      | 'SITE_ALLOCATION';
  }
>;

/** Inputs other than a charger's CALL: a failure drops the input with an alert, the actor goes on. */
function reduceOther(context: ChargerContext, event: Decision): Reduced {
  const reduction = new Reduction(context, event.at);
  let next: ChargerContext;
  try {
    switch (event.type) {
      case 'STREAM_OBSERVATION':
        next = observation(context, event, reduction);
        break;
      case 'STREAM_COMMAND_RESPONSE':
        next = commandResponse(context, event, reduction);
        break;
      case 'EASEE_COMMAND_REQUESTED':
        next = requestCommand(context, event, reduction);
        break;
      case 'CS_CALL_REQUESTED':
        next = requestCall(context, event, reduction);
        break;
      case 'CS_CALL_SETTLED':
        next = commandSettled(context, event, reduction);
        break;
      case 'CURRENT_LIMIT_REQUESTED':
        next = requestCurrentLimit(context, event, reduction);
        break;
      case 'SITE_ALLOCATION':
        next = siteAllocation(context, event, reduction);
        break;
    }
  } catch (error) {
    // Never let the actor stop on its input; the input is dropped and the reason recorded.
    reduction.events.length = 0;
    reduction.emit('alert', { kind: 'input-failed', input: event.type, reason: String(error) });
    next = context;
  }
  return { context: reduction.seal(next), events: reduction.events };
}

function reduceTimer(context: ChargerContext, event: Extract<ChargerEvent, { type: 'TIMER' }>): Reduced {
  // A timer armed for an older deadline is stale: the deadline moved or went away since.
  if (context.deadlines[event.name] !== event.deadline) return { context, events: [] };
  const reduction = new Reduction(context, event.at);
  let next = withDeadline(context, event.name, undefined);
  if (event.name === 'silence' && context.session !== null) {
    reduction.emit('alert', { kind: 'charger-silent', lastSeenAt: context.lastSeenAt, sessionId: context.session.id });
  } else if (event.name === 'disagreement' && channelsDisagree(context)) {
    reduction.emit('alert', {
      kind: 'channels-disagree',
      ocppStatus: context.connectors['1']?.status ?? null,
      streamStatus: context.stream.status,
      sinceMs: disagreementAfterMs,
    });
    next = { ...next, stream: { ...next.stream, disagreementAlerted: true } };
  } else if (event.name.startsWith('cmd:')) {
    next = commandTimedOut(next, event.name.slice(4), reduction);
  } else if (event.name.startsWith(callTimer(''))) {
    next = outgoingCallExpired(next, event.name.slice(callTimer('').length), reduction);
  } else if (event.name.startsWith(blipTimer(''))) {
    next = heldTooLong(
      next,
      event.name.slice(blipTimer('').length),
      reduction,
      (held, state) => showStatus(held, Number(event.name.slice(blipTimer('').length)), state, reduction),
      (shown, connectorId) =>
        orderCall(
          shown,
          {
            requestId: `availability:${connectorId}:${event.at}`,
            action: 'ChangeAvailability',
            payload: { connectorId, type: 'Inoperative' },
            timeoutMs: 30_000,
            origin: 'availability',
            reservedWrite: false,
          },
          reduction,
        ),
    );
  } else if (event.name === currentLimitTimer) {
    next = currentLimitEnded(next, reduction);
  }
  return { context: reduction.seal(next), events: reduction.events };
}

/** Arms the disagreement deadline when the channels start to disagree, and disarms it when they agree again. */
function watchDisagreement(reduced: Reduced, at: number): Reduced {
  const { context } = reduced;
  const disagree = channelsDisagree(context);
  const armed = context.deadlines.disagreement !== undefined;
  if (disagree && !armed && !context.stream.disagreementAlerted) {
    return { ...reduced, context: withDeadline(context, 'disagreement', at + disagreementAfterMs) };
  }
  if (!disagree && (armed || context.stream.disagreementAlerted)) {
    const cleared = withDeadline(context, 'disagreement', undefined);
    return { ...reduced, context: { ...cleared, stream: { ...cleared.stream, disagreementAlerted: false } } };
  }
  return reduced;
}

/** Applies one input to a charger. Pure: the same context and event always give the same result. */
export function reduceInput(context: ChargerContext, event: ChargerEvent): Reduced {
  const reduced = applyInput(context, event);
  if (reduced.context === context && event.type !== 'TIMER') return reduced;
  const watched = reduced.context === context ? reduced : watchDisagreement(reduced, event.at);
  if (watched.context.site === null) return watched;
  let next = watched;
  if (backOnline(context, watched.context, event)) {
    const reduction = new Reduction(watched.context, event.at);
    const applied = applyPendingSite(watched.context, reduction);
    next = { context: reduction.seal(applied), events: [...watched.events, ...reduction.events] };
  }
  const events = [...next.events];
  const reported = reportToSite(next.context, event.at, events);
  return reported === next.context ? next : { context: reported, events };
}

/** The charger can take a central-system CALL again: its boot was accepted, or it reconnected after one. */
function backOnline(before: ChargerContext, after: ChargerContext, event: ChargerEvent): boolean {
  if (event.type === 'CALL') return event.action === 'BootNotification';
  return event.type === 'SESSION_OPENED' && before.session?.id !== after.session?.id && after.boot !== null;
}

function applyInput(context: ChargerContext, event: ChargerEvent): Reduced {
  switch (event.type) {
    case 'STREAM_OBSERVATION':
    case 'STREAM_COMMAND_RESPONSE':
    case 'EASEE_COMMAND_REQUESTED':
    case 'CS_CALL_REQUESTED':
    case 'CS_CALL_SETTLED':
    case 'CURRENT_LIMIT_REQUESTED':
    case 'SITE_ALLOCATION':
      return reduceOther(context, event);
    case 'TIMER':
      return reduceTimer(context, event);
    case 'CALL':
      return reduceCall(context, event);
    case 'SESSION_OPENED': {
      if (!opensNewerSession(context, event)) return { context, events: [] };
      const reduction = new Reduction(context, event.at);
      reduction.emit('connection', { connected: true, sessionId: event.sessionId, edgeId: event.edgeId });
      const next = withDeadline(
        {
          ...context,
          ...(event.rules === undefined ? {} : { rules: event.rules }),
          latestConnectAt: event.connectedAt,
          session: {
            id: event.sessionId,
            edgeId: event.edgeId,
            since: event.at,
            ...(event.remoteAddress === undefined ? {} : { remoteAddress: event.remoteAddress }),
          },
          lastSeenAt: event.at,
        },
        'silence',
        silenceDeadline(event.rules === undefined ? context : { ...context, rules: event.rules }, event.at),
      );
      return { context: reduction.seal(next), events: reduction.events };
    }
    case 'SESSION_CLOSED': {
      // Fenced by session id: the late close of a replaced socket must not take the new one offline.
      if (context.session?.id !== event.sessionId) return { context, events: [] };
      const reduction = new Reduction(context, event.at);
      reduction.emit('connection', {
        connected: false,
        sessionId: event.sessionId,
        ...(event.closeCode === undefined ? {} : { closeCode: event.closeCode }),
      });
      const next = withDeadline({ ...context, session: null }, 'silence', undefined);
      return { context: reduction.seal(next), events: reduction.events };
    }
    default:
      // XState's own events (its init), or an input of a newer release: nothing changes.
      return { context, events: [] };
  }
}
