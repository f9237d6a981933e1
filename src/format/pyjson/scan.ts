/**
 * The fast pass of the reader: it finds, without visiting every character, the tokens
 * `JSON.parse` cannot read faithfully — `NaN`, `Infinity`, `-Infinity`, integers outside the
 * safe range, `-0` — and the floats it would read as integers (whole floats), with the path
 * of each. It hops with `indexOf` from one structural character to the next: brackets (for
 * the depth and the paths), colons and the commas of arrays (where values start: only the
 * numbers among them are read). Whether a hit lies inside a string is settled by the quotes
 * since the last newline (a JSON string holds no raw newline), and object keys are read
 * backwards from the values that need them. Every pointer only moves forward, so the pass
 * is linear in the text, with constant stack. It checks the nesting limit, not the grammar:
 * `JSON.parse` does that natively afterwards, and `diagnose.ts` explains a refusal.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import { decodeKey, find, isDigit, isEscaped, isSpace, NotJson, skipSpace } from "./chars.js";
import { type FloatMarks, type MarkNode, newMarkNode, prunedMarks } from "./marks.js";
import type { Key } from "./path.js";
import { Strings } from "./strings.js";

/** A token `JSON.parse` would misread, and the value it stands for. */
export interface Fix {
  /** Where the token starts and ends in the text. */
  readonly start: number;
  readonly end: number;
  /** The path of the value, from the top of the text. */
  readonly path: readonly Key[];
  /** The value Python reads. */
  readonly value: number | bigint;
}

/** What the fast pass found. */
export interface Scan {
  /** False when the pass met something that is not JSON, or nesting beyond the limit. */
  readonly ok: boolean;
  /** The whole floats (see `marks.ts`). */
  readonly marks: FloatMarks | undefined;
  /** The tokens to replace before, and put back after, `JSON.parse`. */
  readonly fixes: readonly Fix[];
}

const OBJECT = 1;
const ARRAY = 2;
const FAILED: Scan = Object.freeze({ ok: false, marks: undefined, fixes: [] });
/** Keys longer than this are walked only once strings are settled around their colon. */
const LONG_KEY = 64;
/** The nesting the pass has room for before it grows its stacks. */
const INITIAL_ROOM = 32;
/** Integers with fewer digits than this are always safe. */
const SAFE_DIGITS = 16;

/**
 * Finds the whole floats and the tokens to fix in `text` (see the module comment). Linear
 * time, constant stack, memory proportional to `maxNesting` and to what it finds.
 */
export function scan(text: string, maxNesting: number): Scan {
  try {
    return new Pass(text, maxNesting).run();
  } catch (error) {
    if (error instanceof NotJson) return FAILED;
    throw error;
  }
}

/** A key as written, decoded, or `undefined` when its escapes are not JSON. */
function decodeOrUndefined(raw: string): string | undefined {
  try {
    return decodeKey(raw);
  } catch {
    return undefined;
  }
}

class Pass {
  private readonly n: number;
  private kinds: Uint8Array;
  private opens: Int32Array;
  private indices: Int32Array;
  /** The marks node of each open container, made when a mark is first needed below it. */
  private readonly nodes: (MarkNode | undefined)[];
  private depth = 0;
  private rootMark: FloatMarks | undefined;
  private readonly fixes: Fix[] = [];
  /**
   * Per open object, the keys (as written) under which marks were made: Python keeps the last
   * of repeated keys, so a key met again drops the marks made under its earlier value.
   */
  private readonly touched: (string[] | undefined)[];
  /** Per open object, whether a touched key is written with escapes. */
  private readonly spelled: (boolean | undefined)[] = [];
  /** Whether repeated keys removed marks (empty nodes may be left to prune). */
  private pruned = false;
  /** The key read by the last `keyBefore`, as written in the text. */
  private lastRawKey = "";
  /** Which positions lie inside strings. */
  private readonly strings: Strings;

  constructor(
    private readonly text: string,
    private readonly maxNesting: number,
  ) {
    this.n = text.length;
    this.strings = new Strings(text);
    // Grown as the nesting deepens: most texts are shallow, and records are read one by one.
    const room = Math.min(maxNesting + 1, INITIAL_ROOM);
    this.kinds = new Uint8Array(room);
    this.opens = new Int32Array(room);
    this.indices = new Int32Array(room);
    this.nodes = [];
    this.touched = [];
  }

