import { randomUUID } from 'node:crypto';
import { commandCatalog } from '@fleetwire/easee';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { errorResponse, recentCommandParams, ref, serialParam, withAccessErrors } from '../schemas.ts';
import { withIsoTimes } from '../views.ts';
import { askWorker, replyWith } from '../worker-requests.ts';

export function easeeCommandRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.post<{
    Params: { serial: string; command: string };
    Body: Record<string, unknown>;
    Querystring: { waitMs: number };
  }>(
    '/api/chargers/:serial/easee/:command',
    {
      config: { scope: 'operate', audit: 'easee.command' },
      schema: {
        operationId: 'sendEaseeCommand',
        summary: 'Send an Easee command over the operator stream',
        description:
          'The body holds the typed arguments by name, e.g. SetDynamicChargerCurrent `{ "current": 13, "ttlMinutes": 5 }`. ' +
          'Answers with the outcome once the command response arrives within `waitMs`, else 202 with the request id. ' +
          'Without a response in time the command is sent again, a bounded number of times, unless it expired.',
        tags: ['commands'],
        params: {
          type: 'object',
          required: ['serial', 'command'],
          properties: { serial: serialParam, command: { type: 'string', enum: [...commandCatalog.keys()] } },
        },
        querystring: {
          type: 'object',
          properties: { waitMs: { type: 'integer', minimum: 0, maximum: 60_000, default: 10_000 } },
        },
        body: { type: 'object', additionalProperties: true, description: 'The typed arguments of the command by name' },
        response: withAccessErrors({
          200: { ...ref('EaseeCommandOutcome'), description: 'The command response came within waitMs' },
          202: { ...ref('EaseeCommandOutcome'), description: 'Sent; ask for its outcome by requestId' },
          400: errorResponse('Unknown command, or arguments that are missing, mistyped or out of range'),
          404: errorResponse('Unknown charger'),
          503: errorResponse('No Easee operator stream is configured'),
          504: errorResponse('No worker answered in time'),
        }),
      },
    },
    async (request, reply) => {
      const { serial, command } = request.params;
      if ((await options.chargers.get(serial)) === undefined) {
        return reply.code(404).send({ error: `unknown charger ${serial}` });
      }
      const { waitMs } = request.query;
      const answer = await askWorker(
        options.bus,
        options.shardCount,
        serial,
        { op: 'easee', requestId: randomUUID(), name: command, args: request.body ?? {}, waitMs },
        waitMs + 10_000,
      );
      request.log.info({ serial, command, ok: answer.ok }, 'Easee command');
      return replyWith(reply, answer);
    },
  );

  app.get<{ Params: { serial: string; requestId: string } }>(
    '/api/chargers/:serial/easee/commands/:requestId',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getEaseeCommand',
        summary: 'The outcome of an Easee command, or that it is still pending',
        tags: ['commands'],
        params: recentCommandParams,
        response: withAccessErrors({
          200: { ...ref('EaseeCommandOutcome'), description: 'The outcome, or status pending' },
          404: errorResponse('No recent Easee command with that id for the charger'),
        }),
      },
    },
    async (request, reply) => {
      const { serial, requestId } = request.params;
      const answer = await askWorker(
        options.bus,
        options.shardCount,
        serial,
        { op: 'easee-command', requestId },
        5_000,
      );
      // Still pending is a fine answer to a question: 200, not 202.
      return answer.ok
        ? reply.send(withIsoTimes(answer.body))
        : reply.code(answer.status).send({ error: answer.error });
    },
  );
}
