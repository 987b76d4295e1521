/**
 * CSV cells as spreadsheets read them safely (RFC 4180 quoting, OWASP "CSV injection"): a text
 * cell starting with = + - @ tab or carriage return would be read as a formula, so it gets a
 * leading apostrophe; every text cell is quoted, with its quotes doubled. Numbers and empty
 * cells are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** One CSV record, CRLF-terminated (RFC 4180). */
export const csvLine = (cells: readonly (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;
