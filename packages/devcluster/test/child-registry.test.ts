import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { childRegistryVariable, reapRegistered, spawnGroup } from '../src/index.ts';

/** Running, not a zombie (in a container nobody may reap it). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('the child registry of a test run', () => {
  it('kills every process group a run started, children of children included', async () => {
    const registry = join(mkdtempSync(join(tmpdir(), 'fleetwire-registry-')), 'children');
    const before = process.env[childRegistryVariable];
    process.env[childRegistryVariable] = registry;
    try {
      // A launcher that starts a program of its own, as rabbitmq-server does.
      const launcher = spawnGroup('sh', ['-c', 'sleep 300 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
      const grandchild = await new Promise<number>((resolve) =>
        launcher.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      expect(alive(grandchild)).toBe(true);
      expect(reapRegistered(registry)).toBe(1);
      for (let i = 0; i < 50 && alive(grandchild); i++) await sleep(20);
      expect(alive(grandchild)).toBe(false);
    } finally {
      if (before === undefined) delete process.env[childRegistryVariable];
      else process.env[childRegistryVariable] = before;
    }
  });
});
