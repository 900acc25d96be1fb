import { ManagedProcess } from './managed-process.ts';

export const repoRoot = new URL('../../../', import.meta.url).pathname;
const mainScript = `${repoRoot}services/fleetwire/src/main.ts`;

export type ClusterRole = 'edge' | 'worker' | 'ingest';

/**
 * V8 flags of a production Fleetwire process, as the Helm chart's defaults set them in NODE_OPTIONS for a 512 MiB
 * pod. Semi-spaces capped at 16 MiB: V8 otherwise grows them to 64 MiB under an allocation burst (a reconnect
 * storm) and keeps the 128 MiB young generation, which dwarfs what 20,000 connections or actors hold. An old
 * generation capped at 320 MiB: without a cap V8 lets it grow to several times the live set before collecting.
 */
export const productionNodeFlags: readonly string[] = ['--max-semi-space-size=16', '--max-old-space-size=320'];

/**
 * A worker's, as the chart sets them for a 640 MiB pod: its actors are most of its heap, and a worker must take on
 * a failed peer's shards too. 20,000 actors and a reconnect storm on one worker ran out of a 320 MiB old generation.
 * With idle actors let go (ADR 16), 8 MiB semi-spaces: after P4's ramp 214 MiB of RSS instead of 231.
 */
export const workerNodeFlags: readonly string[] = ['--max-semi-space-size=8', '--max-old-space-size=448'];

/** One Fleetwire role as its own process, started the way a container starts it (`FLEETWIRE_ROLE`). */
export class FleetwireRole {
  readonly role: ClusterRole;
  readonly id: string;
  readonly process: ManagedProcess;
  env: Record<string, string>;

  /**
   * `development`: XState's development build, which adds the persistence checks of docs/design.md "Time" (what tests
   * run on); `production`: what a container runs, for benchmarks.
   */
  constructor(
    role: ClusterRole,
    id: string,
    env: Record<string, string>,
    build: 'development' | 'production' = 'development',
    nodeArgs: readonly string[] = [],
  ) {
    this.role = role;
    this.id = id;
    this.env = env;
    this.process = new ManagedProcess({
      name: `${role} ${id}`,
      command: process.execPath,
      args: [
        ...(build === 'development'
          ? ['--conditions=development']
          : role === 'worker'
            ? workerNodeFlags
            : productionNodeFlags),
        ...nodeArgs,
        '--disable-warning=ExperimentalWarning',
        mainScript,
      ],
      env: { ...env, FLEETWIRE_ROLE: role, FLEETWIRE_INSTANCE_ID: id },
    });
  }

  async start(): Promise<void> {
    this.process.start();
    await this.process.waitForOutput('is running', 60_000);
  }

  /** Metrics and probes (`/metrics`, `/healthz`, `/readyz`, `/startupz`), when the role has a METRICS_PORT. */
  get opsUrl(): string | undefined {
    return this.env.METRICS_PORT === undefined ? undefined : `http://127.0.0.1:${this.env.METRICS_PORT}`;
  }

  /** What Kubernetes would ask: is the role ready for work. */
  async ready(): Promise<boolean> {
    if (this.opsUrl === undefined) return this.running;
    try {
      return (await fetch(`${this.opsUrl}/readyz`)).ok;
    } catch {
      return false;
    }
  }

  get running(): boolean {
    return this.process.running;
  }

  stop(): Promise<number | null> {
    return this.process.stop();
  }

  kill(): Promise<void> {
    return this.process.kill();
  }

  pause(): void {
    this.process.pause();
  }

  resume(): void {
    this.process.resume();
  }
}
