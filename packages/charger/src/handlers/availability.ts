import { asInteger, asString, fieldOf } from '../lenient.ts';
import {
  availabilityBlipWindowMs,
  type ChargerContext,
  type ConnectorState,
  defaultAvailabilityHoldMs,
} from '../model.ts';
import type { Reduction } from '../reduction.ts';

export const blipTimer = (connectorId: string) => `blip:${connectorId}`;

/** An Accepted or Scheduled ChangeAvailability is what the operator wants, until changed (connector 0: all). */
export function applyAvailabilityAnswer(context: ChargerContext, request: unknown, response: unknown): ChargerContext {
  const answer = asString(fieldOf(response, 'status'));
  const type = asString(fieldOf(request, 'type'));
  if ((answer !== 'Accepted' && answer !== 'Scheduled') || (type !== 'Operative' && type !== 'Inoperative')) {
    return context;
  }
  const connectorId = String(asInteger(fieldOf(request, 'connectorId')) ?? 0);
  const wanted: Record<string, 'Operative' | 'Inoperative'> =
    connectorId === '0' ? { '0': type } : { ...context.availability.wanted, [connectorId]: type };
  return { ...context, availability: { ...context.availability, wanted } };
}

export function wantedAvailability(context: ChargerContext, connectorId: number): string | undefined {
  const { wanted } = context.availability;
  // An Easee has one connector, which OCPP calls 0 and 1.
  return wanted[String(connectorId)] ?? wanted['0'] ?? (connectorId === 0 ? wanted['1'] : undefined);
}

/**
 * Easee reports Available for more than a second after a reboot before it reports the Unavailable it keeps
 * (docs/reference/easee.md §0.1): an Available that contradicts what the operator asked for, right after a boot, is
 * held back for a while instead of shown. The hold time comes with each CALL from the host's configuration.
 */
export function shouldHold(context: ChargerContext, connectorId: number, next: ConnectorState, at: number): boolean {
  const bootedAt = context.boot?.bootedAt;
  return (
    next.status === 'Available' &&
    bootedAt !== undefined &&
    at - bootedAt <= availabilityBlipWindowMs &&
    wantedAvailability(context, connectorId) === 'Inoperative'
  );
}

export function hold(
  context: ChargerContext,
  connectorId: string,
  next: ConnectorState,
  holdMs: number | undefined,
  at: number,
): ChargerContext {
  return {
    ...context,
    availability: { ...context.availability, held: { ...context.availability.held, [connectorId]: next } },
    deadlines: { ...context.deadlines, [blipTimer(connectorId)]: at + (holdMs ?? defaultAvailabilityHoldMs) },
  };
}

/** A newer status for the connector replaces what was held back: the blip is over. */
export function releaseHeld(context: ChargerContext, connectorId: string): ChargerContext {
  if (context.availability.held[connectorId] === undefined) return context;
  const held = { ...context.availability.held };
  delete held[connectorId];
  const deadlines = { ...context.deadlines };
  delete deadlines[blipTimer(connectorId)];
  return { ...context, availability: { ...context.availability, held }, deadlines };
}

/** The Available lasted: it is shown, raised as an alert, and the wanted availability is asked for again. */
export function heldTooLong(
  context: ChargerContext,
  connectorId: string,
  reduction: Reduction,
  show: (context: ChargerContext, state: ConnectorState) => ChargerContext,
  askAgain: (context: ChargerContext, connectorId: number) => ChargerContext,
): ChargerContext {
  const state = context.availability.held[connectorId];
  if (state === undefined) return context;
  const released = releaseHeld(context, connectorId);
  reduction.emit('alert', {
    kind: 'availability-contradicted',
    connectorId: Number(connectorId),
    wanted: 'Inoperative',
    reported: state.status,
    heldSince: state.updatedAt,
  });
  return askAgain(show(released, state), Number(connectorId));
}
