import { asString, CallRefusal, connectorInRange, fieldOf } from '../lenient.ts';
import type { CallLookups, ChargerContext, ConnectorState } from '../model.ts';
import type { Answer, Reduction } from '../reduction.ts';
import { hold, releaseHeld, shouldHold } from './availability.ts';
import { connectorCount } from './calls.ts';
import { reapplyCurrentLimit } from './current-limit.ts';

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Takes a connector's status into the model, with a `status` event when something an operator sees changed. */
export function showStatus(
  context: ChargerContext,
  connectorId: number,
  next: ConnectorState,
  reduction: Reduction,
): ChargerContext {
  const previous = context.connectors[connectorId];
  const changed =
    previous === undefined ||
    previous.status !== next.status ||
    previous.errorCode !== next.errorCode ||
    previous.info !== next.info ||
    previous.vendorErrorCode !== next.vendorErrorCode;
  if (changed) {
    reduction.emit('status', { connectorId, ...next, previousStatus: previous?.status ?? null, source: 'ocpp' });
  }
  let shown: ChargerContext = { ...context, connectors: { ...context.connectors, [connectorId]: next } };
  // A car plugged in: Easee has reset its dynamic current.
  if (connectorId === 1 && previous?.status === 'Available' && next.status === 'Preparing') {
    shown = reapplyCurrentLimit(shown, 'plug-in', reduction);
  }
  return shown;
}

export function statusNotification(
  context: ChargerContext,
  payload: unknown,
  lookups: CallLookups,
  reduction: Reduction,
): Answer {
  const raw = fieldOf(payload, 'connectorId');
  const connectors = connectorCount(context);
  if (!connectorInRange(raw, connectors)) {
    // Not a transaction message: refused, so that a bad id does not become a lasting connector entry.
    throw new CallRefusal('PropertyConstraintViolation', `connectorId must be 0 to ${connectors}, not ${String(raw)}`);
  }
  const connectorId = raw;
  const next: ConnectorState = {
    status: asString(fieldOf(payload, 'status')) ?? 'Unknown',
    errorCode: asString(fieldOf(payload, 'errorCode')) ?? 'NoError',
    ...optional('info', asString(fieldOf(payload, 'info'))),
    ...optional('vendorId', asString(fieldOf(payload, 'vendorId'))),
    ...optional('vendorErrorCode', asString(fieldOf(payload, 'vendorErrorCode'))),
    ...optional('timestamp', asString(fieldOf(payload, 'timestamp'))),
    updatedAt: reduction.at,
  };
  const key = String(connectorId);
  if (shouldHold(context, connectorId, next, reduction.at)) {
    return { context: hold(context, key, next, lookups.availabilityHoldMs, reduction.at), response: {} };
  }
  return { context: showStatus(releaseHeld(context, key), connectorId, next, reduction), response: {} };
}
