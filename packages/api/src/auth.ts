import { bearerToken, hashToken } from '@fleetwire/auth';
import type { ApiScope } from '@fleetwire/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiOptions } from './context.ts';

export interface Principal {
  readonly name: string;
  readonly scopes: readonly ApiScope[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a token must be allowed to do for this route; public routes have none. */
    scope?: ApiScope;
    /** Routes whose every call is written to the audit trail, under this action name. */
    audit?: string;
    /** What the audit entry keeps of the request body, when not the (redacted) body itself. */
    auditSummary?: (body: unknown) => unknown;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

// admin can do what operate can, operate what read can.
const granted: Record<ApiScope, readonly ApiScope[]> = {
  read: ['read', 'operate', 'admin'],
  operate: ['operate', 'admin'],
  admin: ['admin'],
};

export function allows(principal: Principal, scope: ApiScope): boolean {
  return principal.scopes.some((held) => granted[scope].includes(held));
}

/** Bearer tokens: FLEETWIRE_API_TOKENS are admins; tokens made through the API carry their own scopes. */
export function registerAuthentication(app: FastifyInstance, options: ApiOptions): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    const token = bearerToken(request.headers.authorization);
    let principal: Principal | undefined;
    if (token !== undefined) {
      if (options.adminTokens.accepts(token)) principal = { name: 'bootstrap', scopes: ['admin'] };
      else {
        const record = await options.tokens.byHash(hashToken(token));
        if (record !== undefined) principal = { name: record.name, scopes: record.scopes };
      }
    }
    if (principal === undefined) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer realm="fleetwire"')
        .send({ error: 'a valid bearer token is required' });
    }
    if (!allows(principal, scope)) {
      return reply.code(403).send({ error: `token ${principal.name} lacks the ${scope} scope` });
    }
    request.principal = principal;
  });
}
