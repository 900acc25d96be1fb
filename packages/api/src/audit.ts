import { randomUUID } from 'node:crypto';
import type { FleetEvent } from '@fleetwire/contracts';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from './context.ts';

const secretFields = new Set(['password', 'token', 'authorizationkey']);
const maxAuditText = 2_000;

/** A copy of a request or response fit for the audit trail: no secrets, and not too long. */
function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 50).map(redacted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      secretFields.has(key.toLowerCase()) ? '[redacted]' : redacted(field),
    ]),
  );
}

function truncated(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > maxAuditText ? `${text.slice(0, maxAuditText)}…` : value;
}

/**
 * Writes who did what, when, to which charger and with what result, for every route marked `audit`, as an `audit`
 * event in the durable event stream (FW_EVENTS in a cluster).
 */
export function registerAudit(app: FastifyInstance, options: ApiOptions): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const action = request.routeOptions.config.audit;
    if (action === undefined) return payload;
    let result: unknown = payload;
    if (typeof payload === 'string') {
      try {
        result = JSON.parse(payload);
      } catch {
        result = payload.slice(0, maxAuditText);
      }
    }
    const params = request.params as Record<string, string | undefined>;
    const event: FleetEvent = {
      id: `audit:${randomUUID()}`,
      type: 'audit',
      serial: params.serial ?? 'fleet',
      at: Date.now(),
      data: {
        actor: request.principal?.name ?? 'anonymous',
        action,
        method: request.method,
        path: request.url.split('?', 1)[0],
        target: { ...params },
        request: truncated(redacted(request.body ?? null)),
        status: reply.statusCode,
        result: truncated(redacted(result ?? null)),
      },
    };
    try {
      await options.events.append([event]);
    } catch (error) {
      request.log.error({ err: error, action }, 'audit record could not be written');
    }
    return payload;
  });
}
