/**
 * Reading JSON as Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity` are numbers,
 * and whole floats (`1.0`) are remembered apart from integers (see `wholeFloats`).
 *
 * @module
 */
import { type Key, markWholeFloat } from "./wholeFloats.js";

type Container = Record<string, unknown> | unknown[];

/** A fast test for tokens that plain `JSON.parse` refuses or would blur; false positives are fine. */
const MAYBE_SPECIAL = /NaN|Infinity|\d\.0+[,\s\]}]|\d\.0+$|\d[eE]\+?\d/;
/** Strings (skipped) or a token outside strings that needs Python's reading. */
const SPECIAL_TOKEN =
  /"(?:[^"\\]|\\.)*"|(NaN|-?Infinity|-?\d+(?:\.\d+)?[eE]\+?\d+|-?\d+\.0+(?![\deE]))/g;

/**
 * Parses JSON text as Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity` are
 * numbers, and whole floats are remembered (see `isWholeFloat`).
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
