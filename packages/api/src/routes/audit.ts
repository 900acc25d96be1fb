import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { anyObject, serialParam } from '../schemas.ts';

export function auditRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.get<{ Querystring: { serial?: string; after: number; limit: number } }>(
    '/api/audit',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Who sent which command, when, and what came of it; oldest first from `after`',
        tags: ['audit'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            serial: { ...serialParam, description: 'commands to this charger; `fleet` for the others' },
            after: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: anyObject }, next: { type: 'integer' } },
          },
        },
      },
    },
    async (request) => {
      const { serial, after, limit } = request.query;
      const stored = await options.events.read(after, limit, {
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
        ...(stored.length === limit && last !== undefined ? { next: last.seq } : {}),
      };
    },
  );
}
