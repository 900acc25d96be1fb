import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';

export function healthRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.get(
    '/healthz',
    // Probes for the orchestrator, not part of the operator API: left out of its document, never rate-limited.
    { config: { rateLimit: false }, schema: { hide: true, summary: 'Liveness: the process answers', security: [] } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { rateLimit: false },
      schema: { hide: true, summary: 'Readiness: connected to what this role needs and not draining', security: [] },
    },
    async (_request, reply) => {
      const readiness = options.readiness();
      return reply.code(readiness.ready ? 200 : 503).send(readiness);
    },
  );
}
