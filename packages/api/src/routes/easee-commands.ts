import { randomUUID } from 'node:crypto';
import { commandCatalog } from '@fleetwire/easee';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { anyObject, errorBody, serialParam } from '../schemas.ts';
import { askWorker, replyWith } from '../worker-requests.ts';

const outcome = {
  type: 'object',
  required: ['requestId', 'status'],
  properties: {
    requestId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'accepted', 'rejected', 'no-response', 'expired'] },
    name: { type: 'string' },
    commandId: { type: 'integer' },
    attempts: { type: 'integer' },
    resultCode: { type: ['integer', 'null'] },
    comment: { type: 'string' },
    requestedAt: { type: 'number' },
    settledAt: { type: 'number' },
  },
} as const;

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
        body: anyObject,
        response: { 200: outcome, 202: outcome, 400: errorBody, 404: errorBody, 503: errorBody, 504: errorBody },
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
        summary: 'The outcome of an Easee command, or that it is still pending',
        tags: ['commands'],
        params: {
          type: 'object',
          required: ['serial', 'requestId'],
          properties: { serial: serialParam, requestId: { type: 'string', maxLength: 64 } },
        },
        response: { 200: anyObject, 404: errorBody },
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
      return answer.ok ? reply.send(answer.body) : reply.code(answer.status).send({ error: answer.error });
    },
  );
}
