import { once } from 'node:events';
import type { TransactionRecord } from '@fleetwire/contracts';
import type { TransactionFilter } from '@fleetwire/store';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { csvLine } from '../csv.ts';
import { anyObject, pageOf, serialParam } from '../schemas.ts';

interface TransactionQuery {
  serial?: string;
  idTag?: string;
  from?: string;
  to?: string;
  limit: number;
  after?: string;
  format: 'json' | 'csv';
}

const csvColumns = [
  'id',
  'serial',
  'connectorId',
  'idTag',
  'status',
  'startedAt',
  'stoppedAt',
  'meterStartWh',
  'meterStopWh',
  'energyWh',
  'streamEnergyWh',
  'stopReason',
  'remoteStartRequestId',
  'flags',
] as const;

function csvRow(record: TransactionRecord): string {
  return csvLine([
    record.id,
    record.serial,
    record.connectorId,
    record.idTag,
    record.status,
    record.startedAt,
    record.stoppedAt,
    record.meterStartWh,
    record.meterStopWh,
    record.energyWh,
    record.streamSession?.energyWh,
    record.stopReason,
    record.remoteStartRequestId,
    record.flags.join('; '),
  ]);
}

export function transactionRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.get<{ Querystring: TransactionQuery }>(
    '/api/transactions',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Transactions in id order, filtered by charger, id tag and start time; format=csv streams them all',
        description:
          "Energy from the OCPP meter values (`energyWh`) beside the Easee stream's own record of the session " +
          '(`streamSession.energyWh`). As CSV the whole filtered set is streamed page by page, never held at once.',
        tags: ['transactions'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            serial: serialParam,
            idTag: { type: 'string', maxLength: 20 },
            from: { type: 'string', format: 'date-time', description: 'started at or after' },
            to: { type: 'string', format: 'date-time', description: 'started before' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { type: 'string', maxLength: 16 },
            format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
          },
        },
        response: { 200: pageOf(anyObject) },
      },
    },
    async (request, reply) => {
      const { limit, after, format, ...rest } = request.query;
      // Stored times are canonical ISO strings (ms, Z) and compare as text; so must the bounds.
      const filter: TransactionFilter = {
        ...rest,
        ...(rest.from === undefined ? {} : { from: new Date(rest.from).toISOString() }),
        ...(rest.to === undefined ? {} : { to: new Date(rest.to).toISOString() }),
      };
      if (format === 'json')
        return options.transactions.list(filter, { limit, ...(after === undefined ? {} : { after }) });
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="transactions.csv"',
      });
      raw.write(csvLine(csvColumns));
      let cursor = after;
      for (;;) {
        const page = await options.transactions.list(filter, {
          limit: 500,
          ...(cursor === undefined ? {} : { after: cursor }),
        });
        for (const record of page.items) {
          if (!raw.write(csvRow(record))) await once(raw, 'drain');
        }
        if (page.next === undefined || raw.destroyed) break;
        cursor = page.next;
      }
      raw.end();
    },
  );
}
