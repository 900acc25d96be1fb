import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { errorResponse, ref, serialParam, withAccessErrors } from '../schemas.ts';

export function auditRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.get<{ Querystring: { serial?: string; after: string; limit: number } }>(
    '/api/audit',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listAudit',
        summary: 'Who sent which command, when, and what came of it; oldest first from `after`',
        tags: ['audit'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            serial: { ...serialParam, description: 'commands to this charger; `fleet` for the others' },
            after: { type: 'string', pattern: '^\\d{1,15}$', default: '0', description: 'The `next` cursor' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: withAccessErrors({
          200: { ...ref('AuditPage'), description: 'A page of the audit trail' },
          400: errorResponse('A query value out of its range'),
        }),
      },
    },
    async (request) => {
      const { serial, after, limit } = request.query;
      const stored = await options.events.read(Number(after), limit, {
        types: ['audit'],
        ...(serial === undefined ? {} : { serial }),
      });
      const last = stored.at(-1);
      return {
        items: stored.map(({ seq, event }) => ({
          seq,
          at: new Date(event.at).toISOString(),
          serial: event.serial,
          ...event.data,
        })),
        ...(stored.length === limit && last !== undefined ? { next: String(last.seq) } : {}),
      };
    },
  );
}
