import { randomUUID } from 'node:crypto';
import { generateToken, hashToken } from '@fleetwire/auth';
import type { ApiTokenRecord } from '@fleetwire/store';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { errorResponse, ref, withAccessErrors } from '../schemas.ts';

const view = ({ hash: _hash, ...record }: ApiTokenRecord) => record;

export function tokenRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.post<{ Body: { name: string; scopes: ('read' | 'operate' | 'admin')[] } }>(
    '/api/tokens',
    {
      config: { scope: 'admin', audit: 'token.create' },
      schema: {
        operationId: 'createToken',
        summary: 'Make an operator token with scopes (read, operate, admin); it is shown once, only its hash is kept',
        tags: ['tokens'],
        body: ref('TokenInput'),
        response: withAccessErrors({
          201: { ...ref('Token'), description: 'The token, shown this once' },
          400: errorResponse('The body breaks its schema'),
        }),
      },
    },
    async (request, reply) => {
      const token = generateToken();
      const record: ApiTokenRecord = {
        id: randomUUID(),
        name: request.body.name,
        scopes: request.body.scopes,
        hash: hashToken(token),
        createdAt: new Date().toISOString(),
      };
      await options.tokens.put(record);
      return reply.code(201).send({ ...view(record), token });
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listTokens',
        summary: 'Operator tokens, without their secrets',
        tags: ['tokens'],
        response: withAccessErrors({ 200: { ...ref('TokenList'), description: 'Every token, no secret' } }),
      },
    },
    async () => (await options.tokens.list()).map(view),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/tokens/:id',
    {
      config: { scope: 'admin', audit: 'token.delete' },
      schema: {
        operationId: 'deleteToken',
        summary: 'Revoke an operator token',
        tags: ['tokens'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: withAccessErrors({
          204: { type: 'null', description: 'Revoked' },
          404: errorResponse('Unknown token'),
        }),
      },
    },
    async (request, reply) => {
      if (!(await options.tokens.delete(request.params.id))) return reply.code(404).send({ error: 'unknown token' });
      return reply.code(204).send();
    },
  );
}
