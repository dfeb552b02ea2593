/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, a quote, CR or LF, quotes doubled) with formula injection neutralised: names come from
 * Azure and Kubernetes, and a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, tab
 * or CR as a formula (OWASP "CSV Injection"). Such a cell gets a leading apostrophe, which
 * spreadsheets show as text, and is always quoted.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell's text, made inert for spreadsheets and quoted per RFC 4180 where needed. */
export function csvCell(value: string): string {
  const neutral = FORMULA_START.test(value);
  const text = neutral ? `'${value}` : value;
  return neutral || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
