import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { InProcessBus } from '@fleetwire/bus';
import type { Config } from '@fleetwire/config';
import { startEdge } from '@fleetwire/edge';
import { easeeBridge } from '@fleetwire/ingest';
import { fileStores } from '@fleetwire/store';
import { LocalCommandQueue, LocalEaseeStream } from '@fleetwire/streams';
import type { FleetwireMetrics, Logger, Readiness } from '@fleetwire/telemetry';
import { startSoleWorker } from '@fleetwire/worker';
import { resolveApiTokens } from './api-tokens.ts';

/** Every role in one process: the in-process bus and the file-backed store under FLEETWIRE_DATA_DIR. */
export async function startAllInOne(
  config: Config,
  logger: Logger,
  metrics?: FleetwireMetrics,
): Promise<{ readiness(): Readiness; stop(): Promise<void> }> {
  const bus = new InProcessBus();
  const stores = await fileStores(config.dataDir, config.shards, (message, details) => logger.warn(details, message));
  const stream = config.easee === undefined ? undefined : new LocalEaseeStream(join(config.dataDir, 'parked.jsonl'));
  const commands = config.easee === undefined ? undefined : new LocalCommandQueue();
  const worker = await startSoleWorker({
    config,
    bus,
    stores,
    logger,
    ...(stream === undefined || commands === undefined ? {} : { easee: { streams: stream, commands } }),
    ...(metrics === undefined ? {} : { metrics }),
  });
  const bridge =
    config.easee === undefined || stream === undefined || commands === undefined
      ? undefined
      : easeeBridge(config, { port: stream, commands }, logger, metrics);
  await bridge?.start();
  const { tokens, generated } = await resolveApiTokens(config.apiTokens, config.dataDir);
  const edge = await startEdge({
    config,
    bus,
    stores,
    adminTokens: tokens,
    logger,
    edgeId: config.instanceId ?? `edge-${randomBytes(3).toString('hex')}`,
    ...(metrics === undefined ? {} : { metrics }),
  });
  const host = config.bindAddress === '0.0.0.0' ? '127.0.0.1' : config.bindAddress;
  const lines = [
    `Fleetwire is running (all roles in one process, data in ${config.dataDir})`,
    `  OCPP 1.6J  ws://${host}:${edge.ocppPort}/ocpp/{serial}`,
    `  Dashboard  http://${host}:${edge.apiPort}/`,
    `  API        http://${host}:${edge.apiPort}/api  (OpenAPI: /api/openapi.json)`,
  ];
  if (config.easee !== undefined)
    lines.push(`  Easee      consuming ${config.easee.queue}, commands to ${config.easee.exchange}`);
  if (generated !== undefined) {
    lines.push(
      `  API token  ${generated}`,
      '             shown once; only its hash is kept. Set FLEETWIRE_API_TOKENS to use your own.',
    );
  } else if (config.apiTokens.length === 0) {
    lines.push(`  API token  the one shown at first start (hash in ${config.dataDir}/api-token.sha256)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ ocppPort: edge.ocppPort, apiPort: edge.apiPort }, 'started');
  return {
    readiness: () => edge.readiness(),
    async stop() {
      await edge.stop();
      await bridge?.stop();
      await worker.stop();
      await bus.close();
      await stores.close();
    },
  };
}
