/**
 * Paths to values inside JSON data, for marks and for error messages.
 *
 * @module
 */

/** A key of an object or an index of an array. */
export type Key = string | number;

/** Paths longer than this are shortened in messages (first and last keys, with a count). */
const LONGEST_SHOWN = 16;

/** A value's path for error messages: `the top level`, or `"a.0.b"`. */
export function formatPath(path: readonly Key[]): string {
  if (path.length === 0) return "the top level";
  if (path.length <= LONGEST_SHOWN) return `"${path.join(".")}"`;
  const head = path.slice(0, 8).join(".");
  const tail = path.slice(-4).join(".");
  return `"${head}. … .${tail}" (${path.length} levels down)`;
}
