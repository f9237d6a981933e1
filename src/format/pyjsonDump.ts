/**
 * The fast writer: the value is prepared for the engine's own `JSON.stringify` — objects
 * re-keyed in Python's sorted order, numbers Python writes differently replaced by
 * placeholders — and the output is then patched (placeholders, `\uXXXX` escapes). Values it
 * cannot prepare faithfully (keys that are array indices, strings holding NUL) go through the
 * reference writer instead. Both give the same bytes; a property test holds them to it.
 *
 * @module
 */
import { pyFloatRepr } from "./floatRepr.js";
import { byCodePoint, dumpPyJsonSlowly, formatPath, hasSurrogate } from "./pyjsonWrite.js";
import { isWholeFloat, type Key } from "./wholeFloats.js";

/** Characters the engine escapes unlike Python (non-ASCII, DEL). */
const NOT_ASCII = /[\u007f-\uffff]/;
const NON_ASCII = /[\u007f-\uffff]/g;
const PLACEHOLDER = /"\\u0000(\d+)"/g;

class Fallback extends Error {}

interface Context {
  readonly numbers: string[];
  nonAscii: boolean;
  readonly path: Key[];
}

/**
 * Serialises a JSON value exactly as Python's `json.dumps(value, sort_keys=True, indent=4)`.
 *
 * Values must be JSON data: `undefined`, functions, symbols and bigints are refused with a
 * `TypeError` naming their path. An object with a `toJSON()` method is written as what that
 * method returns.
 */
export function dumpPyJson(value: unknown): string {
  const context: Context = { numbers: [], nonAscii: false, path: [] };
  let prepared: unknown;
  try {
    prepared = prepare(value, [value], 0, context);
  } catch (error) {
    if (error instanceof Fallback) return dumpPyJsonSlowly(value);
    throw error;
  }
  let text = JSON.stringify(prepared, null, 4);
  if (context.numbers.length > 0) {
    text = text.replace(
      PLACEHOLDER,
      (_m, index: string) => context.numbers[Number(index)] as string,
    );
  }
  if (context.nonAscii) text = text.replace(NON_ASCII, escapeCodeUnit);
  return text;
}

function escapeCodeUnit(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

function checkString(s: string, context: Context): void {
  // NUL would clash with the placeholders: such strings take the reference writer.
  if (s.includes("\u0000")) throw new Fallback();
  if (NOT_ASCII.test(s)) context.nonAscii = true;
}

/** Whether the engine writes this number as Python does. */
function isPlainNumber(x: number, container: object, key: Key): boolean {
  if (Number.isInteger(x)) {
    return Number.isSafeInteger(x) && !Object.is(x, -0) && !isWholeFloat(container, key);
  }
  const abs = Math.abs(x);
  return abs >= 1e-4 && abs < 1e16 && Number.isFinite(x);
}

function prepare(value: unknown, container: object, key: Key, context: Context): unknown {
  switch (typeof value) {
    case "string":
      checkString(value, context);
      return value;
    case "number":
      if (isPlainNumber(value, container, key)) return value;
      context.numbers.push(
        Number.isSafeInteger(value) && !Object.is(value, -0) && !isWholeFloat(container, key)
          ? String(value)
          : pyFloatRepr(value),
      );
      return `\u0000${context.numbers.length - 1}`;
    case "boolean":
      return value;
    case "object":
      if (value === null) return null;
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
        return prepare((value as { toJSON: () => unknown }).toJSON(), container, key, context);
      }
      return Array.isArray(value)
        ? prepareArray(value, context)
        : prepareObject(value as Record<string, unknown>, context);
    default:
      throw new TypeError(`Cannot write ${typeof value} at ${formatPath(context.path)} as JSON`);
  }
}

function prepareArray(array: unknown[], context: Context): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    context.path.push(i);
    const prepared = prepare(item, array, i, context);
    context.path.pop();
    if (copy === undefined && prepared !== item) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(prepared);
  }
  return copy ?? array;
}

function isIndexLike(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

function prepareObject(record: Record<string, unknown>, context: Context): Record<string, unknown> {
  const keys = Object.keys(record);
  let sorted = true;
  let surrogates = false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    checkString(k, context);
    if (isIndexLike(k) && keys.length > 1) throw new Fallback();
    if (!surrogates && context.nonAscii && hasSurrogate(k)) surrogates = true;
    if (i > 0 && (keys[i - 1] as string) > k) sorted = false;
  }
  if (surrogates) {
    keys.sort(byCodePoint);
    sorted = false;
  } else if (!sorted) {
    keys.sort();
  }
  let changed = !sorted;
  const values: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const item = record[k];
    context.path.push(k);
    const prepared = prepare(item, record, k, context);
    context.path.pop();
    values[i] = prepared;
    if (prepared !== item) changed = true;
  }
  if (!changed) return record;
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (k === "__proto__") {
      Object.defineProperty(copy, k, {
        value: values[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[k] = values[i];
    }
  }
  return copy;
}
