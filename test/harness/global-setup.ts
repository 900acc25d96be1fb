import { RabbitMqServer } from '@fleetwire/devcluster';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A RabbitMQ node the test command started, for suites that only need a vhost of their own. */
    sharedRabbit: { readonly port: number; readonly nodeName: string; readonly dataDir: string };
  }
}

/** Starts what several integration suites share; suites that restart a broker start their own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const rabbit = await new RabbitMqServer().start();
  project.provide('sharedRabbit', { port: rabbit.port, nodeName: rabbit.nodeName, dataDir: rabbit.dataDir });
  return async () => {
    await rabbit.stop();
  };
}
