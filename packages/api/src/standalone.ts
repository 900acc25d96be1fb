import { TokenSet } from '@fleetwire/auth';
import { InProcessBus } from '@fleetwire/bus';
import { memoryStores } from '@fleetwire/store';
import { createLogger } from '@fleetwire/telemetry';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './app.ts';

/**
 * The API with nothing behind it (in-memory stores, a bus no worker listens on): its OpenAPI document, docs page
 * and request validation, for what checks or generates from them.
 */
export function buildStandaloneApi(adminToken: string): Promise<FastifyInstance> {
  const stores = memoryStores(4);
  return buildApi({
    bus: new InProcessBus(),
    chargers: stores.chargers,
    idTags: stores.idTags,
    sites: stores.sites,
    transactions: stores.transactions,
    events: stores.events,
    tokens: stores.tokens,
    adminTokens: TokenSet.fromTokens([adminToken]),
    shardCount: 4,
    callTimeoutMs: 1_000,
    logger: createLogger({ level: 'silent' }),
    readiness: () => ({ ready: true }),
  });
}
