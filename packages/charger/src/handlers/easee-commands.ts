import { commandCatalog, commandEffects, encodeCommand, nonIdempotentCommands, ObservationId } from '@fleetwire/easee';
import type { ChargerContext, ChargerEvent, CommandOutcome, CommandStatus, PendingCommand } from '../model.ts';
import { observationOf } from '../observed.ts';
import type { Reduction } from '../reduction.ts';
import { withDeadline } from './calls.ts';
import { currentLimitStreamSettled } from './current-limit.ts';

const rememberedOutcomes = 10;

export const commandTimer = (requestId: string) => `cmd:${requestId}`;

type Response = Extract<ChargerEvent, { type: 'STREAM_COMMAND_RESPONSE' }>;

/** Publishes one attempt: fresh ticks (from `at`), the same arguments and expiry. */
function sendAttempt(context: ChargerContext, pending: PendingCommand, reduction: Reduction): ChargerContext {
  const encoded = encodeCommand(
    pending.name,
    pending.args,
    reduction.at,
    Math.max(0, pending.expiresAt - reduction.at),
  );
  if (!encoded.ok) throw new Error(encoded.reason);
  const { command } = encoded;
  reduction.command({
    requestId: pending.requestId,
    commandId: command.commandId,
    ticks: command.ticks,
    body: command.body,
  });
  const next: PendingCommand = {
    ...pending,
    attemptTicks: [...pending.attemptTicks, command.ticks],
    attemptAt: [...(pending.attemptAt ?? []), reduction.at],
  };
  const commands = { ...context.stream.commands, [pending.requestId]: next };
  return withDeadline(
    { ...context, stream: { ...context.stream, commands } },
    commandTimer(pending.requestId),
    reduction.at + pending.responseTimeoutMs,
  );
}

function remember(context: ChargerContext, outcome: CommandOutcome): ChargerContext {
  const recentCommands = [...context.stream.recentCommands.slice(1 - rememberedOutcomes), outcome];
  return { ...context, stream: { ...context.stream, recentCommands } };
}

function settle(
  context: ChargerContext,
  pending: PendingCommand,
  status: CommandStatus,
  reduction: Reduction,
  detail: Partial<Pick<CommandOutcome, 'resultCode' | 'comment' | 'ticks' | 'confirmedBy' | 'confirmedAt'>> = {},
): ChargerContext {
  const outcome: CommandOutcome = {
    requestId: pending.requestId,
    name: pending.name,
    commandId: pending.commandId,
    status,
    attempts: pending.attemptTicks.length,
    requestedAt: pending.requestedAt,
    settledAt: reduction.at,
    ...detail,
  };
  reduction.emit('command', { channel: 'easee', args: pending.args, ...outcome });
  const commands = { ...context.stream.commands };
  delete commands[pending.requestId];
  const settled = withDeadline(
    remember({ ...context, stream: { ...context.stream, commands } }, outcome),
    commandTimer(pending.requestId),
    undefined,
  );
  return currentLimitStreamSettled(settled, pending.requestId, status, reduction);
}

export function requestCommand(
  context: ChargerContext,
  request: Extract<ChargerEvent, { type: 'EASEE_COMMAND_REQUESTED' }>,
  reduction: Reduction,
): ChargerContext {
  const spec = commandCatalog.get(request.name);
  if (spec === undefined) throw new Error(`unknown Easee command ${request.name}`);
  if (context.stream.commands[request.requestId] !== undefined) return context;
  if (context.stream.recentCommands.some((outcome) => outcome.requestId === request.requestId)) return context;
  const pending: PendingCommand = {
    requestId: request.requestId,
    name: request.name,
    commandId: spec.id,
    args: request.args,
    requestedAt: request.at,
    expiresAt: request.expiresAt,
    responseTimeoutMs: request.responseTimeoutMs,
    maxAttempts: request.maxAttempts,
    attemptTicks: [],
    attemptAt: [],
  };
  return sendAttempt(context, pending, reduction);
}

/**
 * The pending command a response answers. Easee's response carries the cloud's own Ticks, not necessarily ours
 * (docs/reference/easee-behaviours.md S13), so: the attempt whose ticks it names, else the oldest pending command of
 * that command id sent before the response arrived.
 */
function answeredCommand(context: ChargerContext, response: Response): PendingCommand | undefined {
  const candidates = Object.values(context.stream.commands).filter(
    (candidate) => candidate.commandId === response.commandId,
  );
  const exact = candidates.find((candidate) => candidate.attemptTicks.includes(response.ticks));
  if (exact !== undefined) return exact;
  let oldest: PendingCommand | undefined;
  for (const candidate of candidates) {
    const firstSent = candidate.attemptAt?.[0] ?? candidate.requestedAt;
    if (firstSent > response.at) continue;
    if (oldest === undefined || firstSent < (oldest.attemptAt?.[0] ?? oldest.requestedAt)) oldest = candidate;
  }
  return oldest;
}

