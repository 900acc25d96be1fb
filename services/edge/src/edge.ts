import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { buildApi } from '@fleetwire/api';
import type { TokenSet } from '@fleetwire/auth';
import type { Bus } from '@fleetwire/bus';
import type { Config } from '@fleetwire/config';
import { dashboardDir } from '@fleetwire/dashboard';
import { OcppGateway } from '@fleetwire/gateway';
import type { Stores } from '@fleetwire/store';
import type { FleetwireMetrics, Logger, Readiness } from '@fleetwire/telemetry';

export interface EdgeDependencies {
  readonly config: Config;
  readonly bus: Bus;
  readonly stores: Pick<Stores, 'chargers' | 'idTags' | 'sites' | 'transactions' | 'events' | 'tokens'>;
  /** FLEETWIRE_API_TOKENS (or the generated one): bootstrap tokens with every scope. */
  readonly adminTokens: TokenSet;
  readonly logger: Logger;
  readonly edgeId: string;
  /** Extra readiness condition of the process (e.g. the bus is connected). */
  readonly dependenciesReady?: () => boolean;
  readonly metrics?: FleetwireMetrics;
}

export interface RunningEdge {
  readonly ocppPort: number;
  readonly apiPort: number;
  readonly gateway: OcppGateway;
  /** Ready for chargers and operators: not draining, and the dependencies connected. */
  readiness(): Readiness;
  /** SIGTERM: stop taking connections, close sockets over the drain window, stop the API. */
  stop(): Promise<void>;
}

/**
 * Connections the kernel may hold for the edge to accept. Node's default (511) is a fraction of a reconnect storm:
 * past it the kernel drops SYNs and each charger waits out TCP's retransmission, 1, 3, 7, 15 s (P6 saw 974,000
 * drops and a 20 s tail). Linux caps it at net.core.somaxconn (4,096 by default).
 */
const acceptBacklog = 65_535;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: acceptBacklog }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function ocppServer(config: Config): Promise<Server> {
  if (config.ocppTls === undefined) return createHttpServer();
  // Security profile 2 without a TLS-terminating proxy in front.
  const [cert, key] = await Promise.all([readFile(config.ocppTls.certFile), readFile(config.ocppTls.keyFile)]);
  return createHttpsServer({ cert, key, minVersion: 'TLSv1.2' }) as unknown as Server;
}

export async function startEdge(deps: EdgeDependencies): Promise<RunningEdge> {
  const { config, logger } = deps;
  const gateway = new OcppGateway({
    bus: deps.bus,
    registry: deps.stores.chargers,
    logger: logger.child({ component: 'gateway' }),
    shardCount: config.shards,
    edgeId: deps.edgeId,
    autoRegister: config.autoRegister,
    callTimeoutMs: config.callTimeoutMs,
    pingIntervalS: config.pingIntervalS,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
  const readiness = (): Readiness => {
    if (gateway.isDraining) return { ready: false, reason: 'draining' };
    if (deps.dependenciesReady !== undefined && !deps.dependenciesReady()) {
      return { ready: false, reason: 'not connected to the bus' };
    }
    return { ready: true };
  };
  const api = await buildApi({
    bus: deps.bus,
    chargers: deps.stores.chargers,
    idTags: deps.stores.idTags,
    sites: deps.stores.sites,
    transactions: deps.stores.transactions,
    events: deps.stores.events,
    tokens: deps.stores.tokens,
    adminTokens: deps.adminTokens,
    shardCount: config.shards,
    callTimeoutMs: config.callTimeoutMs,
    logger: logger.child({ component: 'api' }),
    readiness,
    rateLimitPerMinute: config.apiRateLimitPerMinute,
    dashboardDir,
  });
  const server = await ocppServer(config);
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  gateway.attach(server);
  const ocppPort = await listen(server, config.ocppPort, config.bindAddress);
  await api.listen({ port: config.apiPort, host: config.bindAddress });
  const apiPort = (api.server.address() as AddressInfo).port;
  return {
    ocppPort,
    apiPort,
    gateway,
    readiness,
    async stop() {
      await gateway.drain(config.drainWindowS * 1000);
      await gateway.close();
      server.close();
      await api.close();
    },
  };
}
