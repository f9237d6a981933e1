/**
 * Scalars as Python's `json` writes them: strings as `ensure_ascii` escapes them, and
 * numbers as the int or float they stand for.
 *
 * @module
 */
import { pyFloatRepr } from "./floatRepr.js";

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const NON_ASCII = /[\u007f-\uffff]/g;

/** A string as Python's `json.dumps(..., ensure_ascii=True)` writes it. */
export function pyString(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(NON_ASCII, escapeCodeUnit);
}

/** `\uXXXX` for one UTF-16 code unit (a character above U+FFFF is two: a surrogate pair). */
export function escapeCodeUnit(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * A number as Python's `json` writes the int or float it stands for: a safe integer as an
 * int unless `wholeFloat` says it was read as a float; `-0`, unsafe integers and fractions
 * as Python's `repr(float)`; a `bigint` as the exact integer literal.
 */
export function pyNumber(x: number | bigint, wholeFloat = false): string {
  if (typeof x === "bigint") return x.toString();
  if (Number.isSafeInteger(x) && !wholeFloat && !Object.is(x, -0)) return String(x);
  return pyFloatRepr(x);
}
