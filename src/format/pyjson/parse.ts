/**
 * Reading JSON as Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity` are numbers,
 * integers beyond the safe range keep their exact value as a `bigint`, and whole floats
 * (`1.0`) are reported as marks beside the value (see `marks.ts`).
 *
 * The bulk of the work is the engine's `JSON.parse`, on the original text whenever it holds
 * no `NaN`, infinity, big integer or `-0`. A linear pre-pass (`scan.ts`) finds the few tokens
 * `JSON.parse` cannot read faithfully; they are replaced by `0` for `JSON.parse` and put back
 * at their paths afterwards. Refused text is explained by `diagnose.ts`, so the time and
 * stack spent on any input are linear and constant.
 *
 * @module
 */
import { diagnose } from "./diagnose.js";
import { PyJsonSyntaxError } from "./errors.js";
import { MAX_NESTING } from "./limits.js";
import type { FloatMarks } from "./marks.js";
import type { Key } from "./path.js";
import { type Fix, scan } from "./scan.js";

/** A value read by {@link readPyJson}, with the marks of its whole floats. */
export interface PyJsonRead<T = unknown> {
  /** The value: objects, arrays, strings, numbers, `bigint`s, booleans and `null`. */
  readonly value: T;
  /** Where the value held whole floats (`1.0`); `undefined` when nowhere. */
  readonly marks: FloatMarks | undefined;
}

/** Options of {@link readPyJson}. */
export interface ReadOptions {
  /**
   * The deepest nesting accepted (default {@link MAX_NESTING}). A caller reading a part of a
   * larger document passes the room left, so that the whole document keeps to the limit.
   */
  readonly maxNesting?: number;
}

/**
 * Reads JSON text as Python's `json.loads` does, in time linear in the text and constant
 * stack, whatever the input.
 *
 * - `NaN`, `Infinity`, `-Infinity` are read as numbers; `-0` as `0`, as Python reads it.
 * - Integers outside `Number.isSafeInteger` are read as `bigint`s with their exact value
 *   (`9007199254740993n`); integers inside it, and every float, as numbers.
 * - Whole floats (`1.0`, `0.0`, `1e+16`, `-0.0`) are numbers, and their places are in
 *   `marks` (see {@link FloatMarks}).
 * - Objects are built by `JSON.parse`: a key `__proto__` stays plain data.
 *
 * @throws PyJsonSyntaxError for text Python's `json.loads` refuses, or nested deeper than
 *   `maxNesting`, naming the line, the column and the cause: `"not JSON at line 1, column
 *   1"`, `"unterminated string starting here (the file may be truncated) at line 3, column 9"`.
 */
export function readPyJson<T = unknown>(text: string, options: ReadOptions = {}): PyJsonRead<T> {
  return read(text, options.maxNesting ?? MAX_NESTING) as PyJsonRead<T>;
}

/**
 * The value alone of {@link readPyJson}: for text whose whole floats need not be written
 * back as floats (a whole float is a number like any other; `readPyJson` gives their marks).
 *
 * @throws PyJsonSyntaxError as `readPyJson` does.
 */
export function parsePyJson(text: string): unknown {
  return read(text, MAX_NESTING).value;
}

function read(text: string, maxNesting: number): PyJsonRead {
  const found = scan(text, maxNesting);
  if (!found.ok) throw refusal(text, maxNesting);
  const { fixes } = found;
  const tag = fixes.length === 0 ? "" : sentinelTag(text);
  let value: unknown;
  try {
    value = JSON.parse(fixes.length === 0 ? text : replaced(text, fixes, tag));
  } catch (error) {
    throw refusal(text, maxNesting, error);
  }
  for (let i = 0; i < fixes.length; i++) {
    const fix = fixes[i] as Fix;
    value = putBack(value, fix.path, `\u0000${tag}${i}`, fix.value);
  }
  return { value, marks: found.marks };
}

function refusal(text: string, maxNesting: number, cause?: unknown): Error {
  const problem = diagnose(text, maxNesting);
  if (problem !== undefined) return problem;
  // The fast pass and the grammar disagree: a defect, reported with what the engine said.
  return new PyJsonSyntaxError(
    text,
    0,
    `unreadable JSON (${cause instanceof Error ? cause.message : "the pre-pass refused it"})`,
  );
}

/**
 * A tag such that no string of the text starts with NUL + tag: the fixed tokens are replaced
 * by strings `"\u0000<tag><index>"`, which cannot be confused with the text's own strings.
 */
function sentinelTag(text: string): string {
  for (let n = 0; ; n++) {
    if (!text.includes(`\\u0000pyjson${n}:`)) return `pyjson${n}:`;
  }
}

function replaced(text: string, fixes: readonly Fix[], tag: string): string {
  const parts: string[] = [];
  let last = 0;
  for (let i = 0; i < fixes.length; i++) {
    const fix = fixes[i] as Fix;
    parts.push(text.slice(last, fix.start), `"\\u0000${tag}${i}"`);
    last = fix.end;
  }
  parts.push(text.slice(last));
  return parts.join("");
}

/**
 * `root` with the sentinel at `path` replaced by `value` (a new root when the path is empty).
 * Where a later duplicate key replaced the sentinel's member, `JSON.parse` kept the later
 * value, as Python does, and nothing is put back.
 */
function putBack(root: unknown, path: readonly Key[], sentinel: string, value: unknown): unknown {
  if (path.length === 0) return root === sentinel ? value : root;
  let container: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (container === null || typeof container !== "object") return root;
    container = (container as Record<Key, unknown>)[path[i] as Key];
  }
  if (container === null || typeof container !== "object") return root;
  const key = path[path.length - 1] as Key;
  const holder = container as Record<Key, unknown>;
  if (Object.hasOwn(holder, key) && holder[key] === sentinel) holder[key] = value;
  return root;
}
