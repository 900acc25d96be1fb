import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { bearerToken, hashToken } from '@fleetwire/auth';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { registerAudit } from './audit.ts';
import { registerAuthentication } from './auth.ts';
import type { ApiOptions } from './context.ts';
import { registerDashboard } from './dashboard.ts';
import { auditRoutes } from './routes/audit.ts';
import { chargerRoutes } from './routes/chargers.ts';
import { commandRoutes } from './routes/commands.ts';
import { easeeCommandRoutes } from './routes/easee-commands.ts';
import { eventRoutes } from './routes/events.ts';
import { fleetRoutes } from './routes/fleet.ts';
import { healthRoutes } from './routes/health.ts';
import { idTagRoutes } from './routes/id-tags.ts';
import { siteRoutes } from './routes/sites.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { transactionRoutes } from './routes/transactions.ts';
import { registerSchemas } from './schemas.ts';
import { validatorCompiler } from './validation.ts';

interface ApiError {
  readonly statusCode?: number;
  readonly message: string;
  readonly validation?: readonly { keyword: string; instancePath: string; params: Record<string, unknown> }[];
  readonly validationContext?: string;
}

/** One line that says what was wrong; for a value outside an enum, the values that are allowed. */
function messageOf(error: ApiError): string {
  const allowed = error.validation?.find((problem) => problem.keyword === 'enum')?.params.allowedValues;
  return Array.isArray(allowed) ? `${error.message}: ${allowed.join(', ')}` : error.message;
}

export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request lines would dominate the log at fleet scale; commands are in the audit trail.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
  });

  registerSchemas(app);
  app.setValidatorCompiler(validatorCompiler(app.getSchemas()));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fleetwire operator API',
        version: '1.0.0',
        description:
          'Chargers, id tags, OCPP 1.6 and Easee commands, smart charging, transactions and live events of an Easee fleet. ' +
          'Bearer tokens carry scopes: read, operate (commands), admin (registrations, id tags, tokens, audit). ' +
          'Every time is ISO 8601 UTC; listings are cursor-paged (follow `next` until it is absent).',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Fleetwire' },
      },
      servers: [{ url: '/', description: 'The edge that serves this document' }],
      tags: [
        { name: 'chargers', description: 'Registrations and the live state of both channels' },
        { name: 'commands', description: 'OCPP 1.6 and Easee commands, decided by the charger model' },
        { name: 'smart-charging', description: 'Installed profiles, composite schedules, the flash-write budget' },
        { name: 'id-tags', description: 'Who may charge, and local lists' },
        { name: 'sites', description: 'Load management: fuses, circuits and the chargers sharing them' },
        { name: 'transactions', description: 'Charging sessions, as JSON pages or CSV' },
        { name: 'events', description: 'The live event stream (Server-Sent Events)' },
        { name: 'audit', description: 'Who did what (admin)' },
        { name: 'tokens', description: 'Operator tokens (admin)' },
        { name: 'health', description: 'Probes' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Component schemas are named by their $id, as the routes reference them.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `schema${i}`) },
  });
  // The reference, rendered by Swagger UI from its own bundled files: no CDN.
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimitPerMinute ?? 6_000,
    timeWindow: 60_000,
    // Per token (its hash, never the token), else per address.
    keyGenerator: (request) => {
      const token = bearerToken(request.headers.authorization);
      return token === undefined ? request.ip : hashToken(token);
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `more than ${context.max} requests a minute for this token; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: ApiError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'API request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : messageOf(error) });
  });

  registerAuthentication(app, options);
  registerAudit(app, options);
  healthRoutes(app, options);
  chargerRoutes(app, options);
  fleetRoutes(app, options);
  idTagRoutes(app, options);
  siteRoutes(app, options);
  commandRoutes(app, options);
  easeeCommandRoutes(app, options);
  transactionRoutes(app, options);
  eventRoutes(app, options);
  auditRoutes(app, options);
  tokenRoutes(app, options);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerDashboard(app, options.dashboardDir);
  await app.ready();
  return app;
}
