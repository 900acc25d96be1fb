import { randomBytes } from 'node:crypto';
import { ownerOf } from '@fleetwire/sharding';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { NatsServer, RedisServer } from './brokers.ts';
import { FleetwireRole } from './fleetwire-role.ts';
import { freePort, waitFor } from './ports.ts';

/** An Easee operator stream for the ingests: an AMQP URL and the operator's queue and exchange. */
export interface OperatorStream {
  readonly amqpUrl: string;
  readonly queue: string;
  readonly exchange: string;
  readonly originApplication: string;
}

export interface LocalClusterOptions {
  readonly edges?: number;
  readonly workers?: number;
  readonly ingests?: number;
  readonly easee?: OperatorStream;
  readonly shards?: number;
  readonly shardLeaseTtlS?: number;
  /** Ports of the first edge; the others get free ones. */
  readonly ocppPort?: number;
  readonly apiPort?: number;
  readonly apiToken?: string;
  /** Extra environment for every role. */
  readonly env?: Record<string, string>;
  /** Run the roles on the production build (benchmarks) rather than XState's development build (tests). */
  readonly production?: boolean;
  /** Extra Node.js flags for every role (a benchmark's `--inspect-port=0`, to profile a role while it runs). */
  readonly nodeArgs?: readonly string[];
}

/** NATS, Redis, workers and edges on this machine, on free ports: `pnpm cluster`, the cluster tests, demos. */
export class LocalCluster {
  readonly nats = new NatsServer();
  readonly redis = new RedisServer();
  readonly edges: FleetwireRole[] = [];
  readonly workers: FleetwireRole[] = [];
  readonly ingests: FleetwireRole[] = [];
  readonly apiToken: string;
  readonly shards: number;
  private readonly options: LocalClusterOptions;
  private readonly edgePorts: { ocpp: number; api: number }[] = [];

  constructor(options: LocalClusterOptions = {}) {
    this.options = options;
    this.apiToken = options.apiToken ?? `fw_${randomBytes(18).toString('base64url')}`;
    this.shards = options.shards ?? 256;
  }

  private get build(): 'development' | 'production' {
    return this.options.production === true ? 'production' : 'development';
  }

  private commonEnv(): Record<string, string> {
    return {
      NATS_URL: this.nats.url,
      REDIS_URL: this.redis.url,
      SHARDS: String(this.shards),
      SHARD_LEASE_TTL_S: String(this.options.shardLeaseTtlS ?? 15),
      FLEETWIRE_API_TOKENS: this.apiToken,
      LOG_LEVEL: 'warn',
      // A local cluster stops in seconds; production drains over EDGE_DRAIN_WINDOW_S (default 30).
      EDGE_DRAIN_WINDOW_S: '2',
      ...this.options.env,
    };
  }

  /** The environment of one role: the common one and a metrics/probe port of its own. */
  private async roleEnv(): Promise<Record<string, string>> {
    return { ...this.commonEnv(), METRICS_PORT: String(await freePort()) };
  }

  async start(): Promise<this> {
    await Promise.all([this.nats.start(), this.redis.start()]);
    for (let i = 0; i < (this.options.workers ?? 3); i++) {
      this.workers.push(
        new FleetwireRole('worker', `worker-${i}`, await this.roleEnv(), this.build, this.options.nodeArgs),
      );
    }
    for (let i = 0; i < (this.options.edges ?? 2); i++) {
      const ocpp = i === 0 && this.options.ocppPort !== undefined ? this.options.ocppPort : await freePort();
      const api = i === 0 && this.options.apiPort !== undefined ? this.options.apiPort : await freePort();
      this.edgePorts.push({ ocpp, api });
      this.edges.push(
        new FleetwireRole(
          'edge',
          `edge-${i}`,
          { ...(await this.roleEnv()), OCPP_PORT: String(ocpp), API_PORT: String(api) },
          this.build,
          this.options.nodeArgs,
        ),
      );
    }
    const { easee } = this.options;
    if (easee !== undefined) {
      for (let i = 0; i < (this.options.ingests ?? 1); i++) {
        this.ingests.push(
          new FleetwireRole(
            'ingest',
            `ingest-${i}`,
            {
              ...(await this.roleEnv()),
              EASEE_AMQP_URL: easee.amqpUrl,
              EASEE_QUEUE: easee.queue,
              EASEE_EXCHANGE: easee.exchange,
              EASEE_ORIGIN_APPLICATION: easee.originApplication,
            },
            this.build,
            this.options.nodeArgs,
          ),
        );
      }
    }
    await Promise.all(this.workers.map((worker) => worker.start()));
    await Promise.all([...this.edges, ...this.ingests].map((role) => role.start()));
    await this.settled();
    return this;
  }

  ocppPort(edge = 0): number {
    return this.edgePorts[edge]?.ocpp as number;
  }

  ocppUrl(edge = 0): string {
    return `ws://127.0.0.1:${this.ocppPort(edge)}/ocpp`;
  }

  apiUrl(edge = 0): string {
    return `http://127.0.0.1:${this.edgePorts[edge]?.api}`;
  }

  /** Shard owners per the lease bucket; shards without a lease are absent. */
  async leaseOwners(): Promise<Map<number, string>> {
    const connection = await connect({ servers: this.nats.url });
    try {
      const leases = await new Kvm(connection).open('fw-leases');
      const owners = new Map<number, string>();
      for await (const key of await leases.keys()) {
        const entry = await leases.get(key);
        if (entry?.operation === 'PUT') owners.set(Number(key.slice(1)), entry.json<{ owner: string }>().owner);
      }
      return owners;
    } finally {
      await connection.close();
    }
  }

  /** Waits until every shard is leased by the worker placement gives it among the running workers. */
  async settled(timeoutMs = 60_000): Promise<void> {
    const live = this.workers.filter((worker) => worker.running).map((worker) => worker.id);
    let misplaced: string[] = [];
    await waitFor(
      'every shard to be owned by its placed worker',
      async () => {
        const owners = await this.leaseOwners();
        misplaced = [];
        for (let shard = 0; shard < this.shards; shard++) {
          const placed = ownerOf(shard, live);
          if (owners.get(shard) !== placed) misplaced.push(`${shard}: ${owners.get(shard) ?? 'none'}, not ${placed}`);
        }
        return misplaced.length === 0;
      },
      timeoutMs,
    ).catch((error: unknown) => {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)} (shard: owner) ${misplaced.join('; ')}`,
      );
    });
  }

  /**
   * Replaces one role's process the way a rolling upgrade does: SIGTERM, wait for it to exit (it drains or hands
   * over), start the new one and wait until it is ready. Answers the old process's exit code.
   */
  async restart(role: FleetwireRole, readyWithinMs = 60_000): Promise<number | null> {
    const code = await role.stop();
    await role.start();
    await waitFor(`${role.id} to be ready`, () => role.ready(), readyWithinMs);
    return code;
  }

  /** Stops what it started: edges first (they drain), then workers (they hand over), then the brokers. */
  async stop(): Promise<void> {
    await Promise.all([...this.edges, ...this.ingests].map((role) => role.stop()));
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all([this.nats.stop(), this.redis.stop()]);
  }
}
