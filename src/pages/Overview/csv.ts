/**
 * CSV text (RFC 4180: comma-separated, CRLF between records, fields with a comma, quote, CR or LF quoted with inner
 * quotes doubled).
 *
 * Grafana's own `toCSV` (@grafana/data `utils/csv.ts`) is not used: it separates fields by the browser locale's list
 * separator, leaves a field with a bare CR unquoted, and writes text starting with `=`, `+`, `-` or `@` as it is,
 * which a spreadsheet runs as a formula. Here such text gets a leading apostrophe (OWASP "CSV injection"); numbers
 * are written as numbers, so a negative figure stays a number.
 */
export type CsvCell = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function textCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cell(value: CsvCell): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return Number.isNaN(value) ? '' : String(value);
  }
  return textCell(value);
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
