import { type Bus, NoRespondersError, RemoteError, RequestTimeoutError } from '@fleetwire/bus';
import {
  type ApiReply,
  type ApiRequest,
  retryWithBackoff,
  type SiteApiRequest,
  shardOf,
  subjects,
} from '@fleetwire/contracts';
import type { FastifyReply } from 'fastify';
import { withIsoTimes } from './views.ts';

/**
 * Asks the worker owning the charger's shard. While a shard changes hands nobody may answer for a moment, so that
 * is retried until the deadline; a timeout is not retried for commands (the charger may have acted on it).
 */
export function askWorker(
  bus: Bus,
  shardCount: number,
  serial: string,
  request: ApiRequest,
  timeoutMs: number,
): Promise<ApiReply> {
  return askOwner(bus, subjects.api(shardOf(serial, shardCount), serial), request, timeoutMs, 'charger');
}

/** Asks the worker owning the site's shard, as `askWorker` asks a charger's. */
export function askSite(
  bus: Bus,
  shardCount: number,
  siteId: string,
  request: SiteApiRequest,
  timeoutMs: number,
): Promise<ApiReply> {
  return askOwner(bus, subjects.siteApi(shardOf(siteId, shardCount), siteId), request, timeoutMs, 'site');
}

async function askOwner(
  bus: Bus,
  subject: string,
  request: unknown,
  timeoutMs: number,
  what: string,
): Promise<ApiReply> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await retryWithBackoff(
      () => bus.request<ApiReply>(subject, request, { timeoutMs: Math.max(1, deadline - Date.now()) }),
      { firstMs: 25, maxMs: 1_000 },
      (error, waitMs) => !isHandingOver(error) || Date.now() + waitMs >= deadline,
    );
  } catch (error) {
    if (isHandingOver(error)) return { ok: false, status: 503, error: `no worker owns this ${what} right now; retry` };
    if (error instanceof RequestTimeoutError) return { ok: false, status: 504, error: error.message };
    throw error;
  }
}

/** No worker owns the subject now: its shard is changing hands. */
function isHandingOver(error: unknown): boolean {
  return error instanceof NoRespondersError || (error instanceof RemoteError && error.message.startsWith('not-owner:'));
}

/** Sends a worker's answer: its body with 200 (202 while an Easee command is pending), or its error and status. */
export function replyWith(reply: FastifyReply, answer: ApiReply): FastifyReply {
  if (!answer.ok) {
    return reply
      .code(answer.status)
      .send({ error: answer.error, ...(answer.rule === undefined ? {} : { rule: answer.rule }) });
  }
  const pending = (answer.body as { status?: unknown } | null)?.status === 'pending';
  return reply.code(pending ? 202 : 200).send(withIsoTimes(answer.body));
}
