#!/usr/bin/env node
// `pnpm cluster`: a local cluster of 2 edges and 3 workers on NATS and Redis, until Ctrl-C or SIGTERM.
import { LocalCluster } from './local-cluster.ts';

const optionalPort = (name: string): number | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
};

const cluster = new LocalCluster({
  ...(optionalPort('OCPP_PORT') === undefined ? {} : { ocppPort: optionalPort('OCPP_PORT') as number }),
  ...(optionalPort('API_PORT') === undefined ? {} : { apiPort: optionalPort('API_PORT') as number }),
  ...(process.env.FLEETWIRE_API_TOKENS ? { apiToken: process.env.FLEETWIRE_API_TOKENS.split(',')[0] as string } : {}),
  env: process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {},
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping the cluster...\n');
  await cluster.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  await cluster.start();
} catch (error) {
  process.stderr.write(`cluster did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  await cluster.stop();
  process.exit(1);
}
process.stdout.write(
  [
    `Fleetwire cluster is running: ${cluster.edges.length} edges, ${cluster.workers.length} workers`,
    `  NATS       ${cluster.nats.url}`,
    `  Redis      ${cluster.redis.url}`,
    ...cluster.edges.map(
      (_, i) => `  edge-${i}     OCPP ${cluster.ocppUrl(i)}/{serial}   API ${cluster.apiUrl(i)}/api`,
    ),
    `  API token  ${cluster.apiToken}`,
    'Ctrl-C stops everything it started.',
    '',
  ].join('\n'),
);
