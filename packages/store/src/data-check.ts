import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileMode, type RecordFileReport, scanRecordFile } from './record-file.ts';

/** The record files of the embedded store under FLEETWIRE_DATA_DIR. */
const dataFiles = [
  'state/state.jsonl',
  'state/journal.jsonl',
  'events/events.1.jsonl',
  'events/events.jsonl',
  'parked.jsonl',
];

export interface DataFileReport extends RecordFileReport {
  /** Where `repair` moved the bad records, when it did. */
  readonly quarantinedTo?: string;
}

/** Reads every record file of a data directory and reports what is wrong with each; changes nothing. */
export async function checkDataDir(dir: string): Promise<DataFileReport[]> {
  const reports: DataFileReport[] = [];
  for (const file of dataFiles) {
    const report = await scanRecordFile(join(dir, file));
    if (report !== undefined) reports.push(report);
  }
  return reports;
}

/**
 * Moves every bad record of a data directory's files (torn tails and damage alike) to `<file>.quarantine-<time>`,
 * keeping their bytes for whoever wants to look, and rewrites each file with its good records only. Run it with
 * Fleetwire stopped.
 */
export async function repairDataDir(dir: string, now = new Date()): Promise<DataFileReport[]> {
  const reports: DataFileReport[] = [];
  for (const report of await checkDataDir(dir)) {
    const bad = [...report.corrupt, ...(report.tornTail?.records ?? [])].sort((a, b) => a.offset - b.offset);
    if (bad.length === 0) {
      reports.push(report);
      continue;
    }
    const content = await readFile(report.path);
    const kept: Buffer[] = [];
    const moved: Buffer[] = [];
    let position = 0;
    for (const record of bad) {
      kept.push(content.subarray(position, record.offset));
      moved.push(content.subarray(record.offset, record.offset + record.bytes));
      position = record.offset + record.bytes;
    }
    kept.push(content.subarray(position));
    const quarantinedTo = `${report.path}.quarantine-${now.toISOString().replaceAll(':', '-')}`;
    await writeFile(
      quarantinedTo,
      Buffer.concat(moved.map((bytes) => (bytes.at(-1) === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')])))),
      {
        mode: fileMode,
      },
    );
    const temporary = `${report.path}.repair`;
    await writeFile(temporary, Buffer.concat(kept), { mode: fileMode, flush: true });
    await rename(temporary, report.path);
    reports.push({ ...report, quarantinedTo });
  }
  return reports;
}
