import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { encodeBlock, fileMode } from './record-file.ts';

interface PendingWrite {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Below this a batch is written as plain lines: a deflate call costs some 30 µs whatever its size, too much for a record or two. */
const defaultBlockBytes = 8_192;

/**
 * Where the platform has O_DSYNC, a write returns once its data is on disk: one trip to libuv's thread pool per
 * group commit instead of two (write, then fdatasync), each of which waits for the event loop to hear of it.
 */
const dataSync = constants.O_DSYNC;

export interface GroupCommitFileOptions {
  /** Runs between flushes, with no write in flight (compaction, rotation); it may `reopen` the file. */
  readonly maintain?: () => Promise<void>;
  readonly blockBytes?: number;
}

/**
 * An append-only file whose appends are group-committed: everything that arrives while one synced write runs goes
 * out in the next one, so the cost of a sync is shared by every caller waiting on it. Appends are written in the
 * order they were made and resolve in that order, once synced. A batch of at least `blockBytes` is written as one
 * compressed block (ADR 13).
 */
export class GroupCommitFile {
  private pending: PendingWrite[] = [];
  private flushing: Promise<void> | undefined;
  private handle: FileHandle;
  private closed = false;
  /** Bytes appended since the file was opened (or reopened) here, plus what it held then. */
  bytes: number;
  private readonly path: string;
  private readonly maintain: (() => Promise<void>) | undefined;
  private readonly blockBytes: number;

  private constructor(path: string, handle: FileHandle, bytes: number, options: GroupCommitFileOptions) {
    this.path = path;
    this.handle = handle;
    this.bytes = bytes;
    this.maintain = options.maintain;
    this.blockBytes = options.blockBytes ?? defaultBlockBytes;
  }

  static async open(path: string, options: GroupCommitFileOptions = {}): Promise<GroupCommitFile> {
    const handle = await openForAppend(path, false);
    return new GroupCommitFile(path, handle, (await handle.stat()).size, options);
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
        if (dataSync === undefined) await this.handle.datasync();
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

  /**
   * Closes the file and opens its path again (called from `maintain`): emptied with `truncate`, after `before`
   * (which may move the old file away).
   */
  async reopen(options: { readonly truncate?: boolean; readonly before?: () => Promise<void> } = {}): Promise<void> {
    await this.handle.close();
    await options.before?.();
    this.handle = await openForAppend(this.path, options.truncate === true);
    this.bytes = (await this.handle.stat()).size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    await this.handle.close();
  }
}

function openForAppend(path: string, truncate: boolean): Promise<FileHandle> {
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (truncate ? constants.O_TRUNC : 0) | (dataSync ?? 0);
  return open(path, flags, fileMode);
}
