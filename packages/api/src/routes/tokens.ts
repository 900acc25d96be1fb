import { randomUUID } from 'node:crypto';
import { generateToken, hashToken } from '@fleetwire/auth';
import type { ApiTokenRecord } from '@fleetwire/store';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { errorBody } from '../schemas.ts';

const tokenView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    token: { type: 'string', description: 'Only in the answer that created it' },
  },
} as const;

const view = ({ hash: _hash, ...record }: ApiTokenRecord) => record;

export function tokenRoutes(app: FastifyInstance, options: ApiOptions): void {
  app.post<{ Body: { name: string; scopes: ('read' | 'operate' | 'admin')[] } }>(
    '/api/tokens',
    {
      config: { scope: 'admin', audit: 'token.create' },
      schema: {
        summary: 'Make an operator token with scopes (read, operate, admin); it is shown once, only its hash is kept',
        tags: ['tokens'],
        body: {
          type: 'object',
          required: ['name', 'scopes'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64 },
            scopes: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: ['read', 'operate', 'admin'] },
            },
          },
        },
        response: { 201: tokenView, 400: errorBody },
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
        summary: 'Operator tokens, without their secrets',
        tags: ['tokens'],
        response: { 200: { type: 'array', items: tokenView } },
      },
    },
    async () => (await options.tokens.list()).map(view),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/tokens/:id',
    {
      config: { scope: 'admin', audit: 'token.delete' },
      schema: {
        summary: 'Revoke an operator token',
        tags: ['tokens'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: { 204: { type: 'null' }, 404: errorBody },
      },
    },
    async (request, reply) => {
      if (!(await options.tokens.delete(request.params.id))) return reply.code(404).send({ error: 'unknown token' });
      return reply.code(204).send();
    },
  );
}
