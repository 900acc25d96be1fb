import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
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
