import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childRegistryVariable, reapRegistered } from '@fleetwire/devcluster';

/**
 * Global set-up of every project that starts processes: a registry of the process groups the run starts
 * (brokers, Fleetwire roles, demos), and a teardown that kills whatever is still there when the project ends —
 * after suites that failed, timed out, or whose worker died before its afterAll ran. Test workers inherit the
 * registry's path through the environment.
 */
export default function setup(): () => void {
  const registry = join(mkdtempSync(join(tmpdir(), 'fleetwire-run-')), 'children');
  process.env[childRegistryVariable] = registry;
  return () => {
    const reaped = reapRegistered(registry);
    if (reaped > 0) console.warn(`child reaper: ${reaped} process group(s) were still running and were killed`);
  };
}
