import { once } from 'node:events';
import type { TransactionRecord } from '@fleetwire/contracts';
import type { TransactionFilter } from '@fleetwire/store';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { csvLine } from '../csv.ts';
import { errorResponse, ref, serialParam, withAccessErrors } from '../schemas.ts';
import { transactionView } from '../views.ts';

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
  'energyKWh',
  'durationS',
  'streamEnergyWh',
  'stopReason',
  'remoteStartRequestId',
  'flags',
] as const;

function csvRow(record: TransactionRecord): string {
  const view = transactionView(record);
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
    view.energyKWh,
    view.durationS,
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
        operationId: 'listTransactions',
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
        response: withAccessErrors({
          200: {
            description: 'A page of transactions, or with format=csv all of them',
            content: {
              'application/json': { schema: ref('TransactionPage') },
              'text/csv': {
                schema: {
                  type: 'string',
                  description: `A header line, then one line a transaction: ${csvColumns.join(',')}`,
                },
              },
            },
          },
          400: errorResponse('A filter that does not parse (from, to) or out of its range'),
        }),
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
      if (format === 'json') {
        const page = await options.transactions.list(filter, { limit, ...(after === undefined ? {} : { after }) });
        return {
          items: page.items.map((record) => transactionView(record)),
          ...(page.next === undefined ? {} : { next: page.next }),
        };
      }
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
