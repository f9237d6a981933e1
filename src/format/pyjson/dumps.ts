/**
 * Python's `json.dumps(value, **options)` with its options — `indent`, `sort_keys`,
 * `separators`, `ensure_ascii`, `allow_nan` — for files whose bytes must equal what Python
 * writes with those options: project and repository files (`dump.ts`), JSON artifacts
 * (`json.dump(value, f)` with the user's writer options) and `releases.json`. The writer has
 * a fast path through the engine's `JSON.stringify` (see `dumpsFast.ts`) and a reference
 * writer, value by value, for what the fast path does not serve; a property test holds both
 * to the same bytes. Both refuse values nested deeper than `MAX_NESTING`, which the reader
 * would refuse.
 *
 * @module
 */
import { dumpsPyJsonFast } from "./dumpsFast.js";
import { pyFloatRepr } from "./floatRepr.js";
import { sortedKeys } from "./keys.js";
import { MAX_NESTING } from "./limits.js";
import { childMarks, type FloatMarks } from "./marks.js";
import type { PyJsonOptions } from "./options.js";
import { formatPath, type Key } from "./path.js";
import { pyNumber, pyString } from "./scalars.js";

export type { PyJsonOptions } from "./options.js";

interface Writer {
  readonly out: string[];
  readonly indent: string | null;
  readonly itemSeparator: string;
  readonly keySeparator: string;
  readonly sortKeys: boolean;
  readonly ensureAscii: boolean;
  readonly allowNan: boolean;
  readonly open: Set<object>;
}