  run(): Scan {
    const { text, n } = this;
    let openBrace = find(text, "{", 0);
    let closeBrace = find(text, "}", 0);
    let openBracket = find(text, "[", 0);
    let closeBracket = find(text, "]", 0);
    let colon = find(text, ":", 0);
    let comma = -1;
    const first = skipSpace(text, 0);
    if (first < n && first !== openBrace && first !== openBracket) this.value(first);
    for (;;) {
      let p = openBrace;
      if (closeBrace < p) p = closeBrace;
      if (openBracket < p) p = openBracket;
      if (closeBracket < p) p = closeBracket;
      if (colon < p) p = colon;
      if (this.kinds[this.depth] === ARRAY && comma < p) p = comma;
      if (p >= n) break;
      if (p === colon) {
        // Most colons are followed by a value that needs nothing; strings are settled only
        // for those that do.
        const touched = this.touched[this.depth];
        if (touched !== undefined && this.kinds[this.depth] === OBJECT) {
          this.forgetRepeated(p, touched);
        }
        this.value(skipSpace(text, p + 1));
        colon = find(text, ":", p + 1);
        continue;
      }
      const inside = this.strings.around(p);
      const next = inside === -1 ? p + 1 : inside + 1;
      if (p === openBrace || p === openBracket) {
        if (inside === -1) this.open(p, p === openBrace ? OBJECT : ARRAY);
        if (p === openBrace) openBrace = find(text, "{", next);
        else openBracket = find(text, "[", next);
      } else if (p === closeBrace || p === closeBracket) {
        if (inside === -1) this.close();
        if (p === closeBrace) closeBrace = find(text, "}", next);
        else closeBracket = find(text, "]", next);
      } else {
        if (inside === -1) this.indices[this.depth] = (this.indices[this.depth] as number) + 1;
        comma = find(text, ",", next);
      }
      if (this.kinds[this.depth] === ARRAY) {
        // An array item starts after its `[` and after each comma of the array.
        const c = text.charCodeAt(p);
        if (inside === -1 && (c === 91 || c === 44)) this.value(skipSpace(text, p + 1));
        if (comma <= p) comma = find(text, ",", p + 1);
      }
    }
    const marks = this.pruned ? prunedMarks(this.rootMark) : this.rootMark;
    return { ok: true, marks, fixes: this.fixes };
  }

  /**
   * The value starting at `v` (after a colon, a `[` or an array's comma): when it is a
   * number `JSON.parse` misreads, or a whole float, and lies outside strings, it is recorded.
   */
  private value(v: number): void {
    const { text } = this;
    let c = text.charCodeAt(v);
    if (c === 78) {
      if (text.startsWith("NaN", v)) this.special(v, v + 3, Number.NaN);
      return;
    }
    if (c === 73) {
      if (text.startsWith("Infinity", v)) this.special(v, v + 8, Number.POSITIVE_INFINITY);
      return;
    }
    let j = v;
    if (c === 45) {
      c = text.charCodeAt(++j);
      if (c === 73) {
        if (text.startsWith("Infinity", j)) this.special(v, j + 8, Number.NEGATIVE_INFINITY);
        return;
      }
    }
    const digits = j;
    while (isDigit(c)) c = text.charCodeAt(++j);
    if (j === digits) return;
    let whole = true;
    let float = false;
    if (c === 46) {
      float = true;
      c = text.charCodeAt(++j);
      while (isDigit(c)) {
        if (c !== 48) whole = false;
        c = text.charCodeAt(++j);
      }
    }
    if (c === 101 || c === 69) {
      float = true;
      c = text.charCodeAt(++j);
      if (c === 43 || c === 45) c = text.charCodeAt(++j);
      while (isDigit(c)) c = text.charCodeAt(++j);
      whole = Number.isInteger(Number(text.slice(v, j)));
    }
    if (float) {
      if (whole && this.strings.around(v) === -1) this.noteWholeFloat(v);
    } else if (j - digits >= SAFE_DIGITS) {
      // A leading zero is not JSON: left for `JSON.parse` to refuse.
      if (text.charCodeAt(digits) === 48) return;
      const literal = text.slice(v, j);
      // Settled before `BigInt`, which is not worth paying for digits inside a string.
      if (!Number.isSafeInteger(Number(literal)) && this.strings.around(v) === -1) {
        this.fix(v, j, BigInt(literal));
      }
    } else if (j === v + 2 && text.charCodeAt(v) === 45 && text.charCodeAt(v + 1) === 48) {
      this.special(v, j, 0); // Python reads the integer -0 as 0
    }
  }

  /** A token to fix, unless it lies inside a string. */
  private special(start: number, end: number, value: number | bigint): void {
    if (this.strings.around(start) === -1) this.fix(start, end, value);
  }

  private open(p: number, kind: number): void {
    const depth = ++this.depth;
    if (depth > this.maxNesting) throw new NotJson();
    if (depth >= this.kinds.length) this.grow();
    this.kinds[depth] = kind;
    this.opens[depth] = p;
    this.indices[depth] = 0;
    this.nodes[depth] = undefined;
    this.touched[depth] = undefined;
    this.spelled[depth] = undefined;
  }

  private grow(): void {
    const room = Math.min(this.maxNesting + 1, this.kinds.length * 2);
    const kinds = new Uint8Array(room);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const opens = new Int32Array(room);
    opens.set(this.opens);
    this.opens = opens;
    const indices = new Int32Array(room);
    indices.set(this.indices);
    this.indices = indices;
  }

