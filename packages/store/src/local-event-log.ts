import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetEvent } from '@fleetwire/contracts';
import { EventRing } from './event-ring.ts';
import { GroupCommitFile } from './group-commit-file.ts';
import { ensureDataDir, loadRecordFile, type RepairNotice, recordLine } from './record-file.ts';
import { type EventFilter, type EventLog, matchesEvent, type StoredEvent } from './stores.ts';

export interface LocalEventLogOptions {
  /** Events kept in memory for readers (SSE resume); older ones stay on disk only. */
  readonly retained?: number;
  /** Bytes of event JSON kept in memory at most, whatever `retained` says. */
  readonly retainedBytes?: number;
  /** Rotate the file past this size; one rotated file is kept. */
  readonly maxFileBytes?: number;
  /** Told when opening repaired a file (a torn tail cut off). */
  readonly notice?: RepairNotice;
}

/**
 * The event log of the all-in-one process: a ring of recent events in memory for readers, and, given a
 * directory, an append-only JSON-lines file. Ids seen in the ring are the dedup window: an outbox re-published
 * after a restart does not appear twice.
 */
export class LocalEventLog implements EventLog {
  private readonly ring: EventRing;
  private readonly listeners = new Set<(stored: StoredEvent) => void>();
  private lastSeq = 0;
  private readonly maxFileBytes: number;

  private readonly dir: string | undefined;
  private file: GroupCommitFile | undefined;

  private constructor(dir: string | undefined, options: LocalEventLogOptions) {
    this.dir = dir;
    this.ring = new EventRing({
      events: options.retained ?? 100_000,
      bytes: options.retainedBytes ?? 64 * 1024 * 1024,
    });
    this.maxFileBytes = options.maxFileBytes ?? 256 * 1024 * 1024;
  }

  static inMemory(options: LocalEventLogOptions = {}): LocalEventLog {
    return new LocalEventLog(undefined, options);
  }

  static async open(dir: string, options: LocalEventLogOptions = {}): Promise<LocalEventLog> {
    await ensureDataDir(dir);
    const log = new LocalEventLog(dir, options);
    for (const path of [join(dir, 'events.1.jsonl'), join(dir, 'events.jsonl')]) {
      const report = await loadRecordFile(
        path,
        (stored) => log.remember(stored as StoredEvent),
        options.notice ?? (() => {}),
      );
      // A sequence number that reached a reader must never be given to another event, even when its record was
      // torn off: the cut text still names it.
      for (const torn of report?.tornTail?.records ?? []) {
        const seq = /"seq":(\d+)/.exec(torn.text)?.[1];
        if (seq !== undefined) log.lastSeq = Math.max(log.lastSeq, Number(seq));
      }
    }
    const file: GroupCommitFile = await GroupCommitFile.open(join(dir, 'events.jsonl'), {
      maintain: () => (file.bytes > log.maxFileBytes ? log.rotate(file) : Promise.resolve()),
    });
    log.file = file;
    return log;
  }

  private remember(stored: StoredEvent, json = JSON.stringify(stored)): void {
    this.lastSeq = Math.max(this.lastSeq, stored.seq);
    const { id, type, serial } = stored.event;
    this.ring.push(stored.seq, id, type, serial, json);
  }

  append(events: readonly FleetEvent[]): Promise<void> {
    const fresh: StoredEvent[] = [];
    let lines = '';
    for (const event of events) {
      if (this.ring.has(event.id)) continue;
      const stored = { seq: this.lastSeq + 1, event };
      const json = JSON.stringify(stored);
      this.remember(stored, json);
      fresh.push(stored);
      lines += recordLine(json);
    }
    if (fresh.length === 0) return Promise.resolve();
    const written = this.file === undefined ? Promise.resolve() : this.file.append(lines);
    // Each append is synced before readers hear of it, so an event a reader saw is never lost (and its sequence
    // number never given again); appends resolve in the order they were made, which is the sequence order.
    return written.then(() => {
      for (const stored of fresh) for (const listener of this.listeners) listener(stored);
    });
  }

  private async rotate(file: GroupCommitFile): Promise<void> {
    const dir = this.dir as string;
    await file.reopen({ before: () => rename(join(dir, 'events.jsonl'), join(dir, 'events.1.jsonl')) });
  }

  private after(afterSeq: number, limit: number, filter: EventFilter): StoredEvent[] {
    const ring = this.ring;
    const found: StoredEvent[] = [];
    for (let i = ring.indexAfter(afterSeq); i < ring.size && found.length < limit; i++) {
      if (ring.matches(i, filter)) found.push(JSON.parse(ring.jsonAt(i)) as StoredEvent);
    }
    return found;
  }

  async read(afterSeq: number, limit: number, filter: EventFilter = {}): Promise<readonly StoredEvent[]> {
    return this.after(afterSeq, limit, filter);
  }

  follow(afterSeq: number | 'now', filter: EventFilter, listener: (stored: StoredEvent) => void): () => void {
    // The ring is read and the listener registered in one turn; a listener call for an event already read is skipped.
    let delivered = afterSeq === 'now' ? this.lastSeq : afterSeq;
    const deliver = (stored: StoredEvent) => {
      if (stored.seq <= delivered) return;
      delivered = stored.seq;
      if (matchesEvent(stored.event, filter)) listener(stored);
    };
    for (const stored of this.after(delivered, Number.POSITIVE_INFINITY, {})) deliver(stored);
    delivered = Math.max(delivered, this.lastSeq);
    this.listeners.add(deliver);
    return () => this.listeners.delete(deliver);
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }
}
