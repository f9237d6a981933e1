/**
 * Character-level helpers of the reader's fast pass: classes of characters, escaped quotes,
 * keys as written, and `indexOf` with the text's length for "nowhere".
 *
 * @module
 */

/** Thrown inside the fast pass when the text cannot be JSON (the pass then reports failure). */
export class NotJson extends Error {}

/** Whether `c` is the code of a decimal digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether `c` is the code of JSON whitespace. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The first position at or after `from` that is not JSON whitespace. */
export function skipSpace(text: string, from: number): number {
  let i = from;
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Whether the `"` at `quote` is escaped: preceded by an odd number of backslashes. */
export function isEscaped(text: string, quote: number): boolean {
  let k = quote - 1;
  while (text.charCodeAt(k) === 92) k--;
  return (quote - 1 - k) % 2 === 1;
}

/** A key as written between its quotes, decoded. */
export function decodeKey(raw: string): string {
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    throw new NotJson();
  }
}

/** `text.indexOf(what, from)`, with `text.length` for "nowhere". */
export function find(text: string, what: string, from: number): number {
  const at = text.indexOf(what, from);
  return at === -1 ? text.length : at;
}
