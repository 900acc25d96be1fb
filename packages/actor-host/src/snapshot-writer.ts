import type { SnapshotStore, SnapshotWrite } from '@fleetwire/store';
import type { FleetwireMetrics } from '@fleetwire/telemetry';

interface Waiting {
  readonly write: SnapshotWrite;
  readonly resolve: (accepted: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Batches snapshot writes: the writes requested in one turn go out together, as one pipelined round trip (one
 * group commit of the file journal). Up to `maxInFlight` batches run at once, so a write waits for a turn of the
 * event loop, not for the batch before it; a charger's own writes stay in order because its mailbox runs one input
 * at a time.
 */
export class SnapshotWriter {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly store: SnapshotStore;
  private readonly metrics: FleetwireMetrics | undefined;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(store: SnapshotStore, metrics?: FleetwireMetrics, maxBatch = 512, maxInFlight = 4) {
    this.store = store;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  write(write: SnapshotWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ write, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    // Every write of this turn joins the batch.
    queueMicrotask(() => {
      this.scheduled = false;
      void this.send(this.waiting.splice(0, this.maxBatch));
      this.schedule();
    });
  }

  private async send(batch: Waiting[]): Promise<void> {
    this.inFlight += 1;
    const started = performance.now();
    try {
      const accepted = await this.store.write(batch.map((waiting) => waiting.write));
      this.metrics?.snapshotWriteSeconds.observe((performance.now() - started) / 1000);
      let written = 0;
      for (const [i, waiting] of batch.entries()) {
        if (accepted[i] === true) written += 1;
        waiting.resolve(accepted[i] === true);
      }
      this.metrics?.snapshotWrites.inc({ result: 'written' }, written);
      if (written < batch.length) this.metrics?.snapshotWrites.inc({ result: 'fenced' }, batch.length - written);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.inFlight -= 1;
      this.schedule();
      if (this.inFlight === 0 && this.waiting.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves when nothing is waiting or in flight. */
  async idle(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
