import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Latency } from './latency.ts';

/**
 * The disk's own floor for a commit: `count` appends of a record-sized buffer, each followed by fdatasync, one at a
 * time in `dir`, with nothing else running. What a synced journal cannot beat on this machine.
 */
export async function fdatasyncLatency(dir: string, count = 2_000, bytes = 1_500) {
  const path = join(dir, 'fdatasync-probe.bin');
  const handle = await open(path, 'w');
  const latency = new Latency();
  const record = Buffer.alloc(bytes, 0x61);
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await handle.write(record);
      await handle.datasync();
      latency.record(performance.now() - started);
    }
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
  return latency.summary();
}

/**
 * The share of a Prometheus histogram's observations above `thresholdSeconds` (one of its bucket bounds), from the
 * text exposition; `labels` picks the series (e.g. `action="MeterValues"`).
 */
export function shareAbove(metrics: string, name: string, thresholdSeconds: number, labels = ''): number {
  let atOrBelow: number | undefined;
  let total: number | undefined;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(labels)) continue;
    const count = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.includes(`le="${thresholdSeconds}"`)) atOrBelow = count;
    if (line.includes('le="+Inf"')) total = count;
  }
  if (atOrBelow === undefined || total === undefined || total === 0) return Number.NaN;
  return 1 - atOrBelow / total;
}
