import { commandCatalog, encodeCommand } from '@fleetwire/easee';
import type { ChargerContext, ChargerEvent, CommandOutcome, CommandStatus, PendingCommand } from '../model.ts';
import type { Reduction } from '../reduction.ts';

const rememberedOutcomes = 20;

export const commandTimer = (requestId: string) => `cmd:${requestId}`;

function withDeadline(context: ChargerContext, name: string, deadline: number | undefined): ChargerContext {
  const deadlines = { ...context.deadlines };
  if (deadline === undefined) delete deadlines[name];
  else deadlines[name] = deadline;
  return { ...context, deadlines };
}

/** Publishes one attempt: fresh ticks (from `at`), the same arguments and expiry. */
function sendAttempt(
  context: ChargerContext,
  pending: PendingCommand,
  reduction: Reduction,
): { context: ChargerContext; pending: PendingCommand } {
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
  const next = { ...pending, attemptTicks: [...pending.attemptTicks, command.ticks] };
  const commands = { ...context.stream.commands, [pending.requestId]: next };
  return {
    context: withDeadline(
      { ...context, stream: { ...context.stream, commands } },
      commandTimer(pending.requestId),
      reduction.at + pending.responseTimeoutMs,
    ),
    pending: next,
  };
}

function settle(
  context: ChargerContext,
  pending: PendingCommand,
  status: CommandStatus,
  reduction: Reduction,
  detail: { resultCode?: number | null; comment?: string } = {},
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
  const recentCommands = [...context.stream.recentCommands.slice(1 - rememberedOutcomes), outcome];
  return withDeadline(
    { ...context, stream: { ...context.stream, commands, recentCommands } },
    commandTimer(pending.requestId),
    undefined,
  );
}

export function requestCommand(
  context: ChargerContext,
  request: Extract<ChargerEvent, { type: 'EASEE_COMMAND_REQUESTED' }>,
  reduction: Reduction,
): ChargerContext {
  const spec = commandCatalog.get(request.name);
  if (spec === undefined) throw new Error(`unknown Easee command ${request.name}`);
  if (context.stream.commands[request.requestId] !== undefined) return context;
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
  };
  return sendAttempt(context, pending, reduction).context;
}

/** Resolves the command whose attempt has these ticks; a response to nothing pending (late, rogue) is recorded. */
export function commandResponse(
  context: ChargerContext,
  response: Extract<ChargerEvent, { type: 'STREAM_COMMAND_RESPONSE' }>,
  reduction: Reduction,
): ChargerContext {
  const pending = Object.values(context.stream.commands).find(
    (candidate) => candidate.commandId === response.commandId && candidate.attemptTicks.includes(response.ticks),
  );
  if (pending === undefined) {
    const settled = context.stream.recentCommands.some(
      (outcome) =>
        outcome.commandId === response.commandId && outcome.status !== 'accepted' && outcome.status !== 'rejected',
    );
    reduction.emit('command', {
      channel: 'easee',
      commandId: response.commandId,
      ticks: response.ticks,
      status: response.wasAccepted ? 'accepted' : 'rejected',
      unmatched: true,
      note: settled ? 'response after the command was given up' : 'response to no command of ours',
    });
    return context;
  }
  return settle(context, pending, response.wasAccepted ? 'accepted' : 'rejected', reduction, {
    resultCode: response.resultCode,
    comment: response.comment,
  });
}

/** No response in time: try again while attempts and time are left, else record the failure. */
export function commandTimedOut(context: ChargerContext, requestId: string, reduction: Reduction): ChargerContext {
  const pending = context.stream.commands[requestId];
  if (pending === undefined) return context;
  if (reduction.at >= pending.expiresAt) return settle(context, pending, 'expired', reduction);
  if (pending.attemptTicks.length >= pending.maxAttempts) return settle(context, pending, 'no-response', reduction);
  return sendAttempt(context, pending, reduction).context;
}
