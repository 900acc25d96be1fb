import type { IdTagInfo } from '@fleetwire/contracts';
import {
  ObservationId,
  OpMode,
  ocppStatusOfOpMode,
  opModeNames,
  readStreamSession,
  reasonForNoCurrentNames,
  type StreamSession,
} from '@fleetwire/easee';
import type { ChargerContext, ChargerEvent } from '../model.ts';
import { observationKey, observedValue } from '../observed.ts';
import type { Reduction } from '../reduction.ts';
import { linkSessionToTransactions } from './correlation.ts';
import { reapplyCurrentLimit } from './current-limit.ts';
import { confirmedByObservation, requestCommand } from './easee-commands.ts';
import { siteObserved } from './site.ts';

const rememberedSessions = 10;
/** AuthorizeCharging status Easee's own cloud uses to accept a token (docs/reference/easee.md §3.1). */
const acceptStatus = 42;
const refuseStatus = 0;

function onOpMode(context: ChargerContext, opMode: number, reduction: Reduction): ChargerContext {
  const status = ocppStatusOfOpMode(opMode) ?? null;
  const reason = observedValue(context.stream, ObservationId.ReasonForNoCurrent);
  const reasonCode = typeof reason === 'number' ? reason : undefined;
  reduction.emit('status', {
    connectorId: 1,
    status,
    previousStatus: context.stream.status,
    source: 'stream',
    opMode,
    opModeName: opModeNames[opMode] ?? `OpMode${opMode}`,
    // Easee sends SuspendedEVSE with ReasonForNoCurrent as vendorErrorCode (docs/reference/easee.md §2.2).
    ...(status === 'SuspendedEVSE' && reasonCode !== undefined
      ? { vendorErrorCode: String(reasonCode), reason: reasonForNoCurrentNames[reasonCode] ?? null }
      : {}),
  });
  return { ...context, stream: { ...context.stream, status } };
}

function onSessionStart(context: ChargerContext, session: StreamSession, reduction: Reduction): ChargerContext {
  if (context.stream.session?.sessionId === session.sessionId) return context;
  reduction.emit('stream-session-started', { session });
  return linkSessionToTransactions({ ...context, stream: { ...context.stream, session } }, session, reduction);
}

function onSessionDone(context: ChargerContext, session: StreamSession, reduction: Reduction): ChargerContext {
  if (context.stream.recentSessions.some((known) => known.sessionId === session.sessionId)) return context;
  reduction.emit('stream-session-stopped', { session });
  const linked = linkSessionToTransactions(context, session, reduction);
  return {
    ...linked,
    stream: {
      ...linked.stream,
      session: linked.stream.session?.sessionId === session.sessionId ? null : linked.stream.session,
      recentSessions: [...linked.stream.recentSessions.slice(1 - rememberedSessions), session],
    },
  };
}

function onToken(
  context: ChargerContext,
  token: string,
  readAt: number,
  authorization: IdTagInfo,
  reduction: Reduction,
): ChargerContext {
  const accepted = authorization.status === 'Accepted';
  return requestCommand(
    context,
    {
      type: 'EASEE_COMMAND_REQUESTED',
      at: reduction.at,
      requestId: `rfid-${readAt}`,
      name: accepted ? 'AuthorizeCharging' : 'DeauthorizeCharging',
      args: { idToken: token, status: accepted ? acceptStatus : refuseStatus },
      expiresAt: reduction.at + 60_000,
      responseTimeoutMs: 20_000,
      maxAttempts: 2,
    },
    reduction,
  );
}

/** Applies an observation unless a newer value of the same id is already known (late or duplicate delivery). */
export function observation(
  context: ChargerContext,
  input: Extract<ChargerEvent, { type: 'STREAM_OBSERVATION' }>,
  reduction: Reduction,
): ChargerContext {
  const key = observationKey(input.observationId);
  const known = context.stream.observations[key];
  if (known !== undefined && known.timestamp >= input.timestamp) return context;
  let next: ChargerContext = {
    ...context,
    stream: {
      ...context.stream,
      lastSeenAt: input.at,
      observations: {
        ...context.stream.observations,
        [key]: { value: input.value, timestamp: input.timestamp, receivedAt: input.at },
      },
    },
  };
  next = confirmedByObservation(next, input.observationId, input.value, reduction);
  next = siteObserved(next, input.observationId, input.value, input.at);
  switch (input.observationId) {
    case ObservationId.ChargerOpMode:
      if (typeof input.value === 'number' && input.value !== known?.value) {
        next = onOpMode(next, input.value, reduction);
        // A car plugged in: Easee has reset its dynamic current.
        if (known?.value === OpMode.Disconnected) next = reapplyCurrentLimit(next, 'plug-in', reduction);
      }
      break;
    case ObservationId.RebootReason:
      next = reapplyCurrentLimit(next, 'reboot', reduction);
      break;
    case ObservationId.ChargingSessionStart: {
      const session = readStreamSession(input.value);
      if (session !== undefined) next = onSessionStart(next, session, reduction);
      break;
    }
    case ObservationId.ChargingSession: {
      const session = readStreamSession(input.value);
      if (session !== undefined) next = onSessionDone(next, session, reduction);
      break;
    }
    case ObservationId.UserIDToken:
      if (typeof input.value === 'string' && input.value !== '' && input.authorization !== undefined) {
        next = onToken(next, input.value, input.timestamp, input.authorization, reduction);
      }
      break;
  }
  return next;
}

/**
 * OCPP says Charging on connector 1 while the stream says no car is connected: fine for a moment (the two
 * channels are not in step), worth an alert when it lasts.
 */
export function channelsDisagree(context: ChargerContext): boolean {
  return (
    context.session !== null &&
    context.connectors['1']?.status === 'Charging' &&
    observedValue(context.stream, ObservationId.ChargerOpMode) === OpMode.Disconnected
  );
}
