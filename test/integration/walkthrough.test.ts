import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { signalGroup, spawnGroup } from '@fleetwire/devcluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetwireProcess, repoRoot } from '../harness/fleetwire-process.ts';

/** The shell lines of the README's walkthrough: its first `sh` block, as a newcomer would paste it. */
async function walkthroughLines(): Promise<string> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Walkthrough'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no sh block under "## Walkthrough"');
  return block;
}

describe("the README's walkthrough", () => {
  const fleetwire = new FleetwireProcess();

  beforeAll(async () => {
    await fleetwire.start();
  });

  afterAll(async () => {
    expect(await fleetwire.stop()).toBe(0);
    await rm(join(repoRoot, 'simulator.log'), { force: true });
  });

  it('runs top to bottom on a fresh Fleetwire: registers, connects, charges, resets, shows the transaction', async () => {
    const lines = await walkthroughLines();
    const shell = spawnGroup('bash', ['-euo', 'pipefail', '-c', lines], {
      cwd: repoRoot,
      env: {
        ...process.env,
        API: fleetwire.apiUrl,
        OCPP: fleetwire.ocppUrl,
        TOKEN: fleetwire.token,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    shell.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    shell.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(shell, 'exit')) as [number | null];
    // The simulator it started in the background goes with it.
    if (shell.pid !== undefined) signalGroup(shell.pid, 'SIGTERM');
    expect(code, output).toBe(0);
    const transactions = JSON.parse(output.slice(output.lastIndexOf('{"items"'))) as {
      items: { idTag: string; status: string; stopReason: string; energyWh: number }[];
    };
    expect(transactions.items).toMatchObject([{ idTag: 'WALKTAG0001', status: 'stopped', stopReason: 'SoftReset' }]);
    expect(transactions.items[0]?.energyWh).toBeGreaterThan(0);
    expect(output).toMatch(/"activeTransactions":\[\{[^\]]*"idTag":"WALKTAG0001"/);
  }, 150_000);
});
