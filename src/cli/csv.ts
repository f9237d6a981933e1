/**
 * Rows as CSV (RFC 4180): a header of every column, fields quoted when they hold a comma, a
 * quote or a line break. Text that a spreadsheet would take for a formula is neutralised, as
 * OWASP recommends against CSV injection, unless the caller turns it off.
 *
 * @module
 */
import { formatNumber, jsonText } from "./format.js";

/** Options of {@link toCsv}. */
export interface CsvOptions {
  /**
   * Neutralise text cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return
   * (a spreadsheet would run them as a formula): such a cell gets a single quote in front and
   * is quoted, e.g. `=HYPERLINK(...)` is written `"'=HYPERLINK(...)"`. Only text is changed:
   * a number such as `-1.5` is written as it is. Default `true`.
   */
  readonly escapeFormulas?: boolean;
}

/** The first characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function field(value: unknown, escapeFormulas: boolean): string {
  let text: string;
  if (value === undefined || value === null) text = "";
  else if (typeof value === "number" || typeof value === "bigint") text = formatNumber(value);
  else if (typeof value === "string") {
    if (escapeFormulas && FORMULA_START.test(value)) return quote(`'${value}`);
    text = value;
  } else if (typeof value === "boolean") text = String(value);
  else text = jsonText(value);
  return /[",\r\n]/.test(text) ? quote(text) : text;
}

/**
 * The rows as CSV text. Columns are every key of every row, in first-seen order; a row
 * without a column gets an empty field; lists are written as JSON; text that starts like a
 * formula is neutralised (see {@link CsvOptions.escapeFormulas}).
 */
export function toCsv(rows: readonly Record<string, unknown>[], options: CsvOptions = {}): string {
  const neutralise = options.escapeFormulas ?? true;
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  const header = [...columns];
  const lines = [header.map((c) => field(c, neutralise)).join(",")];
  for (const row of rows) {
    lines.push(
      header.map((c) => field(Object.hasOwn(row, c) ? row[c] : undefined, neutralise)).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
