import type { AuthorizationStatus, IdTagRecord } from '@fleetwire/contracts';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { importSummary, readImportRows } from '../csv.ts';
import { errorResponse, idTagParam, ref, withAccessErrors } from '../schemas.ts';

interface IdTagParams {
  idTag: string;
}

interface IdTagInput {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

const statuses: readonly string[] = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'];
const idTagParams = { type: 'object', required: ['idTag'], properties: { idTag: idTagParam } } as const;

function record(idTag: string, input: IdTagInput): IdTagRecord {
  return {
    idTag,
    status: input.status,
    ...(input.expiryDate === undefined || input.expiryDate === ''
      ? {}
      : { expiryDate: new Date(input.expiryDate).toISOString() }),
    ...(input.parentIdTag === undefined || input.parentIdTag === '' ? {} : { parentIdTag: input.parentIdTag }),
    updatedAt: new Date().toISOString(),
  };
}

/** Why a row of an import is refused, if it is. */
function problemOf(row: Record<string, unknown>): string | undefined {
  const idTag = String(row.idTag ?? '');
  if (idTag.length < 1 || idTag.length > 20) return 'idTag must be 1 to 20 characters';
  if (!statuses.includes(String(row.status))) return `status must be one of ${statuses.join(', ')}`;
  const expiry = row.expiryDate;
  if (expiry !== undefined && expiry !== '' && Number.isNaN(Date.parse(String(expiry))))
    return 'expiryDate is not a date-time';
  const parent = row.parentIdTag;
  if (parent !== undefined && parent !== '' && String(parent).length > 20)
    return 'parentIdTag must be at most 20 characters';
  return undefined;
}

export function idTagRoutes(app: FastifyInstance, options: ApiOptions): void {
  const { idTags } = options;

  app.put<{ Params: IdTagParams; Body: IdTagInput }>(
    '/api/id-tags/:idTag',
    {
      config: { scope: 'admin', audit: 'id-tag.put' },
      schema: {
        operationId: 'putIdTag',
        summary: 'Create or replace an id tag; parentIdTag puts it in a group',
        tags: ['id-tags'],
        params: idTagParams,
        body: ref('IdTagInput'),
        response: withAccessErrors({
          200: { ...ref('IdTag'), description: 'Replaced' },
          201: { ...ref('IdTag'), description: 'Created' },
          400: errorResponse('The body breaks its schema'),
        }),
      },
    },
    async (request, reply) => {
      const existed = (await idTags.get(request.params.idTag)) !== undefined;
      const stored = record(request.params.idTag, request.body);
      await idTags.put(stored);
      return reply.code(existed ? 200 : 201).send(stored);
    },
  );

  app.post<{ Body: unknown }>(
    '/api/id-tags/import',
    {
      config: { scope: 'admin', audit: 'id-tag.import', auditSummary: importSummary('idTag') },
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        operationId: 'importIdTags',
        summary:
          'Create or replace many id tags: CSV with columns idTag,status,expiryDate,parentIdTag, or a JSON array',
        tags: ['id-tags'],
        body: {
          content: {
            'application/json': { schema: { type: 'array', maxItems: 50_000, items: ref('IdTag') } },
            'text/csv': { schema: { type: 'string', description: 'idTag,status,expiryDate,parentIdTag' } },
          },
        },
        response: withAccessErrors({
          200: { ...ref('ImportResult'), description: 'What the import did, row by row' },
          400: errorResponse('Not CSV with a header line, nor a JSON array of at most 50,000 id tags'),
        }),
      },
    },
    async (request, reply) => {
      const read = readImportRows(request.body, 50_000, 'send text/csv or a JSON array of at most 50,000 id tags');
      if ('error' in read) return reply.code(400).send({ error: read.error });
      const { rows } = read;
      const counts = { created: 0, updated: 0, failed: [] as { line: number; error: string }[] };
      for (const [i, row] of rows.entries()) {
        const problem = problemOf(row);
        if (problem !== undefined) {
          counts.failed.push({ line: i + 1, error: problem });
          continue;
        }
        const idTag = String(row.idTag);
        const existed = (await idTags.get(idTag)) !== undefined;
        await idTags.put(record(idTag, row as unknown as IdTagInput));
        counts[existed ? 'updated' : 'created'] += 1;
      }
      return counts;
    },
  );

  app.get<{ Params: IdTagParams }>(
    '/api/id-tags/:idTag',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getIdTag',
        summary: 'An id tag (case-insensitive)',
        tags: ['id-tags'],
        params: idTagParams,
        response: withAccessErrors({
          200: { ...ref('IdTag'), description: 'The id tag' },
          404: errorResponse('Unknown id tag'),
        }),
      },
    },
    async (request, reply) => {
      const found = await idTags.get(request.params.idTag);
      return found === undefined
        ? reply.code(404).send({ error: `unknown id tag ${request.params.idTag}` })
        : reply.send(found);
    },
  );

  app.get<{ Querystring: { limit: number; after?: string; parent?: string } }>(
    '/api/id-tags',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listIdTags',
        summary: 'Id tags in order; with `parent`, the members of that group',
        tags: ['id-tags'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { type: 'string', maxLength: 64 },
            parent: idTagParam,
          },
        },
        response: withAccessErrors({
          200: { ...ref('IdTagPage'), description: 'A page of id tags' },
          400: errorResponse('A query value out of its range'),
        }),
      },
    },
    async (request) => {
      const { limit, after, parent } = request.query;
      return idTags.list({ limit, ...(after === undefined ? {} : { after }) }, parent);
    },
  );

  app.delete<{ Params: IdTagParams }>(
    '/api/id-tags/:idTag',
    {
      config: { scope: 'admin', audit: 'id-tag.delete' },
      schema: {
        operationId: 'deleteIdTag',
        summary: 'Delete an id tag: it is then answered Invalid',
        tags: ['id-tags'],
        params: idTagParams,
        response: withAccessErrors({
          204: { type: 'null', description: 'Deleted' },
          404: errorResponse('Unknown id tag'),
        }),
      },
    },
    async (request, reply) => {
      if (!(await idTags.delete(request.params.idTag))) {
        return reply.code(404).send({ error: `unknown id tag ${request.params.idTag}` });
      }
      return reply.code(204).send();
    },
  );
}
