import { type ChargerFacts, easeeBudget, fullBudget, spendWrite } from '@fleetwire/command-rules';
import { redacted } from '@fleetwire/redaction';
import { maxConnectorsByDefault } from '../lenient.ts';
import {
  type CallOrigin,
  type CentralCommand,
  type CentralOutcome,
  type ChargerContext,
  type OutgoingCall,
  outgoingCallSlackMs,
} from '../model.ts';
import { observedValue } from '../observed.ts';
import type { Reduction } from '../reduction.ts';

const rememberedCommands = 10;

export const callTimer = (requestId: string) => `call:${requestId}`;

const outputPhaseObservation = 110;
const lineToNeutralVoltage = 194;

/** How many connectors the charger has: what it reported (NumberOfConnectors), else one for an Easee. */
export function connectorCount(context: ChargerContext): number {
  const reported = Object.entries(context.configuration).find(([key]) => key.toLowerCase() === 'numberofconnectors');
  const count = reported === undefined ? Number.NaN : Number(reported[1]);
  if (Number.isInteger(count) && count >= 1 && count <= 100) return count;
  return context.rules.easee ? 1 : maxConnectorsByDefault;
}

/**
 * What the rules need to know of the charger: its installed profiles, its write budget (writes held by CALLs still
 * waiting for their answer already taken out), and its phases (the stream's OutputPhase: 10-15 one phase, 20-22 two,
 * 30 three) and voltage (L1-N), OCPP's defaults (3 phases, 230 V) when the stream has not said.
 */
export function chargerFacts(context: ChargerContext, now: number): ChargerFacts {
  const phase = observedValue(context.stream, outputPhaseObservation);
  const volts = observedValue(context.stream, lineToNeutralVoltage);
  return {
    installedProfiles: context.smartCharging.installed,
    writeBudget: context.smartCharging.writeBudget ?? fullBudget(easeeBudget, now),
    phases: typeof phase === 'number' && phase >= 10 ? Math.floor(phase / 10) : 3,
    voltage: typeof volts === 'number' && volts > 100 ? volts : 230,
  };
}

export function withDeadline(context: ChargerContext, name: string, deadline: number | undefined): ChargerContext {
  const deadlines = { ...context.deadlines };
  if (deadline === undefined) delete deadlines[name];
  else deadlines[name] = deadline;
  return { ...context, deadlines };
}

/** A request or answer larger than this is not kept in the charger's history; its `command` event has it. */
const largestRemembered = 2_048;

function bounded(value: unknown): unknown {
  const bytes = JSON.stringify(value)?.length ?? 0;
  return bytes <= largestRemembered ? value : { omitted: `${bytes} bytes; the command event has it in full` };
}

/** Keeps the charger's last commands small: the newest `rememberedCommands`, large payloads left to the event log. */
export function remember(context: ChargerContext, command: CentralCommand): ChargerContext {
  const kept: CentralCommand = {
    ...command,
    request: bounded(command.request),
    outcome: command.outcome.ok ? { ok: true, response: bounded(command.outcome.response) } : command.outcome,
  };
  return { ...context, centralCommands: [...context.centralCommands.slice(1 - rememberedCommands), kept] };
}

/** Records a command that ends without reaching the charger, and says so in a `command` event. */
export function endedUnsent(
  context: ChargerContext,
  requestId: string,
  action: string,
  request: unknown,
  outcome: Extract<CentralOutcome, { ok: false }>,
  reduction: Reduction,
): ChargerContext {
  const shown = redacted(request);
  reduction.emit('command', { channel: 'ocpp', requestId, action, request: shown, outcome });
  return remember(context, { requestId, action, request: shown, settledAt: reduction.at, outcome });
}

export interface CallToOrder {
  readonly requestId: string;
  readonly action: string;
  readonly payload: unknown;
  readonly timeoutMs: number;
  readonly origin: CallOrigin;
  readonly reservedWrite: boolean;
}

/**
 * Orders a CALL the rules allowed: a write is taken from the budget now (so that no later decision can spend it
 * too), the call is remembered until its answer, and the host is told to send it to the charger's edge.
 */
export function orderCall(context: ChargerContext, call: CallToOrder, reduction: Reduction): ChargerContext {
  const edgeId = context.session?.edgeId;
  if (edgeId === undefined) {
    return endedUnsent(
      context,
      call.requestId,
      call.action,
      call.payload,
      { ok: false, error: 'not-connected', description: `${context.serial} is not connected` },
      reduction,
    );
  }
  const pending: OutgoingCall = {
    requestId: call.requestId,
    action: call.action,
    request: redacted(call.payload),
    reservedWrite: call.reservedWrite,
    origin: call.origin,
    requestedAt: reduction.at,
  };
  const { smartCharging } = context;
  const next: ChargerContext = {
    ...context,
    outgoingCalls: { ...context.outgoingCalls, [call.requestId]: pending },
    smartCharging: call.reservedWrite
      ? {
          ...smartCharging,
          writeBudget: spendWrite(
            smartCharging.writeBudget ?? fullBudget(easeeBudget, reduction.at),
            easeeBudget,
            reduction.at,
          ),
        }
      : smartCharging,
  };
  reduction.order({
    requestId: call.requestId,
    action: call.action,
    payload: call.payload,
    edgeId,
    timeoutMs: call.timeoutMs,
  });
  return withDeadline(next, callTimer(call.requestId), reduction.at + call.timeoutMs + outgoingCallSlackMs);
}
