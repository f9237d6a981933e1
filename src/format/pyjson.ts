/**
 * JSON as Python's `json` module reads and writes it: `NaN`, `Infinity` and `-Infinity`
 * literals, whole floats (`1.0`) kept apart from integers (`1`), and output byte for byte
 * equal to `json.dumps(value, sort_keys=True, indent=4)`.
 *
 * JavaScript has one number type, so a whole float read from a file is remembered by its
 * position (the container object or array and the key) in a weak side table; the writer
 * consults that table so that an unchanged file is written back with the same bytes.
 *
 * @module
 */
import { pyFloatRepr } from "./floatRepr.js";

type Container = Record<string, unknown> | unknown[];
type Key = string | number;

const wholeFloats = new WeakMap<object, Set<Key>>();

/** Whether `container[key]` was read as a whole float (`1.0`, `1e+16`) rather than an integer. */
export function isWholeFloat(container: object, key: Key): boolean {
  return wholeFloats.get(container)?.has(key) ?? false;
}

/** Records that `container[key]` holds a whole float (written `1.0`), or forgets it. */
export function markWholeFloat(container: object, key: Key, isFloat = true): void {
  let keys = wholeFloats.get(container);
  if (isFloat) {
    if (keys === undefined) {
      keys = new Set();
      wholeFloats.set(container, keys);
    }
    keys.add(key);
  } else {
    keys?.delete(key);
  }
}

/**
 * A deep copy of a JSON value that keeps the whole-float marks of every container.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const marks = wholeFloats.get(value);
  let copy: Container;
  if (Array.isArray(value)) {
    copy = value.map(cloneJson);
  } else {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: cloneJson((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    copy = out;
  }
  if (marks !== undefined) wholeFloats.set(copy, new Set(marks));
  return copy as T;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A fast test for tokens that plain `JSON.parse` refuses or would blur; false positives are fine. */
const MAYBE_SPECIAL = /NaN|Infinity|\d\.0+[,\s\]}]|\d\.0+$|\d[eE]\+?\d/;
/** Strings (skipped) or a token outside strings that needs Python's reading. */
const SPECIAL_TOKEN =
  /"(?:[^"\\]|\\.)*"|(NaN|-?Infinity|-?\d+(?:\.\d+)?[eE]\+?\d+|-?\d+\.0+(?![\deE]))/g;

/**
 * Parses JSON text as Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity` are
 * numbers, and whole floats are remembered (see {@link isWholeFloat}).
 *
 * Objects are built with `JSON.parse`, so keys such as `__proto__` stay plain data.
 *
 * @throws SyntaxError when the text is not valid JSON, with the position of the problem.
 */
export function parsePyJson(text: string): unknown {
  if (!MAYBE_SPECIAL.test(text)) return JSON.parse(text);
  const n = pickSentinel(text);
  const sentinel = `\u0000pyjson${n}:`;
  const escapedSentinel = `\\u0000pyjson${n}:`;
  const specials: number[] = [];
  const rewritten = text.replace(SPECIAL_TOKEN, (match: string, token: string | undefined) => {
    if (token === undefined) return match;
    const value = token === "NaN" ? Number.NaN : Number(token);
    const isFloat = token.includes(".") || /[eE]/.test(token);
    if (Number.isFinite(value) && !(isFloat && Number.isInteger(value))) return match;
    specials.push(value);
    return `"${escapedSentinel}${specials.length - 1}"`;
  });
  const parsed: unknown = JSON.parse(rewritten);
  if (specials.length === 0) return parsed;
  return restoreSpecials(parsed, sentinel, specials);
}

/** A number n such that the text holds no escaped-NUL sentinel `\u0000pyjson<n>:`. */
function pickSentinel(text: string): number {
  for (let n = 0; ; n++) {
    if (!text.includes(`\\u0000pyjson${n}:`)) return n;
  }
}

function restoreSpecials(root: unknown, sentinel: string, specials: number[]): unknown {
  const restore = (value: unknown, container: Container | null, key: Key): unknown => {
    if (typeof value === "string") {
      if (!value.startsWith(sentinel)) return value;
      const special = specials[Number(value.slice(sentinel.length))] as number;
      if (container !== null && Number.isFinite(special)) markWholeFloat(container, key);
      return special;
    }
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = restore(value[i], value, i);
    } else {
      const record = value as Record<string, unknown>;
      for (const k of Object.keys(record)) record[k] = restore(record[k], record, k);
    }
    return value;
  };
  const wrapper: unknown[] = [root];
  const restored = restore(root, wrapper, 0);
  return restored;
}

// ---------------------------------------------------------------------------------------------
// Writing

const INDENT = "    ";
const indents: string[] = [""];
function indentOf(level: number): string {
  let s = indents[level];
  if (s === undefined) {
    s = INDENT.repeat(level);
    indents[level] = s;
  }
  return s;
}

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const NON_ASCII = /[\u007f-\uffff]/g;

/** A string as Python's `json.dumps(..., ensure_ascii=True)` writes it. */
export function pyString(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(NON_ASCII, escapeCodeUnit);
}

function escapeCodeUnit(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** A number as Python's `json` writes the int or float it stands for. */
export function pyNumber(x: number, wholeFloat = false): string {
  if (Number.isSafeInteger(x) && !wholeFloat && !Object.is(x, -0)) return String(x);
  return pyFloatRepr(x);
}

function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

function byCodePoint(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) as number);
  const cb = Array.from(b, (c) => c.codePointAt(0) as number);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const d = (ca[i] as number) - (cb[i] as number);
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** Object keys in Python's `sort_keys` order (by code point). */
export function sortedKeys(record: object): string[] {
  const keys = Object.keys(record).sort();
  return keys.some(hasSurrogate) ? keys.sort(byCodePoint) : keys;
}

/**
 * Serialises a JSON value exactly as Python's `json.dumps(value, sort_keys=True, indent=4)`.
 *
 * Values must be JSON data: `undefined`, functions, symbols and bigints are refused with a
 * `TypeError` naming their path (the experiment and value checks refuse them earlier).
 * An object with a `toJSON()` method is written as what that method returns.
 */
export function dumpPyJson(value: unknown): string {
  const parts: string[] = [];
  const holder: unknown[] = [value];
  write(value, holder, 0, 0, parts, []);
  return parts.join("");
}

function write(
  value: unknown,
  container: object,
  key: Key,
  level: number,
  out: string[],
  path: Key[],
): void {
  switch (typeof value) {
    case "string":
      out.push(pyString(value));
      return;
    case "number":
      out.push(
        Number.isInteger(value)
          ? pyNumber(value, isWholeFloat(container, key))
          : pyFloatRepr(value),
      );
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "object":
      break;
    default:
      throw new TypeError(`Cannot write ${typeof value} at ${formatPath(path)} as JSON`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") {
    write(json.call(value), container, key, level, out, path);
    return;
  }
  const inner = indentOf(level + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[]");
      return;
    }
    out.push("[\n", inner);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",\n", inner);
      path.push(i);
      write(value[i], value, i, level + 1, out, path);
      path.pop();
    }
    out.push("\n", indentOf(level), "]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  if (keys.length === 0) {
    out.push("{}");
    return;
  }
  out.push("{\n", inner);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out.push(",\n", inner);
    out.push(pyString(k), ": ");
    path.push(k);
    write(record[k], record, k, level + 1, out, path);
    path.pop();
  }
  out.push("\n", indentOf(level), "}");
}

function formatPath(path: Key[]): string {
  return path.length === 0 ? "the top level" : `"${path.join(".")}"`;
}
