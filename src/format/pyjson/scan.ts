/**
 * The fast pass of the reader: one linear walk over the text, with no regular expression and
 * no recursion, that finds only the tokens `JSON.parse` cannot read faithfully — `NaN`,
 * `Infinity`, `-Infinity`, integers outside the safe range, `-0` — and the floats it would
 * read as integers (whole floats), with the path of each. Strings are skipped with
 * `indexOf`; object keys are sliced only where a path is needed. The walk checks the nesting
 * limit but not the grammar: `JSON.parse` does that natively afterwards, and a refusal is
 * explained by `diagnose.ts`.
 *
 * @module
 */
import { type FloatMarks, type MarkNode, newMarkNode } from "./marks.js";
import type { Key } from "./path.js";

/** A token `JSON.parse` would misread, and the value it stands for. */
export interface Fix {
  /** Where the token starts and ends in the text. */
  readonly start: number;
  readonly end: number;
  /**
   * The path of the value, from the top of the text; `undefined` when a later duplicate key
   * replaced the value (the token is still replaced for `JSON.parse`, which keeps the last).
   */
  path: readonly Key[] | undefined;
  /** The value Python reads. */
  readonly value: number | bigint;
}

/** What the fast pass found. */
export interface Scan {
  /** False when the walk met something that is not JSON, or nesting beyond the limit. */
  readonly ok: boolean;
  /** The whole floats (see `marks.ts`). */
  readonly marks: FloatMarks | undefined;
  /** The tokens to replace before, and put back after, `JSON.parse`. */
  readonly fixes: readonly Fix[];
}

const OBJECT = 1;
const ARRAY = 2;
const FAILED: Scan = Object.freeze({ ok: false, marks: undefined, fixes: [] });
/** Integers with fewer digits than this are always safe. */
const SAFE_DIGITS = 16;

/**
 * Walks `text` once, collecting whole-float marks and the tokens to fix (see the module
 * comment). Linear time, constant stack, memory proportional to `maxNesting` and to what it
 * finds.
 */
