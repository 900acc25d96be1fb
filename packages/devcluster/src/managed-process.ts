import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalGroup, spawnGroup } from './child-registry.ts';

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * A child process the cluster owns: started, stopped (SIGTERM), killed (SIGKILL), paused (SIGSTOP) and resumed,
 * with its output kept for when a test needs to say what went wrong. It leads a process group of its own, and
 * signals go to the whole group (a launcher script and the program it started), so nothing it started outlives it.
 */
export class ManagedProcess {
  readonly spec: ProcessSpec;
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> = Promise.resolve(null);

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get text(): string {
    return this.output.join('');
  }

  start(): void {
    if (this.running) return;
    this.output.length = 0;
    const child = spawnGroup(this.spec.command, this.spec.args, {
      env: { ...process.env, ...this.spec.env },
      ...(this.spec.cwd === undefined ? {} : { cwd: this.spec.cwd }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 2_000) this.output.splice(0, 1_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  async waitForOutput(text: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.text.includes(text)) {
      if (!this.running) throw new Error(`${this.spec.name} exited before "${text}":\n${this.text.slice(-4_000)}`);
      if (Date.now() > deadline)
        throw new Error(`${this.spec.name} did not print "${text}":\n${this.text.slice(-4_000)}`);
      await sleep(50);
    }
  }

  /** SIGTERM and wait; SIGKILL if it has not exited after `graceMs`. */
  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid !== undefined) signalGroup(pid, signal);
  }

  async stop(graceMs = 60_000): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.resume();
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.exit;
  }

  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
  }
}