  /** Drops the marks under an earlier value of the key before `colon`, if it repeats one. */
  private forgetRepeated(colon: number, touched: string[]): void {
    const { text } = this;
    let close = colon - 1;
    while (isSpace(text.charCodeAt(close))) close--;
    if (text.charCodeAt(close) !== 34) return;
    let found = -1;
    for (let t = 0; t < touched.length && found === -1; t++) {
      const raw = touched[t] as string;
      const open = close - raw.length - 1;
      if (
        text.charCodeAt(open) === 34 &&
        text.startsWith(raw, open + 1) &&
        !isEscaped(text, open)
      ) {
        found = t;
      }
    }
    if (found === -1) {
      // The same key may be spelled with other escapes (`"\u0061"` for `"a"`).
      let open = close - 1;
      let escaped = false;
      let settled = false;
      for (
        let c = text.charCodeAt(open);
        c !== 34 || isEscaped(text, open);
        c = text.charCodeAt(--open)
      ) {
        if (open <= 0) return;
        if (c === 92) escaped = true;
        if (!settled && close - open > LONG_KEY) {
          // A colon inside a long string is not a key's: settle strings before walking on.
          if (this.strings.around(colon) !== -1) return;
          settled = true;
        }
      }
      if (!escaped && this.spelled[this.depth] !== true) return;
      if (!settled && this.strings.around(colon) !== -1) return;
      const key = decodeOrUndefined(text.slice(open + 1, close));
      found = touched.findIndex((raw) => decodeOrUndefined(raw) === key);
      if (key === undefined || found === -1) return;
    }
    if (this.strings.around(colon) !== -1) return;
    const raw = touched[found] as string;
    touched.splice(found, 1);
    const node = this.nodes[this.depth];
    if (node !== undefined) delete node[decodeKey(raw)];
    this.pruned = true;
  }

  /** Records that marks were made under the last key read, in the object at `level`. */
  private touch(level: number): void {
    const raw = this.lastRawKey;
    const list = this.touched[level];
    if (list === undefined) this.touched[level] = [raw];
    else if (!list.includes(raw)) list.push(raw);
    if (raw.includes("\\")) this.spelled[level] = true;
  }

  private close(): void {
    if (this.depth === 0) throw new NotJson();
    this.depth--;
  }

  private fix(start: number, end: number, value: number | bigint): void {
    this.fixes.push({ start, end, path: this.pathTo(start), value });
  }

  private noteWholeFloat(start: number): void {
    const { depth } = this;
    if (depth === 0) {
      this.rootMark = true;
      return;
    }
    const node = this.nodeAt(depth);
    setOwn(node, String(this.keyAt(depth, start)), true);
    if (this.kinds[depth] === OBJECT) this.touch(depth);
  }

  /** The key (or index) of the value starting at `start` in the container at `level`. */
  private keyAt(level: number, start: number): Key {
    if (this.kinds[level] === ARRAY) return this.indices[level] as number;
    return this.keyBefore(start);
  }

  /** The key of the object member whose value starts at `start`, read backwards. */
  private keyBefore(start: number): string {
    const { text } = this;
    let k = start - 1;
    while (isSpace(text.charCodeAt(k))) k--;
    if (text.charCodeAt(k) !== 58) throw new NotJson();
    k--;
    while (isSpace(text.charCodeAt(k))) k--;
    if (text.charCodeAt(k) !== 34) throw new NotJson();
    let open = text.lastIndexOf('"', k - 1);
    while (open > 0 && isEscaped(text, open)) open = text.lastIndexOf('"', open - 1);
    if (open < 0) throw new NotJson();
    const raw = text.slice(open + 1, k);
    this.lastRawKey = raw;
    return decodeKey(raw);
  }

  /** The path of the value starting at `start` at the current depth. */
  private pathTo(start: number): Key[] {
    const path: Key[] = new Array(this.depth);
    for (let d = 1; d <= this.depth; d++) {
      path[d - 1] = this.keyAt(d, d === this.depth ? start : (this.opens[d + 1] as number));
    }
    return path;
  }

  private nodeAt(d: number): MarkNode {
    const { nodes } = this;
    let top = d;
    while (top > 1 && nodes[top] === undefined) top--;
    if (nodes[top] === undefined) {
      const root =
        this.rootMark === undefined || this.rootMark === true ? newMarkNode() : this.rootMark;
      nodes[top] = root as MarkNode;
      this.rootMark = root;
    }
    for (let level = top + 1; level <= d; level++) {
      const parent = nodes[level - 1] as MarkNode;
      const key = this.keyAt(level - 1, this.opens[level] as number);
      if (this.kinds[level - 1] === OBJECT) this.touch(level - 1);
      const existing = Object.hasOwn(parent, key) ? parent[key] : undefined;
      const child =
        existing === undefined || existing === true ? newMarkNode() : (existing as MarkNode);
      setOwn(parent, String(key), child);
      nodes[level] = child;
    }
    return nodes[d] as MarkNode;
  }
}
