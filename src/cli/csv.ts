/**
 * Rows as CSV (RFC 4180): a header of every column, fields quoted when they hold a comma, a
 * quote or a line break.
 *
 * @module
 */
import { formatNumber, jsonText } from "./format.js";

function field(value: unknown): string {
  let text: string;
  if (value === undefined || value === null) text = "";
  else if (typeof value === "number" || typeof value === "bigint") text = formatNumber(value);
  else if (typeof value === "string") text = value;
  else if (typeof value === "boolean") text = String(value);
  else text = jsonText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The rows as CSV text. Columns are every key of every row, in first-seen order; a row
 * without a column gets an empty field; lists are written as JSON.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  const header = [...columns];
  const lines = [header.map(field).join(",")];
  for (const row of rows) {
    lines.push(header.map((c) => field(Object.hasOwn(row, c) ? row[c] : undefined)).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
