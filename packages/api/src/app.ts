import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { registerAudit } from './audit.ts';
import { registerAuthentication } from './auth.ts';
import type { ApiOptions } from './context.ts';
import { auditRoutes } from './routes/audit.ts';
import { chargerRoutes } from './routes/chargers.ts';
import { commandRoutes } from './routes/commands.ts';
import { easeeCommandRoutes } from './routes/easee-commands.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { idTagRoutes } from './routes/id-tags.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { transactionRoutes } from './routes/transactions.ts';
import { validatorCompiler } from './validation.ts';

export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request lines would dominate the log at fleet scale; commands are in the audit trail.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fleetwire operator API',
        version: '1.0.0',
        description:
          'Chargers, id tags, OCPP 1.6 and Easee commands, smart charging, transactions and live events of an Easee fleet. ' +
          'Bearer tokens carry scopes: read, operate (commands), admin (registrations, id tags, tokens, audit).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'API request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });

  registerAuthentication(app, options);
  registerAudit(app, options);
  healthRoutes(app, options);
  chargerRoutes(app, options);
  idTagRoutes(app, options);
  commandRoutes(app, options);
  easeeCommandRoutes(app, options);
  transactionRoutes(app, options);
  eventRoutes(app, options);
  auditRoutes(app, options);
  tokenRoutes(app, options);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
