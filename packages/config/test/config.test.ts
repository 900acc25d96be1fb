import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

describe('loadConfig', () => {
  it('runs all-in-one on the documented defaults with an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      role: 'all',
      ocppPort: 9000,
      apiPort: 8080,
      shards: 256,
      dataDir: './data',
      autoRegister: false,
      apiTokens: [],
      easee: undefined,
    });
  });

  it('names the variable in one line when a value is bad', () => {
    const cases: [Record<string, string>, string][] = [
      [{ FLEETWIRE_ROLE: 'boss' }, "FLEETWIRE_ROLE: expected one of all, edge, ingest, worker, got 'boss'"],
      [{ OCPP_PORT: 'ninety' }, "OCPP_PORT: expected a whole number, got 'ninety'"],
      [{ OCPP_PORT: '70000' }, 'OCPP_PORT: expected 0 to 65535, got 70000'],
      [{ FLEETWIRE_AUTO_REGISTER: 'yes' }, "FLEETWIRE_AUTO_REGISTER: expected true or false, got 'yes'"],
      [{ NATS_URL: 'http://x' }, 'NATS_URL: expected a nats: or tls: URL, got http:'],
      [{ FLEETWIRE_ROLE: 'worker' }, 'NATS_URL: is required when FLEETWIRE_ROLE is worker'],
      [
        { FLEETWIRE_ROLE: 'edge', NATS_URL: 'nats://x', REDIS_URL: 'redis://x' },
        'FLEETWIRE_API_TOKENS: is required when FLEETWIRE_ROLE is edge',
      ],
      [{ SHARD_LEASE_TTL_S: '1' }, 'SHARD_LEASE_TTL_S: expected 2 to 600, got 1'],
      [{ EASEE_AMQP_URL: 'amqp://localhost' }, 'EASEE_QUEUE: is required when EASEE_AMQP_URL is set'],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(
        new ConfigError(message.split(': ')[0] as string, message.slice(message.indexOf(': ') + 2)),
      );
    }
  });

  it('splits API tokens on commas', () => {
    expect(loadConfig({ FLEETWIRE_API_TOKENS: ' a , b,,c ' }).apiTokens).toEqual(['a', 'b', 'c']);
  });
});
