import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FleetwireMetrics } from './metrics.ts';

export interface Readiness {
  readonly ready: boolean;
  readonly reason?: string;
}

export interface OpsServerOptions {
  readonly port: number;
  readonly host: string;
  readonly metrics: FleetwireMetrics;
  /** Whether the role should receive work now (Kubernetes readiness). */
  readonly readiness: () => Readiness;
  /** Whether the role has finished starting (Kubernetes startup probe). */
  readonly started: () => boolean;
}

/**
 * The port Kubernetes and Prometheus talk to, in every role: `/metrics`, `/healthz` (liveness: answering at all
 * means the event loop runs; dependencies are readiness's business), `/readyz` and `/startupz`.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(`${JSON.stringify(body)}\n`);
    };
    switch (request.url) {
      case '/metrics':
        options.metrics.registry.metrics().then(
          (text) => {
            response.writeHead(200, { 'content-type': options.metrics.registry.contentType });
            response.end(text);
          },
          () => reply(500, { error: 'metrics unavailable' }),
        );
        return;
      case '/healthz':
        return reply(200, { live: true });
      case '/readyz': {
        const readiness = options.readiness();
        return reply(readiness.ready ? 200 : 503, readiness);
      }
      case '/startupz':
        return options.started() ? reply(200, { started: true }) : reply(503, { started: false });
      default:
        return reply(404, { error: 'not found' });
    }
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
