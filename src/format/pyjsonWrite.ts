/**
 * The pieces of Python's JSON output that every writer shares: strings as `ensure_ascii`
 * escapes them, numbers as Python writes ints and floats, keys in `sort_keys` order, and
 * value paths for error messages.
 *
 * @module
 */
import { pyFloatRepr } from "./floatRepr.js";
import type { Key } from "./wholeFloats.js";

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

/** A value's path for error messages. */
export function formatPath(path: Key[]): string {
  return path.length === 0 ? "the top level" : `"${path.join(".")}"`;
}
