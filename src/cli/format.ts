/**
 * Values as the terminal shows them: numbers short, lists and objects as compact JSON, and
 * every control character escaped so that a name can never move the cursor or recolour the
 * terminal.
 *
 * @module
 */

import { randomUUID } from "node:crypto";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with control characters (escape sequences, new lines...) shown as `\uXXXX`. */
export function clean(text: string): string {
  if (!hasControl(text)) return text;
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Whether `text` holds a character {@link CONTROL} matches (a loop: most texts hold none). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * A number as Python prints it: `NaN`, `Infinity`, `1e-05`... JavaScript's form otherwise;
 * a `bigint` (an integer beyond 2**53) in full.
 */
export function formatNumber(value: number | bigint): string {
  if (typeof value === "bigint") return String(value);
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return String(value);
}

/** The powers of ten `formatShortNumber` scales by (10 ** -3 to 10 ** 9), computed once. */
const MIN_SCALE = -3;
const SCALES = Array.from({ length: 13 }, (_, i) => 10 ** (i + MIN_SCALE));

/** A number rounded to 6 significant digits, for tables (integers in full). */
export function formatShortNumber(value: number | bigint): string {
  if (typeof value === "bigint" || !Number.isFinite(value) || Number.isInteger(value)) {
    return formatNumber(value);
  }
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e9) {
    // Rounding by a power of ten is much faster than toPrecision, and gives the same digits.
    const exponent = 5 - Math.floor(Math.log10(abs));
    const scale = SCALES[exponent - MIN_SCALE] ?? 10 ** exponent;
    return String(Math.round(value * scale) / scale);
  }
  return String(Number(value.toPrecision(6)));
}

/**
 * Any value as one line of text: strings as they are, numbers in full (or short with
 * `short`), `null`, and lists and objects as compact JSON.
 */
export function formatValue(value: unknown, short = false): string {
  if (value === undefined) return "";
  if (typeof value === "string") return clean(value);
  if (typeof value === "number" || typeof value === "bigint") {
    return short ? formatShortNumber(value) : formatNumber(value);
  }
  if (value === null || typeof value === "boolean") return String(value);
  return clean(compactJson(value, short));
}

function compactJson(value: unknown, short: boolean): string {
  if (typeof value === "number" || typeof value === "bigint") {
    return short ? formatShortNumber(value) : formatNumber(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      out += (i > 0 ? ", " : "") + compactJson(value[i], short);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === "object") {
    let out = "{";
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = (value as Record<string, unknown>)[key];
      out += `${i > 0 ? ", " : ""}${JSON.stringify(key)}: ${compactJson(item, short)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A JSON replacer that writes NaN and the infinities as strings instead of `null`. */
export function nonFiniteAsText(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? formatNumber(value) : value;
}

/** Marks a `bigint` in {@link jsonText} until it is written back as an integer literal. */
const BIGINT_MARK = `bigint-${randomUUID()}:`;
const BIGINT_MARKED = new RegExp(`"${BIGINT_MARK}(-?\\d+)"`, "g");

/**
 * `value` as JSON text (indented by `indent` spaces): NaN and the infinities as strings (see
 * {@link nonFiniteAsText}), `bigint`s as integer literals in full.
 */
export function jsonText(value: unknown, indent?: number): string {
  let marked = false;
  const text = JSON.stringify(
    value,
    (key, item: unknown) => {
      if (typeof item !== "bigint") return nonFiniteAsText(key, item);
      marked = true;
      return `${BIGINT_MARK}${item}`;
    },
    indent,
  );
  return marked ? text.replace(BIGINT_MARKED, "$1") : text;
}
