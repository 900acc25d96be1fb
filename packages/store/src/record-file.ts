import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRawSync } from 'node:zlib';

/**
 * The files of the embedded store hold one record per line: `<CRC-32 of the JSON, 8 hex digits> <JSON>`. A record
 * whose checksum does not match, or that does not parse, or that lacks its newline, is bad. Bad records at the end
 * of a file are a torn tail (a crash mid-append: nothing after them was ever acknowledged) and are cut off; a bad
 * record followed by good ones is damage, and the store refuses to start on it (`fleetwire data check|repair`).
 * Lines written before checksums (plain JSON) are read as they are.
 *
 * A line may also be a block: `<CRC-32> z<base64 of the raw-deflated record lines>`, records written together in
 * one group commit (ADR 13). The block is checked as a whole, then each record in it as above; a block is whole or
 * bad, as a line is.
 */

/** Data files and directories are readable by their owner only: they hold password hashes and payloads. */
export const fileMode = 0o600;
export const dirMode = 0o700;

export function encodeRecord(value: unknown): string {
  return recordLine(JSON.stringify(value));
}

/** The record line of a value already in JSON. */
export function recordLine(json: string): string {
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

const deflateRawAsync = promisify(deflateRaw);

/**
 * Record lines (from `encodeRecord`) as one block line. Level 1: most of the saving for a fraction of the CPU; on
 * libuv's thread pool, so that a group commit's compression does not hold the event loop (it was 7 % of the
 * all-in-one's main thread at saturation).
 */
export async function encodeBlock(lines: string): Promise<string> {
  const packed = `z${(await deflateRawAsync(lines, { level: 1 })).toString('base64')}`;
  return `${crc32(packed).toString(16).padStart(8, '0')} ${packed}\n`;
}

export interface BadRecord {
  /** Byte offset of the line in its file. */
  readonly offset: number;
  readonly bytes: number;
  readonly reason: string;
  /** The line as it is on disk (at most its first 4 KiB). */
  readonly text: string;
}

export interface RecordFileReport {
  readonly path: string;
  readonly records: number;
  /** Lines without a checksum, written by an earlier release. */
  readonly legacy: number;
  /** Bad records at the end of the file, from its first bad offset to the end. */
  readonly tornTail: { readonly offset: number; readonly bytes: number; readonly records: readonly BadRecord[] } | null;
  /** Bad records followed by good ones. */
  readonly corrupt: readonly BadRecord[];
  readonly size: number;
}

export class CorruptRecordError extends Error {
  readonly path: string;
  readonly offset: number;

  constructor(path: string, record: BadRecord) {
    super(
      `${path}: bad record at byte ${record.offset} (${record.reason}) with good records after it; ` +
        `run 'fleetwire data check' to list the damage and 'fleetwire data repair' to quarantine it`,
    );
    this.name = 'CorruptRecordError';
    this.path = path;
    this.offset = record.offset;
  }
}

const hexDigit = (byte: number) => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66);

type Decoded =
  | { readonly ok: true; readonly values: readonly unknown[]; readonly legacy: boolean }
  | { readonly ok: false; readonly reason: string };

const blockMark = 0x7a; // 'z'

