import { asInteger, asString, fieldOf } from '../lenient.ts';
import type { ChargerContext, ConnectorState } from '../model.ts';
import type { Answer, Reduction } from '../reduction.ts';

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export function statusNotification(context: ChargerContext, payload: unknown, reduction: Reduction): Answer {
  const connectorId = asInteger(fieldOf(payload, 'connectorId')) ?? 0;
  const next: ConnectorState = {
    status: asString(fieldOf(payload, 'status')) ?? 'Unknown',
    errorCode: asString(fieldOf(payload, 'errorCode')) ?? 'NoError',
    ...optional('info', asString(fieldOf(payload, 'info'))),
    ...optional('vendorId', asString(fieldOf(payload, 'vendorId'))),
    ...optional('vendorErrorCode', asString(fieldOf(payload, 'vendorErrorCode'))),
    ...optional('timestamp', asString(fieldOf(payload, 'timestamp'))),
    updatedAt: reduction.at,
  };
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
  return {
    context: { ...context, connectors: { ...context.connectors, [connectorId]: next } },
    response: {},
  };
}
