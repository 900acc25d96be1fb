import type { StoredEvent } from '@fleetwire/store';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { errorBody, serialParam } from '../schemas.ts';

const maxClients = 200;
const maxBufferedBytes = 1024 * 1024;
const heartbeatMs = 15_000;

export function eventRoutes(app: FastifyInstance, options: ApiOptions): void {
  let clients = 0;
  app.get<{ Querystring: { serial?: string; type?: string; after?: number } }>(
    '/api/events',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Fleet events as Server-Sent Events, resumable',
        description:
          'Each event carries its sequence in the durable stream as its SSE id. Reconnect with `Last-Event-ID` (or ' +
          '`after`) to get every event after it, stored ones first, without gaps. `type` takes a comma-separated list.',
        tags: ['events'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            serial: serialParam,
            type: { type: 'string', maxLength: 500 },
            after: { type: 'integer', minimum: 0 },
          },
        },
        response: { 503: errorBody },
      },
    },
    async (request, reply) => {
      if (clients >= maxClients) return reply.code(503).send({ error: `at most ${maxClients} event streams per edge` });
      const lastEventId = Number(request.headers['last-event-id']);
      const after = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : (request.query.after ?? 0);
      const types = request.query.type
        ?.split(',')
        .map((type) => type.trim())
        .filter((type) => type !== '');
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
        raw.write(`id: ${stored.seq}\nevent: ${stored.event.type}\ndata: ${JSON.stringify(stored.event)}\n\n`);
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
