/**
 * Reading one record's text of a project file for the dashboard, fast. The engine's
 * `JSON.parse` reads most records exactly as Python's `json` does, apart from the marks of
 * whole floats (`1.0`), which the browser's JSON cannot carry anyway. It cannot read `NaN` and
 * the infinities (it refuses them), it rounds integers beyond 2**53, and it reads the integer
 * `-0` as -0; it also has no nesting limit. A record it refuses, or whose value holds a number beyond the safe integers
 * or nests deeper than the project reader accepts, is read again with `readPyJson`, so the
 * value is always the one `readPyJson` gives, marks aside.
 *
 * @module
 */
import { MAX_NESTING, readPyJson } from "../format/pyjson/index.js";

/** The deepest nesting a record may have: the file's list is one more level. */
const RECORD_NESTING = MAX_NESTING - 1;

/**
 * Whether `value`, as `JSON.parse` read it, may differ from what `readPyJson` reads: a number
 * outside the safe integers (an integer literal beyond 2**53 lost its exact value; a float
 * that large is read the same, but is rare enough to be read again), `-0` (Python reads the
 * integer `-0` as 0), or nesting deeper than {@link RECORD_NESTING}.
 */
function needsExactRead(value: unknown): boolean {
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const item = stack.pop();
    const depth = depths.pop() as number;
    if (typeof item === "number") {
      if (!(Math.abs(item) <= Number.MAX_SAFE_INTEGER) || Object.is(item, -0)) return true;
    } else if (item !== null && typeof item === "object") {
      if (depth + 1 > RECORD_NESTING) return true;
      const children = Array.isArray(item) ? item : Object.values(item);
      for (const child of children) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** A record's value as {@link readRecordText} reads it. */
export interface RecordRead {
  /** What `readPyJson` reads, marks aside. */
  readonly value: unknown;
  /**
   * Whether `JSON.parse` read it: then every number in it is finite and no `bigint` is, so
   * `JSON.stringify` writes it as the dashboard's `toJson` would, only faster.
   */
  readonly plain: boolean;
}

/**
 * The value of one record's text: what `readPyJson(text)` reads (marks aside), through
 * `JSON.parse` when that reads the same.
 *
 * @throws PyJsonSyntaxError as `readPyJson` does (its position is within `text`).
 */
export function readRecordText(text: string): RecordRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { value: readPyJson(text, { maxNesting: RECORD_NESTING }).value, plain: false };
  }
  if (!needsExactRead(value)) return { value, plain: true };
  return { value: readPyJson(text, { maxNesting: RECORD_NESTING }).value, plain: false };
}
