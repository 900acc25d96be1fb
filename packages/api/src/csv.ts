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

/**
 * The rows of a bulk import: a CSV document (the body as text) or a JSON array of records, at most `maxRows`;
 * anything else is refused with `refusal`.
 */
export function readImportRows(
  body: unknown,
  maxRows: number,
  refusal: string,
): { rows: Record<string, unknown>[] } | { error: string } {
  if (typeof body === 'string') return readCsv(body, maxRows);
  if (Array.isArray(body) && body.length <= maxRows) return { rows: body as Record<string, unknown>[] };
  return { error: refusal };
}

/**
 * What an audit entry keeps of an import: how many rows and which keys (serials, id tags), never the text — a
 * charger import carries passwords.
 */
export function importSummary(keyColumn: string): (body: unknown) => unknown {
  return (body) => {
    const read = readImportRows(body, Number.POSITIVE_INFINITY, '');
    if ('error' in read) return { rows: null, format: typeof body === 'string' ? 'csv' : 'json' };
    const keys = read.rows.map((row) => row[keyColumn]).filter((key) => typeof key === 'string');
    return {
      format: typeof body === 'string' ? 'csv' : 'json',
      rows: read.rows.length,
      [`${keyColumn}s`]: keys.slice(0, 100),
      ...(keys.length > 100 ? { more: keys.length - 100 } : {}),
    };
  };
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
