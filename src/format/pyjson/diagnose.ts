/**
 * The exact place and cause of a refusal: a full check of the grammar Python's `json.loads`
 * accepts (JSON plus `NaN`, `Infinity` and `-Infinity`) and of the nesting limit, in one
 * linear walk with an explicit stack, run only once the fast path has refused the text.
 *
 * @module
 */
import { PyJsonSyntaxError } from "./errors.js";

const OBJECT = 1;
const ARRAY = 2;

/** Where the walk is in the grammar. */
enum State {
  Value,
  Key,
  After,
}

/**
 * The first problem in `text` as Python-flavoured JSON nested at most `maxNesting` deep, or
 * `undefined` when there is none.
 */
export function diagnose(text: string, maxNesting: number): PyJsonSyntaxError | undefined {
  const n = text.length;
  const stack = new Uint8Array(maxNesting + 1);
  let depth = 0;
  const first = skipSpace(text, 0);
  if (first === n) {
    return new PyJsonSyntaxError(
      text,
      n,
      n === 0 ? "empty text, not JSON" : "only whitespace, not JSON",
    );
  }
  let i = first;
  let state = State.Value;
  const fail = (at: number, reason: string) =>
    new PyJsonSyntaxError(text, at, at === first ? "not JSON" : reason);
  for (;;) {
    i = skipSpace(text, i);
    if (state === State.After) {
      if (depth === 0) {
        return i < n
          ? fail(i, `${unexpected(text, i)}: extra data after the JSON value`)
          : undefined;
      }
      const close = stack[depth] === OBJECT ? "}" : "]";
      const what = stack[depth] === OBJECT ? "an object member" : "an array item";
      if (i === n) return endsEarly(text, `',' or '${close}'`);
      const c = text.charCodeAt(i);
      if (c === 44) {
        state = stack[depth] === OBJECT ? State.Key : State.Value;
        i++;
      } else if (c === close.charCodeAt(0)) {
        depth--;
        i++;
      } else {
        return fail(i, `${unexpected(text, i)}: expected ',' or '${close}' after ${what}`);
      }
      continue;
    }
    if (i === n) return endsEarly(text, state === State.Key ? "a key" : "a value");
    const c = text.charCodeAt(i);
    if (state === State.Key) {
      if (c !== 34)
        return fail(i, `unexpected ${describe(text, i)}: expected a key in double quotes`);
      const end = stringEnd(text, i);
      if (typeof end !== "number") return end;
      i = skipSpace(text, end);
      if (i === n) return endsEarly(text, "':'");
      if (text.charCodeAt(i) !== 58) {
        return fail(i, `unexpected ${describe(text, i)}: expected ':' after a key`);
      }
      i++;
      state = State.Value;
      continue;
    }
    if (c === 123 || c === 91) {
      if (depth === maxNesting) {
        return new PyJsonSyntaxError(text, i, `nested deeper than ${maxNesting} levels`);
      }
      stack[++depth] = c === 123 ? OBJECT : ARRAY;
      const next = skipSpace(text, i + 1);
      if (text.charCodeAt(next) === (c === 123 ? 125 : 93)) {
        depth--;
        i = next + 1;
        state = State.After;
      } else {
        i = i + 1;
        state = c === 123 ? State.Key : State.Value;
      }
      continue;
    }
    let end: number | PyJsonSyntaxError;
    if (c === 34) end = stringEnd(text, i);
    else if (c === 45 || (c >= 48 && c <= 57)) end = numberEnd(text, i);
    else end = literalEnd(text, i);
    if (typeof end !== "number") return end.position === first && c !== 34 ? fail(first, "") : end;
    i = end;
    state = State.After;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

function endsEarly(text: string, expected: string): PyJsonSyntaxError {
  return new PyJsonSyntaxError(
    text,
    text.length,
    `the JSON ends too early, expected ${expected} (the file may be truncated)`,
  );
}

/** An unexpected character named, with a hint when it continues a malformed number. */
function unexpected(text: string, at: number): string {
  const c = text.charCodeAt(at);
  const inNumber =
    (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
  const after = text.charCodeAt(at - 1);
  const hint = inNumber && after >= 48 && after <= 57 ? " (a malformed number)" : "";
  return `unexpected ${describe(text, at)}${hint}`;
}

/** How a character is named in messages: `'x'`, or `U+0007` for one that does not print. */
function describe(text: string, at: number): string {
  const c = text.codePointAt(at) as number;
  if (c > 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

const ESCAPES = new Set([34, 92, 47, 98, 102, 110, 114, 116]);

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The index after the string opening at `start`, or the problem in it. */
function stringEnd(text: string, start: number): number | PyJsonSyntaxError {
  const n = text.length;
  for (let j = start + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 0x20) {
      return new PyJsonSyntaxError(
        text,
        j,
        `${describe(text, j)} inside a string (JSON needs it escaped)`,
      );
    }
    if (c !== 92) continue;
    const e = text.charCodeAt(++j);
    if (e === 117) {
      if (j + 4 >= n - 1) {
        // As Python: an escape that reaches the end of the text is where the text is cut.
        return new PyJsonSyntaxError(
          text,
          j,
          "the JSON ends inside a \\u escape (the file may be truncated)",
        );
      }
      for (let k = 1; k <= 4; k++) {
        if (!isHex(text.charCodeAt(j + k))) {
          return new PyJsonSyntaxError(text, j, "invalid \\u escape (four hex digits needed)");
        }
      }
      j += 4;
    } else if (!ESCAPES.has(e)) {
      if (j >= n) break;
      return new PyJsonSyntaxError(text, j - 1, `invalid escape '\\${text[j]}' in a string`);
    }
  }
  return new PyJsonSyntaxError(
    text,
    start,
    "unterminated string starting here (the file may be truncated)",
  );
}

/**
 * The index after the longest number (or `-Infinity`) starting at `start`, as Python's
 * number pattern takes it (`01` is the number `0`, then an unexpected `1`), or the problem
 * when not even a digit follows a `-`.
 */
function numberEnd(text: string, start: number): number | PyJsonSyntaxError {
  let j = start;
  if (text.charCodeAt(j) === 45) {
    j++;
    if (text.startsWith("Infinity", j)) return j + 8;
  }
  const digits = (from: number): number => {
    let k = from;
    for (let c = text.charCodeAt(k); c >= 48 && c <= 57; c = text.charCodeAt(++k));
    return k;
  };
  const intEnd = digits(j);
  if (intEnd === j) {
    return new PyJsonSyntaxError(
      text,
      start,
      `invalid number ${JSON.stringify(tokenAt(text, start))}: a digit must follow '-'`,
    );
  }
  j = text.charCodeAt(j) === 48 ? j + 1 : intEnd;
  if (text.charCodeAt(j) === 46) {
    const fractionEnd = digits(j + 1);
    if (fractionEnd > j + 1) j = fractionEnd;
  }
  const e = text.charCodeAt(j);
  if (e === 101 || e === 69) {
    let k = j + 1;
    const sign = text.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    const exponentEnd = digits(k);
    if (exponentEnd > k) j = exponentEnd;
  }
  return j;
}

/** The run of number characters at `start`, at most 24 of them, for messages. */
function tokenAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && end - start < 24 && /[-+.eE0-9]/.test(text.charAt(end))) end++;
  return text.slice(start, end);
}

const LITERALS = ["true", "false", "null", "NaN", "Infinity"];

/** The index after the literal (`true`, `NaN`...) at `start`, or the problem there. */
function literalEnd(text: string, start: number): number | PyJsonSyntaxError {
  for (const word of LITERALS) {
    if (text.startsWith(word, start)) return start + word.length;
  }
  return new PyJsonSyntaxError(
    text,
    start,
    `unexpected ${describe(text, start)}: expected a value`,
  );
}
