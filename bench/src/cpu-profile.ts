import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

/** The functions that spent the most time themselves (not in what they called), from a V8 .cpuprofile. */
export function topSelfTime(profile: CpuProfile, count = 15): SelfTime[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (node === undefined) return;
    total += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '' : `${url.replace(/^.*\/(node_modules\/(\.pnpm\/)?)?/, '')}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const entry = selfUs.get(key) ?? { name: functionName === '' ? '(anonymous)' : functionName, where, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  return [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((entry) => ({ name: entry.name, where: entry.where, selfMs: entry.us / 1000, share: entry.us / total }));
}

/** The top self-time functions of the (first) profile V8 wrote into `dir`. */
export async function summarizeProfileDir(dir: string, count = 15): Promise<SelfTime[]> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) return [];
  return topSelfTime(JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile, count);
}

/** The share of a profile's time that V8 reports under one name: `(garbage collector)`, `(idle)`, … */
export function shareOf(profile: CpuProfile, name: string): number {
  return topSelfTime(profile, Number.POSITIVE_INFINITY).find((entry) => entry.name === name)?.share ?? 0;
}

/** Self time as the P2 note shows it: `name (file:line) 12.3 %; …`. */
export function formatSelfTime(entries: readonly SelfTime[]): string {
  return entries
    .map((entry) => `${entry.name}${entry.where === '' ? '' : ` (${entry.where})`} ${(entry.share * 100).toFixed(1)} %`)
    .join('; ');
}

/** A running Node.js process to profile: its pid and what it has printed (where its inspector says its address). */
export interface ProfileTarget {
  readonly pid: number | undefined;
  readonly text: string;
}

/** One DevTools-protocol connection to a process's inspector. */
class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  private readonly socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
    });
    // The profiled process went away: its calls fail rather than wait for ever.
    const fail = () => {
      for (const answer of this.pending.values()) answer({ error: 'the inspector connection closed' });
    };
    socket.on('close', fail);
    socket.on('error', fail);
  }

  /**
   * Opens the target's inspector with SIGUSR1 (on the port its `--inspect-port` names: 0 for a free one) and
   * connects to it.
   */
  static async open(target: ProfileTarget): Promise<InspectorSession> {
    const before = target.text.length;
    process.kill(target.pid as number, 'SIGUSR1');
    let url: string | undefined;
    for (let waited = 0; url === undefined; waited += 50) {
      if (waited > 10_000) throw new Error(`process ${target.pid} did not open its inspector`);
      await sleep(50);
      url = /Debugger listening on (ws:\/\/\S+)/.exec(target.text.slice(before))?.[1];
    }
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new InspectorSession(socket);
  }

  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const answered = new Promise<{ result?: unknown; error?: unknown }>((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    const message = await answered;
    this.pending.delete(id);
    if (message.error !== undefined) throw new Error(`${method}: ${JSON.stringify(message.error)}`);
    return message.result as T;
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * V8's sampling profiler in each target while `work` runs (1 ms interval), each target's profile in the order given.
 * The targets must have been started with `--inspect-port`.
 */
export async function profileWhile<T>(
  targets: readonly ProfileTarget[],
  work: () => Promise<T>,
): Promise<{ result: T; profiles: CpuProfile[] }> {
  const sessions: InspectorSession[] = [];
  try {
    for (const target of targets) sessions.push(await InspectorSession.open(target));
    for (const session of sessions) {
      await session.call('Profiler.enable');
      await session.call('Profiler.start');
    }
    const result = await work();
    const profiles: CpuProfile[] = [];
    for (const session of sessions)
      profiles.push((await session.call<{ profile: CpuProfile }>('Profiler.stop')).profile);
    return { result, profiles };
  } finally {
    for (const session of sessions) session.close();
  }
}
