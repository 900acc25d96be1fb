import { randomBytes } from 'node:crypto';
import { RabbitMqServer } from '@fleetwire/devcluster';
import { inject } from 'vitest';

/** A vhost of its own on the RabbitMQ node the test command started. */
export async function freshVhost(prefix: string): Promise<string> {
  const shared = inject('sharedRabbit');
  const rabbit = RabbitMqServer.attach(shared.port, shared.dataDir);
  return rabbit.createVhost(`${prefix}-${randomBytes(4).toString('hex')}`);
}

/** An Easee operator's queue and exchange as Easee names them (docs/reference/easee.md §3), for operator `id`. */
export function easeeOperator(id: string) {
  return { queue: `Operator_${id}.Q`, exchange: `Operator_${id}.C.X`, originApplication: 'Fleetwire.Easee' } as const;
}

/** The environment that points a Fleetwire process at that operator's stream in `amqpUrl`. */
export function easeeStreamEnv(amqpUrl: string, operator: ReturnType<typeof easeeOperator>): Record<string, string> {
  return {
    EASEE_AMQP_URL: amqpUrl,
    EASEE_QUEUE: operator.queue,
    EASEE_EXCHANGE: operator.exchange,
    EASEE_ORIGIN_APPLICATION: operator.originApplication,
  };
}
