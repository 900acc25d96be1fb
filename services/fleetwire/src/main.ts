#!/usr/bin/env node
import { type Config, ConfigError, loadConfig } from '@fleetwire/config';
import { CorruptRecordError } from '@fleetwire/store';
import { createLogger, FleetwireMetrics, type Logger, type Readiness, startOpsServer } from '@fleetwire/telemetry';
import { dataCommand } from './data-command.ts';

interface Running {
  readiness(): Readiness;
  stop(): Promise<void>;
}

/**
 * Each role loads only its own code: a worker has no use for the API, its schemas and the dashboard, nor an edge for
 * the charger model (a worker's heap after start: 42 → 32 MB used).
 */
async function startRole(config: Config, logger: Logger, metrics: FleetwireMetrics): Promise<Running> {
  switch (config.role) {
    case 'all': {
      const { startAllInOne } = await import('./all-in-one.ts');
      return startAllInOne(config, logger, metrics);
    }
    case 'edge': {
      const { startClusterEdge } = await import('@fleetwire/edge');
      const edge = await startClusterEdge(config, logger, metrics);
      process.stdout.write(
        `fleetwire edge ${edge.id} is running: OCPP port ${edge.ocppPort}, API port ${edge.apiPort}\n`,
      );
      return edge;
    }
    case 'worker': {
      const { startClusterWorker } = await import('@fleetwire/worker');
      const worker = await startClusterWorker(config, logger, metrics);
      process.stdout.write(`fleetwire worker ${worker.id} is running\n`);
      return worker;
    }
    case 'ingest': {
      const { startClusterIngest } = await import('@fleetwire/ingest');
      const ingest = await startClusterIngest(config, logger, metrics);
      process.stdout.write(`fleetwire ingest ${ingest.id} is running\n`);
      return ingest;
    }
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'data') {
    process.exitCode = await dataCommand(process.argv.slice(3));
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`fleetwire: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, name: config.role });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const metrics = new FleetwireMetrics(config.role, { defaultMetrics: true });
  let running: Running | undefined;
  // Up before the role, so that probes get an answer (not started, not ready) while it starts.
  const ops =
    config.metricsPort === undefined
      ? undefined
      : await startOpsServer({
          port: config.metricsPort,
          host: config.bindAddress,
          metrics,
          readiness: () => running?.readiness() ?? { ready: false, reason: 'starting' },
          started: () => running !== undefined,
        });
  if (ops !== undefined) logger.info({ port: ops.port }, 'metrics and probes listening');
  try {
    running = await startRole(config, logger, metrics);
  } catch (error) {
    // Damage in the embedded store is not something to start on: say where it is and how to look, in one line.
    if (error instanceof CorruptRecordError) {
      process.stderr.write(`fleetwire: ${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  const role = running;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    role.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
