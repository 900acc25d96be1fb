import { opModeNames } from '@fleetwire/easee';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { withAccessErrors } from '../schemas.ts';

const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } as const;

/** What a dashboard needs first: the fleet counted, and what the caller's token may do. */
export function fleetRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.get(
    '/api/fleet',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getFleet',
        summary: 'The fleet counted: registered, connected over OCPP, by OCPP status of connector 1, by Easee op mode',
        tags: ['chargers'],
        response: withAccessErrors({
          200: {
            type: 'object',
            required: ['registered', 'connected', 'byStatus', 'opModes'],
            properties: {
              registered: { type: 'integer', minimum: 0 },
              connected: { type: 'integer', minimum: 0, description: 'Connected over OCPP now' },
              byStatus: { ...counts, description: 'By the last OCPP status of connector 1 (absent: never reported)' },
              opModes: {
                type: 'array',
                description: 'By the last Easee ChargerOpMode (observation 109), the modes present',
                items: {
                  type: 'object',
                  required: ['opMode', 'name', 'chargers'],
                  properties: {
                    opMode: { type: 'integer' },
                    name: { type: 'string' },
                    chargers: { type: 'integer', minimum: 0 },
                  },
                },
              },
            },
          },
        }),
      },
    },
    async () => {
      const { byOpMode, ...census } = await options.chargers.census();
      const opModes = Object.entries(byOpMode).map(([opMode, chargers]) => ({
        opMode: Number(opMode),
        name: opModeNames[Number(opMode)] ?? `op mode ${opMode}`,
        chargers,
      }));
      return { ...census, opModes };
    },
  );

  app.get(
    '/api/session',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getSession',
        summary: "The caller's token: its name and scopes (what a client may offer)",
        tags: ['tokens'],
        response: withAccessErrors({
          200: {
            type: 'object',
            required: ['name', 'scopes'],
            properties: {
              name: { type: 'string' },
              scopes: { type: 'array', items: { type: 'string', enum: ['read', 'operate', 'admin'] } },
            },
          },
        }),
      },
    },
    async (request) => ({ name: request.principal?.name ?? '', scopes: request.principal?.scopes ?? [] }),
  );
}