/** Resolves the command a response answers; one for nothing pending corrects a `no-response`, else is recorded. */
export function commandResponse(context: ChargerContext, response: Response, reduction: Reduction): ChargerContext {
  const status: CommandStatus = response.wasAccepted ? 'accepted' : 'rejected';
  const pending = answeredCommand(context, response);
  if (pending !== undefined) {
    return settle(context, pending, status, reduction, {
      resultCode: response.resultCode,
      comment: response.comment,
      ticks: response.ticks,
    });
  }
  const recent = context.stream.recentCommands;
  // Its observation came first and settled it: the response only adds the cloud's ticks.
  const confirmed = recent.findIndex(
    (outcome) =>
      outcome.commandId === response.commandId && outcome.confirmedBy === 'observation' && outcome.ticks === undefined,
  );
  if (confirmed >= 0) {
    const recentCommands = recent.map((outcome, i) =>
      i === confirmed
        ? { ...outcome, ticks: response.ticks, resultCode: response.resultCode, comment: response.comment }
        : outcome,
    );
    return { ...context, stream: { ...context.stream, recentCommands } };
  }
  const late = recent.findIndex(
    (outcome) => outcome.commandId === response.commandId && outcome.status === 'no-response',
  );
  if (late >= 0) {
    const given = recent[late] as CommandOutcome;
    const corrected: CommandOutcome = {
      ...given,
      status,
      resultCode: response.resultCode,
      comment: response.comment,
      ticks: response.ticks,
      corrected: true,
    };
    reduction.emit('command', { channel: 'easee', ...corrected, note: 'response after the command was given up' });
    const recentCommands = recent.map((outcome, i) => (i === late ? corrected : outcome));
    return { ...context, stream: { ...context.stream, recentCommands } };
  }
  reduction.emit('command', {
    channel: 'easee',
    commandId: response.commandId,
    ticks: response.ticks,
    status,
    unmatched: true,
    note: 'response to no command of ours',
  });
  return context;
}

/** An observed value is the one a command set: 13 A sent as an integer comes back as the double 13. */
function sameValue(expected: unknown, observed: unknown): boolean {
  if (typeof expected === 'number' && typeof observed === 'number') return Math.abs(expected - observed) < 1e-6;
  return expected === observed;
}

function confirms(pending: PendingCommand, observationId: number, value: unknown): boolean {
  return commandEffects(pending.commandId, pending.args).some(
    ([id, expected]) => id === observationId && expected !== undefined && sameValue(expected, value),
  );
}

/**
 * The observation a command changes shows its new value (docs/reference/easee.md §0.2): the command took effect, so a
 * pending one is settled as accepted even if its response is late or lost, and is not sent again.
 */
export function confirmedByObservation(
  context: ChargerContext,
  observationId: number,
  value: unknown,
  reduction: Reduction,
): ChargerContext {
  let next = context;
  for (const pending of Object.values(context.stream.commands)) {
    if (pending.attemptTicks.length > 0 && confirms(pending, observationId, value)) {
      next = settle(next, pending, 'accepted', reduction, { confirmedBy: 'observation', confirmedAt: reduction.at });
    }
  }
  return next;
}

/** A sign since `since` that a Reboot or a firmware upgrade took effect: a boot, or a new connection. */
function tookEffect(context: ChargerContext, pending: PendingCommand): 'boot' | 'reconnect' | undefined {
  const since = pending.attemptAt?.[0] ?? pending.requestedAt;
  if ((context.boot?.bootedAt ?? 0) > since) return 'boot';
  const rebootReason = observationOf(context.stream, ObservationId.RebootReason);
  if (rebootReason !== undefined && rebootReason.receivedAt > since) return 'boot';
  if (context.latestConnectAt > since) return 'reconnect';
  const cloud = observationOf(context.stream, ObservationId.ConnectedToCloud);
  if (cloud !== undefined && cloud.receivedAt > since) return 'reconnect';
  return undefined;
}

/**
 * No response in time: try again while attempts and time are left, else record the failure. A Reboot or a
 * firmware upgrade is sent again only when nothing says it took effect: a second Reboot reboots again.
 */
export function commandTimedOut(context: ChargerContext, requestId: string, reduction: Reduction): ChargerContext {
  const pending = context.stream.commands[requestId];
  if (pending === undefined) return context;
  if (nonIdempotentCommands.has(pending.commandId)) {
    const sign = tookEffect(context, pending);
    if (sign !== undefined) {
      return settle(context, pending, 'accepted', reduction, { confirmedBy: sign, confirmedAt: reduction.at });
    }
  }
  if (reduction.at >= pending.expiresAt) return settle(context, pending, 'expired', reduction);
  if (pending.attemptTicks.length >= pending.maxAttempts) return settle(context, pending, 'no-response', reduction);
  return sendAttempt(context, pending, reduction);
}
