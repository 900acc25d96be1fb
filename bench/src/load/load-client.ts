import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadCommand, LoadResult } from './protocol.ts';

/** The bench's handle on its load-generator process: one command at a time, answered by one result. */
export class LoadGenerator {
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork(fileURLToPath(new URL('./load-generator.ts', import.meta.url)), [], {
      execArgv: ['--disable-warning=ExperimentalWarning', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send<T extends LoadResult = LoadResult>(command: LoadCommand): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (result: LoadResult) => {
        this.child.off('exit', onExit);
        if (result.ok) resolve(result as T);
        else reject(new Error(`load generator: ${result.error}`));
      });
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.send({ op: 'close' }).catch(() => undefined);
    this.child.kill('SIGTERM');
  }
}
