import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// The dashboard talks to this API only: its own files, inline styles for the virtualised rows, nothing else.
const contentSecurityPolicy =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * The operator dashboard's built files at `/` (packages/dashboard, built by `pnpm start` and `pnpm test`): hashed assets cached
 * for a year, index.html revalidated every time so that an upgrade is seen on the next load.
 */
export async function registerDashboard(app: FastifyInstance, dashboardDir: string | undefined): Promise<void> {
  if (dashboardDir === undefined || !existsSync(join(dashboardDir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).send({
        error: 'the dashboard is not built here: run pnpm --filter @fleetwire/dashboard build, or pnpm start',
      }),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dashboardDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    setHeaders(response, path) {
      if (path.includes('/assets/')) response.header('cache-control', 'public, max-age=31536000, immutable');
      else {
        response.header('cache-control', 'no-cache');
        response.header('content-security-policy', contentSecurityPolicy);
      }
    },
  });
}
