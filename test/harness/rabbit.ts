import { randomBytes } from 'node:crypto';
import { RabbitMqServer } from '@fleetwire/devcluster';
import { inject } from 'vitest';

/** A vhost of its own on the RabbitMQ node the test command started. */
export async function freshVhost(prefix: string): Promise<string> {
  const shared = inject('sharedRabbit');
  const rabbit = RabbitMqServer.attach(shared.port, shared.dataDir);
  return rabbit.createVhost(`${prefix}-${randomBytes(4).toString('hex')}`);
}
