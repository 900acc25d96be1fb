import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { GroupCommitFile } from './group-commit-file.ts';
import { type Durability, type Keyspace, type KeyspaceOp, opJson } from './keyspace.ts';
import { encodeBlock, ensureDataDir, fileMode, loadRecordFile, type RepairNotice, recordLine } from './record-file.ts';

export interface FileJournalOptions {
  /** Compact when the journal holds this many more ops than there are live keys. */
  readonly compactAfterOps?: number;
  /** Told when opening repaired a file (a torn tail cut off). */
  readonly notice?: RepairNotice;
}

/**
 * Makes a keyspace durable in a directory: `state.jsonl` (compacted) plus `journal.jsonl` (ops since), the journal
 * group-committed.
 */
/** The live keys are rewritten in compressed blocks of about this many characters of record lines. */
const compactionBlockChars = 256 * 1024;

export class FileJournal implements Durability {
  private opsSinceCompaction = 0;
  private closed = false;
  private readonly dir: string;
  private readonly file: GroupCommitFile;
  private readonly keyspace: Keyspace;
  private readonly compactAfterOps: number;

  private constructor(dir: string, file: GroupCommitFile, keyspace: Keyspace, compactAfterOps: number) {
    this.dir = dir;
    this.keyspace = keyspace;
    this.compactAfterOps = compactAfterOps;
    this.file = file;
  }

  static async open(dir: string, keyspace: Keyspace, options: FileJournalOptions = {}): Promise<FileJournal> {
    await ensureDataDir(dir);
    let replayed = 0;
    const notice = options.notice ?? (() => {});
    for (const path of [join(dir, 'state.jsonl'), join(dir, 'journal.jsonl')]) {
      await loadRecordFile(
        path,
        (op) => {
          keyspace.apply(op as KeyspaceOp);
          replayed += 1;
        },
        notice,
      );
    }
    let journal: FileJournal | undefined;
    const file = await GroupCommitFile.open(join(dir, 'journal.jsonl'), {
      maintain: () => journal?.maintain() ?? Promise.resolve(),
    });
    journal = new FileJournal(dir, file, keyspace, options.compactAfterOps ?? 200_000);
    journal.opsSinceCompaction = replayed;
    return journal;
  }

  persist(ops: readonly KeyspaceOp[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    let text = '';
    for (const op of ops) text += recordLine(opJson(op));
    this.opsSinceCompaction += ops.length;
    return this.file.append(text);
  }

  private async maintain(): Promise<void> {
    if (this.opsSinceCompaction > this.compactAfterOps) await this.compact();
  }

  /**
   * Rewrites the live keys into state.jsonl and empties the journal. Replaying the journal over a state that
   * already holds some of its ops ends in the same values (every op is a whole put or delete), so a crash at any
   * step here loses nothing.
   */
  private async compact(): Promise<void> {
    const temporary = join(this.dir, 'state.jsonl.tmp');
    const out = createWriteStream(temporary, { mode: fileMode });
    let chunk = '';
    for (const op of this.keyspace.dump()) {
      chunk += recordLine(opJson(op));
      if (chunk.length < compactionBlockChars) continue;
      if (!out.write(await encodeBlock(chunk))) await once(out, 'drain');
      chunk = '';
    }
    if (chunk.length > 0) out.write(await encodeBlock(chunk));
    out.end();
    await once(out, 'finish');
    const written = await open(temporary, 'r+');
    await written.datasync();
    await written.close();
    await rename(temporary, join(this.dir, 'state.jsonl'));
    await this.file.reopen({ truncate: true });
    this.opsSinceCompaction = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.close();
  }
}
