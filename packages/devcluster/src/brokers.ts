import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianBinary } from './binaries.ts';
import { ManagedProcess, type ProcessSpec } from './managed-process.ts';
import { freePort } from './ports.ts';

/** A broker on a free port with its own data directory; restart keeps both, as a real outage would. */
export abstract class Broker {
  port = 0;
  dataDir = '';
  protected process: ManagedProcess | undefined;

  protected abstract spec(): ProcessSpec;
  /** Runs before each start (after port and data dir are known). */
  protected async prepare(): Promise<void> {}
  protected abstract readonly readyText: string;
  abstract get url(): string;

  async start(): Promise<this> {
    if (this.port === 0) this.port = await freePort();
    if (this.dataDir === '') this.dataDir = await mkdtemp(join(tmpdir(), 'fleetwire-broker-'));
    await this.prepare();
    this.process ??= new ManagedProcess(this.spec());
    this.process.start();
    await this.process.waitForOutput(this.readyText);
    return this;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async stop(): Promise<void> {
    await this.process?.stop(10_000);
  }

  async kill(): Promise<void> {
    await this.process?.kill();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** SIGSTOP: the broker stops answering but its connections stay open, like a broker that hangs. */
  pause(): void {
    this.process?.pause();
  }

  resume(): void {
    this.process?.resume();
  }
}

/** nats-server with JetStream, from Debian's nats-server package (2.9 on bookworm: see docs/reference/cluster.md). */
export class NatsServer extends Broker {
  protected readonly readyText = 'Server is ready';

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  protected spec() {
    return {
      name: 'nats-server',
      command: debianBinary('nats-server', 'nats-server'),
      args: ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dataDir],
    };
  }
}

/**
 * redis-server with an append-only file synced on every write, so that a restart (or a kill) loses nothing it
 * acknowledged.
 */
export class RedisServer extends Broker {
  protected readonly readyText = 'Ready to accept connections';

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected spec() {
    return {
      name: 'redis-server',
      command: debianBinary('redis-server', 'redis-server'),
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dataDir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--daemonize',
        'no',
      ],
    };
  }
}

/**
 * A RabbitMQ node of its own (name, ports, data directory), from Debian's rabbitmq-server. It runs the scripts in
 * /usr/lib/rabbitmq/bin directly: the /usr/sbin wrappers switch to the rabbitmq user, whose Erlang cookie differs.
 */
export class RabbitMqServer extends Broker {
  protected readonly readyText = 'completed with';
  private distributionPort = 0;

  /** A handle on a node started elsewhere (a test command's shared broker), for vhosts and URLs. */
  static attach(port: number, dataDir: string): RabbitMqServer {
    const server = new RabbitMqServer();
    server.port = port;
    server.dataDir = dataDir;
    return server;
  }

  get nodeName(): string {
    return `fleetwire${this.port}@localhost`;
  }

  get url(): string {
    return this.vhostUrl('/');
  }

  vhostUrl(vhost: string): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}/${encodeURIComponent(vhost)}`;
  }

  private bin(name: string): string {
    debianBinary(name === 'rabbitmq-server' ? 'rabbitmq-server' : 'rabbitmqctl', 'rabbitmq-server');
    return `/usr/lib/rabbitmq/bin/${name}`;
  }

  protected override async prepare(): Promise<void> {
    if (this.distributionPort === 0) this.distributionPort = await freePort();
    await writeFile(join(this.dataDir, 'enabled_plugins'), '[].\n');
  }

  protected spec(): ProcessSpec {
    return {
      name: 'rabbitmq-server',
      command: this.bin('rabbitmq-server'),
      args: [],
      env: {
        RABBITMQ_NODENAME: this.nodeName,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(this.port),
        RABBITMQ_DIST_PORT: String(this.distributionPort),
        RABBITMQ_MNESIA_BASE: join(this.dataDir, 'mnesia'),
        RABBITMQ_LOG_BASE: join(this.dataDir, 'log'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dataDir, 'enabled_plugins'),
        RABBITMQ_CONFIG_FILE: join(this.dataDir, 'rabbitmq'),
        RABBITMQ_PID_FILE: join(this.dataDir, 'rabbitmq.pid'),
      },
    };
  }

  private ctl(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(this.bin('rabbitmqctl'), ['-n', this.nodeName, ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`rabbitmqctl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
      ),
    );
  }

  /** A fresh virtual host for a test suite that only needs isolation, and its URL. */
  async createVhost(vhost: string): Promise<string> {
    await this.ctl('add_vhost', vhost);
    await this.ctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
    return this.vhostUrl(vhost);
  }
}
