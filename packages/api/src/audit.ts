import { randomUUID } from 'node:crypto';
import type { FleetEvent } from '@fleetwire/contracts';
import { redacted } from '@fleetwire/redaction';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from './context.ts';

const maxAuditText = 2_000;

function truncated(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > maxAuditText ? `${text.slice(0, maxAuditText)}…` : value;
}

/**
 * Writes who did what, when, to which charger and with what result, for every route marked `audit`, as an `audit`
 * event in the durable event stream (FW_EVENTS in a cluster). Request and result go through the one redaction
 * policy (`@fleetwire/redaction`); audit events are for admin readers only, on every channel.
 */
export function registerAudit(app: FastifyInstance, options: ApiOptions): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const action = request.routeOptions.config.audit;
    if (action === undefined) return payload;
    const summary = request.routeOptions.config.auditSummary;
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
        // A route whose body is bulk data (an import) says what to keep of it: counts and serials, never the text.
        request: truncated(redacted(summary === undefined ? (request.body ?? null) : summary(request.body))),
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
