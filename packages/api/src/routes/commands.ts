import { randomUUID } from 'node:crypto';
import { ruleSettingsOf } from '@fleetwire/contracts';
import { centralSystemInitiated, isCentralSystemAction, validateRequest } from '@fleetwire/ocpp';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { chargerCallErrors, errorResponse, ref, serialParam, withAccessErrors } from '../schemas.ts';
import { askWorker, replyWith } from '../worker-requests.ts';

interface CommandParams {
  serial: string;
  action: string;
}

export function commandRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.post<{ Params: CommandParams; Body: unknown; Querystring: { convert?: 'A' } }>(
    '/api/chargers/:serial/ocpp/:action',
    {
      config: { scope: 'operate', audit: 'ocpp.command' },
      schema: {
        operationId: 'sendOcppCommand',
        summary: 'Send a central-system OCPP 1.6 CALL to a connected charger and return its CALLRESULT',
        description:
          'The body is the OCPP request payload of the action, validated against the OCA 1.6 schema before it is sent.',
        tags: ['commands'],
        params: {
          type: 'object',
          required: ['serial', 'action'],
          properties: { serial: serialParam, action: { type: 'string', enum: Object.keys(centralSystemInitiated) } },
        },
        querystring: {
          type: 'object',
          properties: {
            convert: {
              type: 'string',
              enum: ['A'],
              description: 'Convert a W charging schedule to A instead of refusing it',
            },
          },
        },
        body: { type: 'object', additionalProperties: true, description: 'The OCPP request payload of the action' },
        response: withAccessErrors({
          200: { ...ref('OcppCommandResult'), description: "The charger's CALLRESULT" },
          400: errorResponse('Not a central-system action, or a payload that breaks its OCA schema (with `code`)'),
          404: errorResponse('Unknown charger'),
          409: errorResponse('Refused by an Easee rule, named in `rule`; nothing reached the charger'),
          ...chargerCallErrors,
        }),
      },
    },
    async (request, reply) => {
      const { serial, action } = request.params;
      if (!isCentralSystemAction(action))
        return reply.code(400).send({ error: `${action} is not a central-system action` });
      const violation = validateRequest(action, request.body);
      if (violation !== undefined) {
        return reply.code(400).send({ error: `${action}: ${violation.message}`, code: violation.code });
      }
      const registration = await options.chargers.get(serial);
      if (registration === undefined) return reply.code(404).send({ error: `unknown charger ${serial}` });
      const timeoutMs = options.callTimeoutMs;
      const outcome = await askWorker(
        options.bus,
        options.shardCount,
        serial,
        {
          op: 'ocpp',
          // Made here, so that a retry of this request on the shard's next owner is recognised and not sent again.
          requestId: randomUUID(),
          action,
          payload: request.body,
          timeoutMs,
          rules: ruleSettingsOf(registration),
          convertToAmps: request.query.convert === 'A',
        },
        timeoutMs + 5_000,
      );
      request.log.info({ serial, action, ok: outcome.ok }, 'central-system call');
      return replyWith(reply, outcome);
    },
  );
}
