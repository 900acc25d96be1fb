import { fleetEventTypes } from '@fleetwire/contracts';
import type { StoredEvent } from '@fleetwire/store';
import type { FastifyInstance } from 'fastify';
import { allows } from '../auth.ts';
import type { ApiOptions } from '../context.ts';
import { errorResponse, eventTypesDescription, ref, serialParam, withAccessErrors } from '../schemas.ts';
import { withIsoTimes } from '../views.ts';

const maxClients = 200;
const maxBufferedBytes = 1024 * 1024;
const heartbeatMs = 15_000;
const visibleTypes = fleetEventTypes.filter((type) => type !== 'audit');

export function eventRoutes(app: FastifyInstance, options: ApiOptions): void {
  let clients = 0;
  app.get<{ Querystring: { serial?: string; type?: string; after?: number; from?: number } }>(
    '/api/events',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'streamEvents',
        summary: 'Fleet events as Server-Sent Events, resumable',
        description:
          'Each event carries its sequence in the durable stream as its SSE id. A new stream starts with the events ' +
          'from now on; reconnect with `Last-Event-ID` (or `from`) to get every event after that sequence, stored ' +
          'ones first, without gaps (`from=0`: everything still kept). `type` takes a comma-separated list. Audit ' +
          'events are sent to admin tokens only. Each `data:` is a FleetEvent. ' +
          eventTypesDescription,
        tags: ['events'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            serial: serialParam,
            type: {
              type: 'string',
              maxLength: 500,
              pattern: `^(${fleetEventTypes.join('|')})(,(${fleetEventTypes.join('|')}))*$`,
              description: 'Comma-separated event types to receive',
            },
            from: { type: 'integer', minimum: 0, description: 'Sequence to resume after (as Last-Event-ID)' },
            after: { type: 'integer', minimum: 0, deprecated: true, description: 'The old name of `from`' },
          },
        },
        response: withAccessErrors({
          200: {
            description: 'The stream: `id:` the sequence, `event:` the type, `data:` a FleetEvent as JSON',
            content: { 'text/event-stream': { schema: ref('FleetEvent') } },
          },
          400: errorResponse('A type that is not an event type, or a cursor out of range'),
          503: errorResponse('This edge serves its most event streams already'),
        }),
      },
    },
    async (request, reply) => {
      if (clients >= maxClients) return reply.code(503).send({ error: `at most ${maxClients} event streams per edge` });
      const header = request.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
      // From now on unless told where to resume: a new reader does not get the whole history replayed.
      const after = lastEventId ?? request.query.from ?? request.query.after ?? 'now';
      const admin = request.principal !== undefined && allows(request.principal, 'admin');
      const requested = request.query.type
        ?.split(',')
        .map((type) => type.trim())
        .filter((type) => type !== '');
      if (!admin && requested?.includes('audit')) {
        return reply.code(403).send({ error: 'audit events are for admin tokens only' });
      }
      // The audit trail is admin-only on every channel: a read token's stream leaves it out.
      const types = requested ?? (admin ? undefined : visibleTypes);
      clients += 1;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      const send = (stored: StoredEvent) => {
        // A reader that does not keep up is cut off; it resumes with Last-Event-ID and loses nothing.
        if (raw.writableLength > maxBufferedBytes) {
          raw.end();
          return;
        }
        raw.write(
          `id: ${stored.seq}\nevent: ${stored.event.type}\ndata: ${JSON.stringify(withIsoTimes(stored.event))}\n\n`,
        );
      };
      const stop = options.events.follow(
        after,
        {
          ...(request.query.serial === undefined ? {} : { serial: request.query.serial }),
          ...(types === undefined ? {} : { types }),
        },
        send,
      );
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs);
      raw.on('close', () => {
        clients -= 1;
        clearInterval(heartbeat);
        stop();
      });
    },
  );
}
