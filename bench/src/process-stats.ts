import { readdir, readFile } from 'node:fs/promises';

const clockTicksPerSecond = 100;

/** Resident memory of a process, in bytes (VmRSS from /proc). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** CPU time a process has used so far (user + system), in ms. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicksPerSecond;
}

/** CPU a process uses while `work` runs, in ms. */
export async function cpuDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = await cpuMsOf(pid);
  const result = await work();
  return { result, cpuMs: (await cpuMsOf(pid)) - before };
}

export function mib(bytes: number): number {
  return bytes / 2 ** 20;
}

/** CPU time of a process and every process below it (a broker's start script and the VM it runs), in ms. */
export async function treeCpuMsOf(pid: number): Promise<number> {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat === '') continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const id = Number(entry);
    const parent = Number(fields[1]);
    cpu.set(id, ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond);
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [id]);
    else siblings.push(id);
  }
  let total = 0;
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    total += cpu.get(next) ?? 0;
    pending.push(...(children.get(next) ?? []));
  }
  return total;
}

/** What `cpuShares` measured: each process's share of one core, as a line, and the shares' sum. */
export interface CpuShares {
  /** "edge 80 %, worker 45 %" */
  readonly line: string;
  /** The sum of the shares the line lists, in % of one core. */
  readonly totalPercent: number;
}

/**
 * Starts counting the CPU of named processes (each with its children); the returned function says what each used
 * since, as a share of one core.
 */
export async function cpuShares(processes: readonly (readonly [string, number])[]): Promise<() => Promise<CpuShares>> {
  const started = performance.now();
  const before = await Promise.all(processes.map(([, pid]) => treeCpuMsOf(pid)));
  return async () => {
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all(processes.map(([, pid]) => treeCpuMsOf(pid)));
    let totalPercent = 0;
    const line = processes
      .map(([name], i) => {
        const usedMs = (after[i] ?? 0) - (before[i] ?? 0);
        if (usedMs < 0) return `${name} (exited)`;
        const percent = Math.round(usedMs / 10 / seconds);
        totalPercent += percent;
        return `${name} ${percent} %`;
      })
      .join(', ');
    return { line, totalPercent };
  };
}
