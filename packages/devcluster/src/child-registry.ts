import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';

/**
 * Where a test run keeps the process groups it started (FLEETWIRE_CHILD_REGISTRY, one id per line), so that its
 * global teardown can stop every one of them — also those of a suite that failed, timed out or whose worker died
 * before its afterAll could run. Unset outside a test run.
 */
export const childRegistryVariable = 'FLEETWIRE_CHILD_REGISTRY';

/**
 * Spawns `command` as the leader of a process group of its own (so that a launcher script and the program it
 * starts are stopped together) and records the group in the run's registry, if there is one.
 */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, [...args], { ...options, detached: true });
  const registry = process.env[childRegistryVariable];
  if (registry !== undefined && child.pid !== undefined) appendFileSync(registry, `${child.pid}\n`);
  return child;
}

/** Signals a whole process group; false when it is gone already. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Kills every process group the registry names that is still there; answers how many there were. */
export function reapRegistered(registry: string): number {
  let pids: number[];
  try {
    pids = readFileSync(registry, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const pid of new Set(pids)) if (signalGroup(pid, 'SIGKILL')) reaped += 1;
  rmSync(registry, { force: true });
  return reaped;
}
