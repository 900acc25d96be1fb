import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGroup } from '@fleetwire/devcluster';
import { freePort } from './ports.ts';

export const repoRoot = new URL('../../', import.meta.url).pathname;

/**
 * The node arguments of a root package.json script (`bash scripts/fw node FILE ARGS`), read from the file so that a
 * test starts exactly what `npm start` (or `npm run simulate`, …) starts, on the Node.js running the tests.
 */
export function scriptNodeArgs(name: string): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts[name] ?? '';
  const [shell, wrapper, mode, ...args] = script.split(' ');
  if (shell !== 'bash' || wrapper !== 'scripts/fw' || mode !== 'node')
    throw new Error(`unexpected ${name} script: ${script}`);
  // What scripts/fw passes for Node 22.12-22.17, which strip types only when asked.
  return ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...args];
}

export interface FleetwireOptions {
  readonly env?: Record<string, string>;
  readonly dataDir?: string;
}

/** A Fleetwire all-in-one process started the way `pnpm start` starts it, on free ports and its own data dir. */
export class FleetwireProcess {
  readonly token = `test-${randomBytes(12).toString('hex')}`;
  readonly output: string[] = [];
  ocppPort = 0;
  apiPort = 0;
  dataDir = '';
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private readonly env: Record<string, string>;

  constructor(options: FleetwireOptions = {}) {
    this.env = options.env ?? {};
    this.dataDir = options.dataDir ?? '';
  }

  get ocppUrl(): string {
    return `ws://127.0.0.1:${this.ocppPort}/ocpp`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<this> {
    if (this.dataDir === '') this.dataDir = await mkdtemp(join(tmpdir(), 'fleetwire-'));
    if (this.ocppPort === 0) this.ocppPort = await freePort();
    if (this.apiPort === 0) this.apiPort = await freePort();
    this.output.length = 0;
    // XState's development build adds the persistence checks of docs/design.md "Time"; it is what the suite runs on.
    const child = spawnGroup(process.execPath, ['--conditions=development', ...scriptNodeArgs('start')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        OCPP_PORT: String(this.ocppPort),
        API_PORT: String(this.apiPort),
        FLEETWIRE_DATA_DIR: this.dataDir,
        FLEETWIRE_API_TOKENS: this.token,
        LOG_LEVEL: 'warn',
        EDGE_DRAIN_WINDOW_S: '1',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => this.output.push(chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    while (!this.output.join('').includes('Fleetwire is running')) {
      if (child.exitCode !== null) throw new Error(`fleetwire exited with ${child.exitCode}:\n${this.output.join('')}`);
      if (Date.now() - started > 30_000) throw new Error(`fleetwire did not start:\n${this.output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, as Kubernetes and Ctrl-C do; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child?.kill('SIGTERM');
    return this.exited;
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<this> {
    await this.stop();
    this.output.length = 0;
    return this.start();
  }
}