export function scan(text: string, maxNesting: number): Scan {
  const n = text.length;
  const kinds = new Uint8Array(maxNesting + 1);
  const keyStarts = new Int32Array(maxNesting + 1);
  const keyEnds = new Int32Array(maxNesting + 1);
  const indices = new Int32Array(maxNesting + 1);
  /** The marks node of each open container, made when a mark is first needed below it. */
  const nodes: (MarkNode | undefined)[] = new Array(maxNesting + 1);
  let rootMark: FloatMarks | undefined;
  const fixes: Fix[] = [];
  /**
   * Per open object, the keys (decoded) under which marks or fixes were made, and where the
   * latest such key starts: Python keeps the last of duplicate keys, so a key seen again
   * drops what was found under its earlier value.
   */
  const touched: (string[] | undefined)[] = new Array(maxNesting + 1);
  const touchedAt = new Int32Array(maxNesting + 1);
  const fixFloors = new Int32Array(maxNesting + 1);
  let depth = 0;
  let expectKey = false;

  const keyAt = (d: number): Key => {
    if (kinds[d] === ARRAY) return indices[d] as number;
    const raw = text.slice(keyStarts[d], keyEnds[d]);
    return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  const touch = (): void => {
    for (let d = depth; d >= 1; d--) {
      if (kinds[d] !== OBJECT) continue;
      if (touchedAt[d] === keyStarts[d]) return;
      touchedAt[d] = keyStarts[d] as number;
      const list = touched[d];
      const key = keyAt(d) as string;
      if (list === undefined) touched[d] = [key];
      else if (!list.includes(key)) list.push(key);
    }
  };
  /** Drops what was found under an earlier value of the key at `depth`, if the key repeats. */
  const forgetDuplicate = (list: string[]): void => {
    const start = keyStarts[depth] as number;
    const end = keyEnds[depth] as number;
    let at = -1;
    for (let t = 0; t < list.length && at === -1; t++) {
      const known = list[t] as string;
      if (known.length === end - start && text.startsWith(known, start)) at = t;
    }
    if (at === -1) {
      let escaped = false;
      for (let k = start; k < end && !escaped; k++) escaped = text.charCodeAt(k) === 92;
      if (!escaped) return;
      at = list.indexOf(keyAt(depth) as string);
      if (at === -1) return;
    }
    const key = list[at] as string;
    list.splice(at, 1);
    const node = nodes[depth];
    if (node !== undefined) delete node[key];
    for (let f = fixFloors[depth] as number; f < fixes.length; f++) {
      const fix = fixes[f] as Fix;
      if (fix.path !== undefined && fix.path[depth - 1] === key) fix.path = undefined;
    }
  };
  const pathHere = (): Key[] => {
    touch();
    const path: Key[] = new Array(depth);
    for (let d = 1; d <= depth; d++) path[d - 1] = keyAt(d);
    return path;
  };
  const nodeAt = (d: number): MarkNode => {
    let top = d;
    while (top > 1 && nodes[top] === undefined) top--;
    if (nodes[top] === undefined) {
      nodes[top] = newMarkNode();
      rootMark = nodes[top];
    }
    for (let level = top + 1; level <= d; level++) {
      const child = newMarkNode();
      (nodes[level - 1] as MarkNode)[keyAt(level - 1)] = child;
      nodes[level] = child;
    }
    return nodes[d] as MarkNode;
  };
  const markWholeFloat = (): void => {
    if (depth === 0) {
      rootMark = true;
      return;
    }
    touch();
    nodeAt(depth)[keyAt(depth)] = true;
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
    } else if (c === 34) {
      let j = text.indexOf('"', i + 1);
      while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
      if (j === -1) return FAILED;
      if (expectKey) {
        keyStarts[depth] = i + 1;
        keyEnds[depth] = j;
        expectKey = false;
        const list = touched[depth];
        if (list !== undefined && list.length > 0) forgetDuplicate(list);
      }
      i = j + 1;
    } else if (c === 44) {
      if (kinds[depth] === ARRAY) indices[depth] = (indices[depth] as number) + 1;
      else expectKey = true;
      i++;
    } else if (c === 58) {
      i++;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      if (c === 45 && text.charCodeAt(i + 1) === 73) {
        if (!text.startsWith("-Infinity", i)) return FAILED;
        fixes.push({ start: i, end: i + 9, path: pathHere(), value: Number.NEGATIVE_INFINITY });
        i += 9;
        continue;
      }
      let j = c === 45 ? i + 1 : i;
      const digitsStart = j;
      let d = text.charCodeAt(j);
      while (d >= 48 && d <= 57) d = text.charCodeAt(++j);
      if (j === digitsStart) return FAILED;
      let fraction = false;
      let exponent = false;
      let wholeFraction = true;
      if (d === 46) {
        fraction = true;
        d = text.charCodeAt(++j);
        while (d >= 48 && d <= 57) {
          if (d !== 48) wholeFraction = false;
          d = text.charCodeAt(++j);
        }
      }
      if (d === 101 || d === 69) {
        exponent = true;
        d = text.charCodeAt(++j);
        if (d === 43 || d === 45) d = text.charCodeAt(++j);
        while (d >= 48 && d <= 57) d = text.charCodeAt(++j);
      }
      if (exponent) {
        if (Number.isInteger(Number(text.slice(i, j)))) markWholeFloat();
      } else if (fraction) {
        if (wholeFraction) markWholeFloat();
      } else if (j - digitsStart >= SAFE_DIGITS) {
        const literal = text.slice(i, j);
        if (!Number.isSafeInteger(Number(literal))) {
          fixes.push({ start: i, end: j, path: pathHere(), value: BigInt(literal) });
        }
      } else if (c === 45 && j === i + 2 && text.charCodeAt(i + 1) === 48) {
        // Python reads the integer -0 as 0.
        fixes.push({ start: i, end: j, path: pathHere(), value: 0 });
      }
      i = j;
    } else if (c === 123 || c === 91) {
      if (++depth > maxNesting) return FAILED;
      kinds[depth] = c === 123 ? OBJECT : ARRAY;
      indices[depth] = 0;
      nodes[depth] = undefined;
      touched[depth] = undefined;
      touchedAt[depth] = -1;
      fixFloors[depth] = fixes.length;
      expectKey = c === 123;
      i++;
    } else if (c === 125 || c === 93) {
      if (depth === 0) return FAILED;
      depth--;
      expectKey = false;
      i++;
    } else if (c === 116 || c === 110) {
      i += 4;
    } else if (c === 102) {
      i += 5;
    } else if (c === 78 && text.startsWith("NaN", i)) {
      fixes.push({ start: i, end: i + 3, path: pathHere(), value: Number.NaN });
      i += 3;
    } else if (c === 73 && text.startsWith("Infinity", i)) {
      fixes.push({ start: i, end: i + 8, path: pathHere(), value: Number.POSITIVE_INFINITY });
      i += 8;
    } else {
      return FAILED;
    }
  }
  return { ok: true, marks: rootMark, fixes };
}

/** Whether the `"` at `quote` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, quote: number): boolean {
  let k = quote - 1;
  while (text.charCodeAt(k) === 92) k--;
  return (quote - 1 - k) % 2 === 1;
}
