import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';

export function healthRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness: the process answers', tags: ['health'], security: [] } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: connected to what this role needs and not draining',
        tags: ['health'],
        security: [],
      },
    },
    async (_request, reply) => {
      const readiness = options.readiness();
      return reply.code(readiness.ready ? 200 : 503).send(readiness);
    },
  );
}
