/**
 * The whole floats of a project file's record found line by line, when the record's text is
 * laid out exactly as Python's `json.dump(..., sort_keys=True, indent=4)` lays it out: each
 * member or item on a line of its own, indented four spaces a level, keys in increasing order.
 * Then a line says everything about its value (its key or index, whether it opens a container,
 * or the number it holds), so finding the whole floats takes one hop a line instead of one a
 * structural character (`scan.ts`). Any line off that layout (a key that needs decoding, keys
 * out of order or repeated, two values on a line, other indentation) gives up, and the caller
 * scans instead: the result, when there is one, is what `scan` finds.
 *
 * The text must be one `JSON.parse` accepted (as every record read on the fast path is): the
 * layout is checked, the grammar of what the lines hold is not.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import { type FloatMarks, type MarkNode, newMarkNode } from "./marks.js";

/** What an open container on the way to a line is. */
interface Level {
  readonly object: boolean;
  /** Its key or index in its parent; unused for the record itself. */
  readonly key: string | number;
  /** The mark node of the container, made when a whole float below it is found. */
  node: MarkNode | undefined;
  /** An object's last key; an array's number of items so far. */
  last: string;
  items: number;
}

/** Returned when the text is not laid out as Python lays it out. */
const OFF_LAYOUT = null;

/**
 * The whole floats of a record's text from its `{` to its `}` at its place in a project file
 * (members indented 8 spaces, the closing `}` 4), or `null` when a line is off Python's layout.
 */
export function layoutMarks(text: string): FloatMarks | undefined | null {
  if (text === "{}") return undefined;
  if (!text.startsWith("{\n")) return OFF_LAYOUT;
  const record: Level = { object: true, key: "", node: undefined, last: "", items: 0 };
  const levels: Level[] = [record];
  let pos = 2;
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end === -1) end = text.length;
    let at = pos;
    while (text.charCodeAt(at) === 0x20) at++;
    const indent = at - pos;
    const top = levels[levels.length - 1] as Level;
    const close = top.object ? "}" : "]";
    if (indent === 4 * levels.length && text.startsWith(close, at)) {
      const rest = end - at - 1;
      if (rest !== 0 && !(rest === 1 && text.charCodeAt(end - 1) === 0x2c)) return OFF_LAYOUT;
      levels.pop();
      pos = end + 1;
      if (levels.length === 0) return end === text.length && rest === 0 ? record.node : OFF_LAYOUT;
      continue;
    }
    if (indent !== 4 * (levels.length + 1)) return OFF_LAYOUT;
    let key: string | number;
    let value = at;
    if (top.object) {
      if (text.charCodeAt(at) !== 0x22) return OFF_LAYOUT;
      const quote = text.indexOf('"', at + 1);
      if (quote === -1 || quote > end) return OFF_LAYOUT;
      key = text.slice(at + 1, quote);
      if (key.includes("\\") || key <= top.last || !text.startsWith('": ', quote)) {
        return OFF_LAYOUT;
      }
      top.last = key;
      value = quote + 3;
    } else {
      key = top.items++;
    }
    const c = text.charCodeAt(value);
    if ((c === 0x7b || c === 0x5b) && value + 1 === end) {
      levels.push({ object: c === 0x7b, key, node: undefined, last: "", items: 0 });
    } else {
      const valueEnd = text.charCodeAt(end - 1) === 0x2c ? end - 1 : end;
      const kind = scalarKind(text, value, valueEnd);
      if (kind === OFF) return OFF_LAYOUT;
      if (kind === WHOLE_FLOAT) mark(levels, key);
    }
    pos = end + 1;
  }
  return OFF_LAYOUT;
}

const OFF = 0;
const OTHER = 1;
const WHOLE_FLOAT = 2;

/**
 * What the text `[start, end)` of a line holds: one empty container, string, literal or
 * number (`WHOLE_FLOAT` when it is a float literal of an integral value: `1.0`, `-0.0`,
 * `1e+16`), or `OFF` when it holds anything else.
 */
function scalarKind(text: string, start: number, end: number): number {
  const c = text.charCodeAt(start);
  if (c === 0x22) return stringEndsAt(text, start, end) ? OTHER : OFF;
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return numberKind(text, start, end);
  const token = text.slice(start, end);
  return token === "{}" ||
    token === "[]" ||
    token === "true" ||
    token === "false" ||
    token === "null"
    ? OTHER
    : OFF;
}

/** Whether the string opening at `start` closes exactly at `end - 1`. */
function stringEndsAt(text: string, start: number, end: number): boolean {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1 && quote < end) {
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return quote === end - 1;
    quote = text.indexOf('"', quote + 1);
  }
  return false;
}

/** {@link scalarKind} of a number token. */
function numberKind(text: string, start: number, end: number): number {
  let dot = -1;
  let exponent = false;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c === 0x2e) dot = i;
    else if (c === 0x65 || c === 0x45) exponent = true;
    else if (c !== 0x2b && c !== 0x2d) return OFF;
  }
  if (exponent) return Number.isInteger(Number(text.slice(start, end))) ? WHOLE_FLOAT : OTHER;
  if (dot === -1) return OTHER;
  for (let i = dot + 1; i < end; i++) if (text.charCodeAt(i) !== 0x30) return OTHER;
  return WHOLE_FLOAT;
}

/** Marks the value at `key` of the innermost level, making the nodes on its way. */
function mark(levels: readonly Level[], key: string | number): void {
  let parent: MarkNode | undefined;
  for (const level of levels) {
    if (level.node === undefined) {
      level.node = newMarkNode();
      if (parent !== undefined) setOwn<FloatMarks>(parent, String(level.key), level.node);
    }
    parent = level.node;
  }
  setOwn<FloatMarks>(parent as MarkNode, String(key), true);
}
