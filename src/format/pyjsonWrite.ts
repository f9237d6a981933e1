/**
 * The reference writer: JSON exactly as Python's `json.dumps(value, sort_keys=True,
 * indent=4)` writes it, one value at a time. `dumpPyJson` uses it when its fast path cannot.
 *
 * @module
 */
import { pyFloatRepr } from "./floatRepr.js";
import { isWholeFloat, type Key } from "./wholeFloats.js";

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

/** Whether a string has UTF-16 surrogates (characters above U+FFFF, or lone ones). */
export function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/** Compares strings by code point, as Python does. */
export function byCodePoint(a: string, b: string): number {
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

/** Serialises a JSON value as `dumpPyJson` does, walking it value by value. */
export function dumpPyJsonSlowly(value: unknown): string {
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

/** A value's path for error messages. */
export function formatPath(path: Key[]): string {
  return path.length === 0 ? "the top level" : `"${path.join(".")}"`;
}