/** An error inside the value, with the path to it filled in as it travels up. */
class WriteError extends Error {
  readonly path: Key[] = [];
  constructor(readonly make: (where: string) => Error) {
    super("JSON write error");
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Serialises `value` exactly as Python's `json.dumps(value, **options)` does.
 *
 * Object keys keep their JavaScript order unless `sortKeys` is set (keys that are array
 * indices come first in JavaScript objects). Numbers marked in `marks` (see
 * `FloatMarks`; as `readPyJson` reports them) are written as floats (`1.0`), `bigint`s
 * as integer literals; without `marks`, every whole number is written as an integer.
 *
 * @throws TypeError for a value JSON cannot hold (`undefined`, a function, a symbol, a class
 *   instance without `toJSON`), naming its path.
 * @throws RangeError for a circular structure, for a value nested deeper than `MAX_NESTING`
 *   (naming its path), or for `NaN`/infinities when `allowNan` is false.
 *
 * @example
 * ```ts
 * dumpsPyJson([0, 1, 2]);                // "[0, 1, 2]"
 * dumpsPyJson({ b: 1, a: [] }, { indent: 4, sortKeys: true });
 * // '{\n    "a": [],\n    "b": 1\n}'
 * ```
 */
export function dumpsPyJson(
  value: unknown,
  options: PyJsonOptions = {},
  marks?: FloatMarks,
): string {
  return dumpsPyJsonFast(value, options, marks) ?? dumpsPyJsonSlowly(value, options, marks);
}

/**
 * The reference writer behind {@link dumpsPyJson}: it walks the value one item at a time.
 * `dumpsPyJson` uses it for the options and values its fast path does not serve; both give
 * the same bytes.
 */
export function dumpsPyJsonSlowly(
  value: unknown,
  options: PyJsonOptions = {},
  marks?: FloatMarks,
): string {
  const indent = indentString(options.indent);
  const [itemSeparator, keySeparator] =
    options.separators ?? (indent === null ? [", ", ": "] : [",", ": "]);
  const writer: Writer = {
    out: [],
    indent,
    itemSeparator,
    keySeparator,
    sortKeys: options.sortKeys ?? false,
    ensureAscii: options.ensureAscii ?? true,
    allowNan: options.allowNan ?? true,
    open: new Set(),
  };
  try {
    write(writer, value, [value], 0, 0, marks);
  } catch (error) {
    if (error instanceof WriteError) throw error.make(formatPath(error.path));
    throw error;
  }
  return writer.out.join("");
}

function indentString(indent: number | string | null | undefined): string | null {
  if (indent === null || indent === undefined) return null;
  if (typeof indent === "string") return indent;
  return " ".repeat(Math.max(0, Math.trunc(indent)));
}

function string(writer: Writer, s: string): string {
  return writer.ensureAscii ? pyString(s) : JSON.stringify(s);
}

function write(
  writer: Writer,
  value: unknown,
  container: object,
  key: Key,
  level: number,
  marks: FloatMarks | undefined,
): void {
  switch (typeof value) {
    case "string":
      writer.out.push(string(writer, value));
      return;
    case "number":
      if (!Number.isFinite(value) && !writer.allowNan) {
        throw new WriteError(
          (where) =>
            new RangeError(
              `Out of range float value ${pyFloatRepr(value)} at ${where} is not JSON compliant (allowNan is false)`,
            ),
        );
      }
      if (!Number.isInteger(value)) writer.out.push(pyFloatRepr(value));
      else writer.out.push(pyNumber(value, marks === true));
      return;
    case "bigint":
      writer.out.push(pyNumber(value));
      return;
    case "boolean":
      writer.out.push(value ? "true" : "false");
      return;
    case "object":
      break;
    default:
      throw cannotWrite(value);
  }
  if (value === null) {
    writer.out.push("null");
    return;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    write(writer, toJSON.call(value), container, key, level, marks);
    return;
  }
  if (!Array.isArray(value) && !isPlainObject(value)) throw cannotWrite(value);
  if (level >= MAX_NESTING) {
    throw new WriteError(
      (where) =>
        new RangeError(
          `Cannot write the value at ${where}: it is nested deeper than ${MAX_NESTING} levels, which Python's json and this reader do not read`,
        ),
    );
  }
  if (writer.open.has(value)) {
    throw new WriteError((where) => new RangeError(`Circular reference detected at ${where}`));
  }
  writer.open.add(value);
  if (Array.isArray(value)) writeArray(writer, value, level, marks);
  else writeObject(writer, value as Record<string, unknown>, level, marks);
  writer.open.delete(value);
}

function writeArray(
  writer: Writer,
  array: readonly unknown[],
  level: number,
  marks: FloatMarks | undefined,
): void {
  const { out } = writer;
  if (array.length === 0) {
    out.push("[]");
    return;
  }
  const [open, separator, close] = layout(writer, level);
  out.push("[", open);
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out.push(separator);
    try {
      write(writer, array[i], array, i, level + 1, childMarks(marks, i));
    } catch (error) {
      if (error instanceof WriteError) error.path.unshift(i);
      throw error;
    }
  }
  out.push(close, "]");
}

function writeObject(
  writer: Writer,
  record: Record<string, unknown>,
  level: number,
  marks: FloatMarks | undefined,
): void {
  const { out } = writer;
  const keys = writer.sortKeys ? sortedKeys(record) : Object.keys(record);
  if (keys.length === 0) {
    out.push("{}");
    return;
  }
  const [open, separator, close] = layout(writer, level);
  out.push("{", open);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out.push(separator);
    out.push(string(writer, k), writer.keySeparator);
    try {
      write(writer, record[k], record, k, level + 1, childMarks(marks, k));
    } catch (error) {
      if (error instanceof WriteError) error.path.unshift(k);
      throw error;
    }
  }
  out.push(close, "}");
}

/** What goes after the opening bracket, between items and before the closing bracket. */
function layout(writer: Writer, level: number): [string, string, string] {
  if (writer.indent === null) return ["", writer.itemSeparator, ""];
  const inner = `\n${writer.indent.repeat(level + 1)}`;
  return [inner, writer.itemSeparator + inner, `\n${writer.indent.repeat(level)}`];
}

function cannotWrite(value: unknown): WriteError {
  return new WriteError(
    (where) => new TypeError(`Cannot write ${describe(value)} at ${where} as JSON`),
  );
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const name = (value as object).constructor?.name;
  return name === undefined ? "an object without a prototype" : `a ${name}`;
}
