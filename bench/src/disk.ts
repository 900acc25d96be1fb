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
