import type { SiteRecord } from '@fleetwire/contracts';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { errorResponse, ref, withAccessErrors } from '../schemas.ts';
import { withIsoTimes } from '../views.ts';
import { askSite, replyWith } from '../worker-requests.ts';

interface SiteParams {
  siteId: string;
}

interface SiteInput {
  name?: string;
  maxCurrentA: number;
  phases?: 1 | 3;
  minCurrentA?: number;
  chargers?: string[];
  circuits?: { id: string; maxCurrentA: number; chargers: string[] }[];
  fallbackCurrentA?: number;
}

interface LimitInput {
  maxCurrentA: number | null;
  until?: string;
}

const siteParams = {
  type: 'object',
  required: ['siteId'],
  properties: { siteId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,48}$', description: 'Site id' } },
} as const;

const siteWaitMs = 5_000;

/** Why a definition cannot be taken, if it cannot: a charger twice, a circuit id twice, a circuit above the site. */
function problemOf(input: SiteInput): string | undefined {
  const seen = new Set<string>();
  for (const serial of [...(input.chargers ?? []), ...(input.circuits ?? []).flatMap((circuit) => circuit.chargers)]) {
    if (seen.has(serial)) return `charger ${serial} is listed twice`;
    seen.add(serial);
  }
  const circuitIds = new Set<string>();
  for (const circuit of input.circuits ?? []) {
    if (circuitIds.has(circuit.id)) return `circuit ${circuit.id} is listed twice`;
    circuitIds.add(circuit.id);
  }
  if (seen.size === 0) return 'a site needs at least one charger';
  return undefined;
}

export function siteRoutes(app: FastifyInstance, options: ApiOptions): void {
  const { sites, bus, shardCount } = options;

  app.put<{ Params: SiteParams; Body: SiteInput }>(
    '/api/sites/:siteId',
    {
      config: { scope: 'admin', audit: 'site.put' },
      schema: {
        operationId: 'putSite',
        summary: 'Define a site: its fuse, its circuits and the chargers behind them (load management)',
        tags: ['sites'],
        params: siteParams,
        body: ref('SiteInput'),
        response: withAccessErrors({
          200: { ...ref('SiteWithAllocation'), description: 'Replaced' },
          201: { ...ref('SiteWithAllocation'), description: 'Created' },
          400: errorResponse('The body breaks its schema'),
          409: errorResponse('A charger is on another site already'),
        }),
      },
    },
    async (request, reply) => {
      const { siteId } = request.params;
      const input = request.body;
      const problem = problemOf(input);
      if (problem !== undefined) return reply.code(400).send({ error: problem });
      const members = [...(input.chargers ?? []), ...(input.circuits ?? []).flatMap((circuit) => circuit.chargers)];
      for (const serial of members) {
        const other = await sites.siteOf(serial);
        if (other !== undefined && other !== siteId) {
          return reply.code(409).send({ error: `charger ${serial} is on site ${other}; take it off there first` });
        }
      }
      const existing = await sites.get(siteId);
      const now = new Date().toISOString();
      const record: SiteRecord = {
        siteId,
        ...(input.name === undefined ? {} : { name: input.name }),
        maxCurrentA: input.maxCurrentA,
        phases: input.phases ?? 3,
        minCurrentA: input.minCurrentA ?? 6,
        chargers: input.chargers ?? [],
        circuits: input.circuits ?? [],
        ...(input.fallbackCurrentA === undefined ? {} : { fallbackCurrentA: input.fallbackCurrentA }),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await sites.put(record);
      const answer = await askSite(bus, shardCount, siteId, { op: 'define' }, siteWaitMs);
      return reply.code(existing === undefined ? 201 : 200).send({
        site: record,
        allocation: answer.ok ? withIsoTimes(answer.body) : null,
        ...(answer.ok ? {} : { allocationError: answer.error }),
      });
    },
  );

  app.get<{ Querystring: { limit?: number; after?: string } }>(
    '/api/sites',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listSites',
        summary: 'Sites, in id order, with a cursor',
        tags: ['sites'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { type: 'string', maxLength: 48 },
          },
        },
        response: withAccessErrors({
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: ref('Site') }, next: { type: 'string' } },
          },
        }),
      },
    },
    async (request) => {
      const { limit = 100, after } = request.query;
      return sites.list({ limit, ...(after === undefined ? {} : { after }) });
    },
  );

  app.get<{ Params: SiteParams }>(
    '/api/sites/:siteId',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getSite',
        summary: 'A site with its live allocation: per charger the current it may draw, sent, confirmed, drawn',
        tags: ['sites'],
        params: siteParams,
        response: withAccessErrors({
          200: ref('SiteWithAllocation'),
          404: errorResponse('No such site'),
        }),
      },
    },
    async (request, reply) => {
      const site = await sites.get(request.params.siteId);
      if (site === undefined) return reply.code(404).send({ error: `no site ${request.params.siteId}` });
      const answer = await askSite(bus, shardCount, site.siteId, { op: 'view' }, siteWaitMs);
      return {
        site,
        allocation: answer.ok ? withIsoTimes(answer.body) : null,
        ...(answer.ok ? {} : { allocationError: answer.error }),
      };
    },
  );

  app.delete<{ Params: SiteParams }>(
    '/api/sites/:siteId',
    {
      config: { scope: 'admin', audit: 'site.delete' },
      schema: {
        operationId: 'deleteSite',
        summary:
          'Remove a site: its chargers are told they are on no site (their last allocation runs out with its TTL)',
        tags: ['sites'],
        params: siteParams,
        response: withAccessErrors({
          204: { type: 'null', description: 'Removed' },
          404: errorResponse('No such site'),
        }),
      },
    },
    async (request, reply) => {
      const removed = await sites.delete(request.params.siteId);
      if (!removed) return reply.code(404).send({ error: `no site ${request.params.siteId}` });
      await askSite(bus, shardCount, request.params.siteId, { op: 'define' }, siteWaitMs);
      return reply.code(204).send();
    },
  );

  app.put<{ Params: SiteParams; Body: LimitInput }>(
    '/api/sites/:siteId/limit',
    {
      config: { scope: 'operate', audit: 'site.limit' },
      schema: {
        operationId: 'putSiteLimit',
        summary: "A temporary limit below the site's fuse (a grid operator's request), until a time or until lifted",
        tags: ['sites'],
        params: siteParams,
        body: ref('SiteLimitInput'),
        response: withAccessErrors({
          200: ref('SiteAllocation'),
          400: errorResponse('The body breaks its schema'),
          404: errorResponse('No such site'),
          503: errorResponse('No worker owns the site right now; retry'),
        }),
      },
    },
    async (request, reply) => {
      const { maxCurrentA, until } = request.body;
      const untilMs = until === undefined ? null : Date.parse(until);
      if (untilMs !== null && untilMs <= Date.now()) return reply.code(400).send({ error: 'until is in the past' });
      return replyWith(
        reply,
        await askSite(bus, shardCount, request.params.siteId, { op: 'limit', maxCurrentA, until: untilMs }, siteWaitMs),
      );
    },
  );
}
