import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetEvent } from '@fleetwire/contracts';
import { GroupCommitFile } from './group-commit-file.ts';
import { ensureDataDir, loadRecordFile, type RepairNotice, recordLine } from './record-file.ts';
import { type EventFilter, type EventLog, matchesEvent, type StoredEvent } from './stores.ts';

export interface LocalEventLogOptions {
  /** Events kept in memory for readers (SSE resume); older ones stay on disk only. */
  readonly retained?: number;
  /** Rotate the file past this size; one rotated file is kept. */
  readonly maxFileBytes?: number;
  /** Told when opening repaired a file (a torn tail cut off). */
  readonly notice?: RepairNotice;
}

/**
 * A retained event as its JSON and the fields readers filter on: one string and a small record instead of the
 * event's object graph, which every major GC would otherwise mark, a hundred thousand times over.
 */
interface RetainedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly serial: string;
  /** JSON of the StoredEvent, as its record line holds it. */
  readonly json: string;
}

function retainedOf(stored: StoredEvent, json = JSON.stringify(stored)): RetainedEvent {
  const { id, type, serial } = stored.event;
  return { seq: stored.seq, id, type, serial, json };
}

function matches(retained: RetainedEvent, filter: EventFilter): boolean {
  return (
    (filter.serial === undefined || retained.serial === filter.serial) &&
    (filter.types === undefined || filter.types.length === 0 || filter.types.includes(retained.type))
  );
}

/**
 * The event log of the all-in-one process: a ring of recent events in memory for readers, and, given a
 * directory, an append-only JSON-lines file. Ids seen in the ring are the dedup window: an outbox re-published
 * after a restart does not appear twice.
 */
export class LocalEventLog implements EventLog {
  /** The retained events in a circular buffer: `start` is the oldest, `size` how many there are. */
  private readonly ring: (RetainedEvent | undefined)[];
  private start = 0;
  private size = 0;
  private readonly recentIds = new Set<string>();
  private readonly listeners = new Set<(stored: StoredEvent) => void>();
  private lastSeq = 0;
  private readonly retained: number;
  private readonly maxFileBytes: number;

  private readonly dir: string | undefined;
  private file: GroupCommitFile | undefined;

  private constructor(dir: string | undefined, options: LocalEventLogOptions) {
    this.dir = dir;
    this.retained = options.retained ?? 100_000;
    this.ring = new Array(this.retained);
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
        (stored) => log.remember(retainedOf(stored as StoredEvent)),
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

  private remember(stored: RetainedEvent): void {
    this.lastSeq = Math.max(this.lastSeq, stored.seq);
    this.recentIds.add(stored.id);
    if (this.size < this.retained) {
      this.ring[(this.start + this.size) % this.retained] = stored;
      this.size += 1;
      return;
    }
    const dropped = this.ring[this.start] as RetainedEvent;
    this.recentIds.delete(dropped.id);
    this.ring[this.start] = stored;
    this.start = (this.start + 1) % this.retained;
  }

  /** The i-th retained event, oldest first. */
  private retainedAt(i: number): RetainedEvent {
    return this.ring[(this.start + i) % this.retained] as RetainedEvent;
  }

  append(events: readonly FleetEvent[]): Promise<void> {
    const fresh: StoredEvent[] = [];
    let lines = '';
    for (const event of events) {
      if (this.recentIds.has(event.id)) continue;
      const stored = { seq: this.lastSeq + 1, event };
      const retained = retainedOf(stored);
      this.remember(retained);
      fresh.push(stored);
      lines += recordLine(retained.json);
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
    if (this.size === 0) return [];
    const first = this.retainedAt(0);
    const found: StoredEvent[] = [];
    for (let i = Math.max(0, afterSeq + 1 - first.seq); i < this.size && found.length < limit; i++) {
      const retained = this.retainedAt(i);
      if (matches(retained, filter)) found.push(JSON.parse(retained.json) as StoredEvent);
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
