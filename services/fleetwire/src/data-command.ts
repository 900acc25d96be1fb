import { checkDataDir, type DataFileReport, repairDataDir } from '@fleetwire/store';

const usage = `usage: fleetwire data check|repair [--data-dir DIR]

  check    read every record of the embedded store's files and report torn tails and damaged records
  repair   move bad records to <file>.quarantine-<time> and rewrite the files without them (Fleetwire stopped)

DIR defaults to FLEETWIRE_DATA_DIR, else ./data. check exits 1 when it found something.
`;

function describe(report: DataFileReport): string[] {
  const lines = [`${report.path}: ${report.records} records (${report.legacy} without checksum), ${report.size} bytes`];
  for (const record of report.corrupt) {
    lines.push(`  damaged record at byte ${record.offset} (${record.bytes} bytes): ${record.reason}`);
  }
  if (report.tornTail !== null) {
    lines.push(
      `  torn tail at byte ${report.tornTail.offset} (${report.tornTail.bytes} bytes, ${report.tornTail.records.length} records): cut off at the next start`,
    );
  }
  if (report.quarantinedTo !== undefined) lines.push(`  bad records moved to ${report.quarantinedTo}`);
  return lines;
}

/** `fleetwire data check|repair`: the embedded store's files, record by record. Answers the exit code. */
export async function dataCommand(args: readonly string[], env = process.env): Promise<number> {
  const [action, ...rest] = args;
  let dir = env.FLEETWIRE_DATA_DIR ?? './data';
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--data-dir' && rest[i + 1] !== undefined) dir = rest[++i] as string;
    else {
      process.stderr.write(`fleetwire data: unknown option ${rest[i]}\n${usage}`);
      return 2;
    }
  }
  if (action !== 'check' && action !== 'repair') {
    process.stderr.write(usage);
    return action === undefined || action === '--help' ? 0 : 2;
  }
  const reports = action === 'check' ? await checkDataDir(dir) : await repairDataDir(dir);
  if (reports.length === 0) {
    process.stdout.write(`no data files under ${dir}\n`);
    return 0;
  }
  for (const report of reports) process.stdout.write(`${describe(report).join('\n')}\n`);
  const problems = reports.filter((report) => report.corrupt.length > 0 || report.tornTail !== null).length;
  process.stdout.write(
    problems === 0
      ? 'every record is whole\n'
      : action === 'check'
        ? `${problems} file(s) with bad records; 'fleetwire data repair' quarantines them\n`
        : `${problems} file(s) repaired\n`,
  );
  return action === 'check' && problems > 0 ? 1 : 0;
}
