import type { FileHandle } from 'node:fs/promises';
import { encodeBlock } from './record-file.ts';

interface PendingWrite {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Below this a batch is written as plain lines: a deflate call costs some 30 µs whatever its size, too much for a record or two. */
const defaultBlockBytes = 8_192;

/**
 * An append-only file whose appends are group-committed: everything that arrives while one write + fdatasync runs
 * goes out in the next one, so the cost of a sync is shared by every caller waiting on it. Appends are written in
 * the order they were made and resolve in that order, once synced. `maintain` runs between flushes, with no write
 * in flight (compaction, rotation); it may `reopen` the file. A batch of at least `blockBytes` is written as one
 * compressed block (ADR 13).
 */
export class GroupCommitFile {
  private pending: PendingWrite[] = [];
  private flushing: Promise<void> | undefined;
  private handle: FileHandle;
  private closed = false;
  /** Bytes appended since the file was opened (or reopened) here, plus what it held then. */
  bytes: number;
  private readonly maintain: (() => Promise<void>) | undefined;
  private readonly blockBytes: number;

  constructor(handle: FileHandle, bytes: number, maintain?: () => Promise<void>, blockBytes = defaultBlockBytes) {
    this.handle = handle;
    this.bytes = bytes;
    this.maintain = maintain;
    this.blockBytes = blockBytes;
  }

  append(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('file is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let every append of this turn of the event loop join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      let text = '';
      for (const write of batch) text += write.text;
      try {
        if (text.length >= this.blockBytes) text = await encodeBlock(text);
        await this.handle.write(text);
        await this.handle.datasync();
        this.bytes += Buffer.byteLength(text);
        for (const write of batch) write.resolve();
      } catch (error) {
        for (const write of batch) write.reject(error);
      }
      if (this.maintain !== undefined) {
        await this.maintain().catch((error: unknown) => {
          for (const write of this.pending.splice(0)) write.reject(error);
        });
      }
    }
    this.flushing = undefined;
  }

  /** Closes the file and continues on the one `open` gives (called from `maintain`). */
  async reopen(open: () => Promise<FileHandle>): Promise<void> {
    await this.handle.close();
    this.handle = await open();
    this.bytes = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    await this.handle.close();
  }
}
