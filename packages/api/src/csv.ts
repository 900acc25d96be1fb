import { parse } from 'csv-parse/sync';

/** Rows of a CSV document with a header line, as records keyed by column name. */
export function readCsv(text: string, maxRows: number): { rows: Record<string, string>[] } | { error: string } {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    return { error: `not CSV with a header line: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (rows.length > maxRows) return { error: `at most ${maxRows} rows per import, got ${rows.length}` };
  return { rows };
}

/** One CSV line (RFC 4180 quoting). */
export function csvLine(values: readonly unknown[]): string {
  return `${values
    .map((value) => {
      const text =
        value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',')}\r\n`;
}