function decodeLine(line: Buffer, inBlock = false): Decoded {
  let json: Buffer = line;
  let legacy = true;
  if (line.length > 9 && line[8] === 0x20 && line.subarray(0, 8).every(hexDigit)) {
    json = line.subarray(9);
    legacy = false;
    const expected = Number.parseInt(line.subarray(0, 8).toString('latin1'), 16);
    if (crc32(json) !== expected) return { ok: false, reason: 'checksum mismatch' };
    if (json[0] === blockMark && !inBlock) return decodeBlock(json);
  } else if (line[0] !== 0x7b || inBlock) {
    return { ok: false, reason: 'not a record' };
  }
  try {
    return { ok: true, values: [JSON.parse(json.toString('utf8'))], legacy };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

function decodeBlock(packed: Buffer): Decoded {
  let lines: Buffer;
  try {
    lines = inflateRawSync(Buffer.from(packed.subarray(1).toString('latin1'), 'base64'));
  } catch {
    return { ok: false, reason: 'block does not inflate' };
  }
  const values: unknown[] = [];
  let start = 0;
  for (let newline = lines.indexOf(0x0a); newline >= 0; newline = lines.indexOf(0x0a, start)) {
    const decoded = decodeLine(lines.subarray(start, newline), true);
    if (!decoded.ok) return { ok: false, reason: `record in a block: ${decoded.reason}` };
    values.push(...decoded.values);
    start = newline + 1;
  }
  if (start !== lines.length) return { ok: false, reason: 'record in a block: no newline' };
  return { ok: true, values, legacy: false };
}

const chunkBytes = 1 << 20;

/** Every line of a file with its offset; the last one may lack its newline (`complete: false`). */
async function* linesOf(path: string): AsyncGenerator<{ offset: number; line: Buffer; complete: boolean }> {
  const handle = await open(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    let position = 0;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const chunk =
        carry.length === 0 ? buffer.subarray(0, bytesRead) : Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
      let start = 0;
      for (let newline = chunk.indexOf(0x0a, start); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
        yield { offset: carryOffset + start, line: chunk.subarray(start, newline), complete: true };
        start = newline + 1;
      }
      carryOffset += start;
      carry = Buffer.from(chunk.subarray(start));
    }
    if (carry.length > 0) yield { offset: carryOffset, line: carry, complete: false };
  } finally {
    await handle.close();
  }
}

/** Reads a record file, calling `visit` with each good record in order; reports the bad ones, refuses nothing. */
export async function scanRecordFile(
  path: string,
  visit: (value: unknown) => void = () => {},
): Promise<RecordFileReport | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return undefined;
  }
  let records = 0;
  let legacy = 0;
  const corrupt: BadRecord[] = [];
  let pending: BadRecord[] = [];
  for await (const { offset, line, complete } of linesOf(path)) {
    if (complete && line.length === 0) continue;
    const decoded: Decoded = complete ? decodeLine(line) : { ok: false, reason: 'no newline (torn write)' };
    if (!decoded.ok) {
      pending.push({
        offset,
        bytes: line.length + (complete ? 1 : 0),
        reason: decoded.reason,
        text: line.subarray(0, 4096).toString('utf8'),
      });
      continue;
    }
    // Bad records followed by a good one are damage, not a torn tail.
    corrupt.push(...pending);
    pending = [];
    records += decoded.values.length;
    if (decoded.legacy) legacy += 1;
    for (const value of decoded.values) visit(value);
  }
  const first = pending[0];
  return {
    path,
    records,
    legacy,
    tornTail: first === undefined ? null : { offset: first.offset, bytes: size - first.offset, records: pending },
    corrupt,
    size,
  };
}

/** How a store reports what it did to a file on open (a torn tail cut off). */
export type RepairNotice = (message: string, details: Readonly<Record<string, unknown>>) => void;

/**
 * Opens a record file for a store: applies its good records, cuts a torn tail back to the last whole record (so
 * the next append starts on a line of its own), and refuses damage in the middle. The file and its directory are
 * made owner-only.
 */
export async function loadRecordFile(
  path: string,
  visit: (value: unknown) => void,
  notice: RepairNotice,
): Promise<RecordFileReport | undefined> {
  const report = await scanRecordFile(path, visit);
  if (report === undefined) return undefined;
  const damaged = report.corrupt[0];
  if (damaged !== undefined) throw new CorruptRecordError(path, damaged);
  await chmod(path, fileMode);
  if (report.tornTail !== null) {
    const handle = await open(path, 'r+');
    try {
      await handle.truncate(report.tornTail.offset);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    notice('torn tail cut off', {
      file: path,
      offset: report.tornTail.offset,
      bytes: report.tornTail.bytes,
      dropped: report.tornTail.records.map((record) => record.text.slice(0, 200)),
    });
  }
  return report;
}

export async function ensureDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: dirMode });
  await chmod(dir, dirMode);
}
