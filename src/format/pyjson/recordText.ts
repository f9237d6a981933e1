/**
 * One record of a project file as `dumpPyJson(records)` writes it, given the record's own
 * whole-float marks: the text the core writes for every experiment that changed, so it is
 * the cost of a full save.
 *
 * Most records are written by the engine's `JSON.stringify` with two cheap fix-ups, in one
 * typed walk that copies only what the engine would write otherwise: objects whose keys are
 * not in sorted order are re-keyed, and every number Python writes differently (a marked
 * whole float `1.0`, `1e-07`, `1e+16`, a `bigint`, `NaN`) becomes a placeholder, the number
 * `5e-324`, its Python text noted in the walk's order, which is the text's order; they are
 * put in place afterwards. A placeholder is a double like the number it stands for, so an
 * object of doubles keeps its shape in the copy. A string holding non-ASCII (or DEL) is a
 * placeholder too, of its escaped text, so the engine's text is ASCII (one byte a character)
 * unless a key is not; such keys are escaped in the record's text in one pass. The record
 * is laid out at the file's nesting by writing it as the only item of an indented list.
 * Whatever the walk cannot vouch for goes to the reference writer: values that are not JSON
 * data, keys that are array indices (the engine writes them first), nesting beyond
 * {@link FAST_DEPTH}, keys with surrogates (Python sorts keys by code point), or a string or
 * key of the record's own that holds the placeholder's text. Property tests hold both to the
 * same bytes.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import { dumpPyJson } from "./dump.js";
import { childMarks, type FloatMarks } from "./marks.js";
import { PROJECT_LAYOUT } from "./records.js";
import { escapeCodeUnit, pyNumber, pyString } from "./scalars.js";

/** What the list of records opens and closes with, around one record. */
const { open: OPEN, close: CLOSE } = PROJECT_LAYOUT;
/**
 * The placeholder (see the module comment): the one double whose text holds `e-324`, so no
 * other number the engine writes holds its text.
 */
const PLACEHOLDER = Number.MIN_VALUE;
const PLACEHOLDER_TEXT = "5e-324";
/** Python escapes DEL and everything beyond ASCII. */
const DEL = "\u007f";
const EACH_NOT_ASCII = /[\u007f-\uffff]/g;
/** The fast path gives deeper records to the reference writer (which refuses the deepest). */
const FAST_DEPTH = 64;
/** The largest number the engine writes as Python does (Python writes `1e+16` from there). */
const FIXED_LIMIT = 1e16;
/** Python's texts of the whole floats `0.0` to `255.0`, the usual ones, made once. */
const SMALL_WHOLE_FLOATS = Array.from({ length: 256 }, (_, i) => `${i}.0`);

/** Python's texts of the doubles the engine writes otherwise, as met (see `floatText`). */
const FLOAT_TEXTS = new Map<number, string>();
const FLOAT_TEXTS_MAX = 4096;

/** Returned by the walk for a value the fast path does not vouch for. */
const GIVE_UP: unique symbol = Symbol("give up");

/** Python's texts of the placeholders the walk of one record has made, in the text's order. */
type Walk = string[];

/**
 * The text of `record` inside a project file, from its `{` to its `}`: byte for byte what
 * `dumpPyJson(records, marks)` writes for it at its place in the list, given its own
 * `marks` (`undefined`: it holds no whole floats).
 *
 * @throws as `dumpPyJson` does, naming the path inside the list from the record's index `0`.
 */
export function dumpRecordText(record: object, marks: FloatMarks | undefined): string {
  return fastRecordText(record, marks) ?? exactRecordText(record, marks);
}

/** The record's text by the reference writer (which also reports the errors). */
export function exactRecordText(record: object, marks: FloatMarks | undefined): string {
  // `{}` rather than `undefined`: no marks at all, whatever the containers may carry.
  const text = dumpPyJson([record], marks === undefined ? {} : { 0: marks });
  return text.slice(OPEN.length, text.length - CLOSE.length);
}

/** The record's text through the engine, or `undefined` when the walk does not vouch for it. */
export function fastRecordText(record: object, marks: FloatMarks | undefined): string | undefined {
  if (prototypesMisbehave()) return undefined;
  const walk: Walk = [];
  const prepared = prepare(record, marks, 1, walk);
  if (prepared === GIVE_UP) return undefined;
  const text = fillPlaceholders(JSON.stringify([prepared], null, 4), walk);
  if (text === undefined) return undefined;
  // All ASCII exactly when its UTF-8 takes a byte a character; DEL is ASCII, but escaped.
  if (Buffer.byteLength(text, "utf8") === text.length && !text.includes(DEL)) return text;
  let surrogate = false;
  const escaped = text.replace(EACH_NOT_ASCII, (ch) => {
    const c = ch.charCodeAt(0);
    if (c >= 0xd800 && c <= 0xdfff) surrogate = true;
    return escapeCodeUnit(ch);
  });
  return surrogate ? undefined : escaped;
}

/**
 * The record's text cut out of the engine's `list` of it, with Python's `texts` in place of
 * the placeholders, which the walk listed in the order the engine writes them; `undefined`
 * when the placeholder's text is met more often than the walk made placeholders (a string of
 * the record holds it).
 */
function fillPlaceholders(list: string, texts: readonly string[]): string | undefined {
  const end = list.length - CLOSE.length;
  let at = list.indexOf(PLACEHOLDER_TEXT, OPEN.length);
  if (at === -1) return texts.length === 0 ? list.slice(OPEN.length, end) : undefined;
  const parts: string[] = [];
  let last = OPEN.length;
  let n = 0;
  for (; at !== -1; n++) {
    if (n === texts.length) return undefined;
    parts.push(list.slice(last, at), texts[n] as string);
    last = at + PLACEHOLDER_TEXT.length;
    at = list.indexOf(PLACEHOLDER_TEXT, last);
  }
  if (n !== texts.length) return undefined;
  parts.push(list.slice(last, end));
  return parts.join("");
}

/** The placeholder, with Python's `text` for it noted in `walk`. */
function placeholder(walk: Walk, text: string): number {
  walk.push(text);
  return PLACEHOLDER;
}

/**
 * The number as the engine should write it: itself when the engine writes it as Python
 * does, else a placeholder of Python's text (`marked`: it was read as a whole float).
 */
function prepareNumber(value: number, marked: boolean, walk: Walk): unknown {
  if (Number.isInteger(value)) {
    if (marked) {
      const small = value >= 0 && value < 256 && !Object.is(value, -0);
      return placeholder(
        walk,
        small ? (SMALL_WHOLE_FLOATS[value] as string) : pyNumber(value, true),
      );
    }
    if (Number.isSafeInteger(value) && !(value === 0 && 1 / value < 0)) return value;
    return placeholder(walk, floatText(value));
  }
  if (Math.abs(value) >= 1e-4 && Math.abs(value) < FIXED_LIMIT) return value;
  return placeholder(walk, floatText(value));
}

/**
 * Python's text of a double the engine writes otherwise (`1e+16`, `1e-07`, `NaN`, `-0.0`),
 * remembered: such values repeat across records (a learning rate, a sentinel), and finding
 * Python's form of an exponent is slow.
 */
function floatText(value: number): string {
  // -0 and 0 are one key of a Map; 0 is never asked for (the engine writes it as Python does).
  let text = FLOAT_TEXTS.get(value);
  if (text === undefined) {
    text = pyNumber(value);
    if (FLOAT_TEXTS.size >= FLOAT_TEXTS_MAX) FLOAT_TEXTS.clear();
    FLOAT_TEXTS.set(value, text);
  }
  return text;
}

/**
 * The value as the engine should write it (the value itself when it already would), or
 * {@link GIVE_UP}. A `toJSON` is looked for only where the walk cannot see it: an array's own
 * key, and the prototypes (an object's own `toJSON` function is a value the walk refuses).
 */
function prepare(
  value: unknown,
  marks: FloatMarks | undefined,
  depth: number,
  walk: Walk,
): unknown {
  switch (typeof value) {
    case "string":
      return isAscii(value) ? value : placeholder(walk, pyString(value));
    case "boolean":
      return value;
    case "number":
      return prepareNumber(value, marks === true, walk);
    case "bigint":
      return placeholder(walk, value.toString());
    case "object": {
      if (value === null) return null;
      if (depth >= FAST_DEPTH) return GIVE_UP;
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) {
        return prepareObject(value, marks, depth, walk);
      }
      // An own key, not a load of `toJSON`, whose feedback would see every kind of array.
      if (proto !== Array.prototype || Object.hasOwn(value, "toJSON")) return GIVE_UP;
      return prepareArray(value as readonly unknown[], marks, depth, walk);
    }
    default:
      return GIVE_UP;
  }
}

function prepareArray(
  array: readonly unknown[],
  marks: FloatMarks | undefined,
  depth: number,
  walk: Walk,
): unknown {
  const node = marks === true ? undefined : marks;
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const below = node === undefined ? undefined : childMarks(node, i);
    const prepared = prepare(item, below, depth + 1, walk);
    if (prepared === GIVE_UP) return GIVE_UP;
    if (copy === undefined && prepared !== item) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(prepared);
  }
  return copy ?? array;
}

/**
 * Whether the prototypes could change what the engine writes or what `for...in` visits: they
 * lend objects or arrays a `toJSON`, or give objects enumerable keys. None do, as a rule.
 */
function prototypesMisbehave(): boolean {
  for (const _ in Object.prototype) return true;
  return (
    typeof (Object.prototype as { toJSON?: unknown }).toJSON === "function" ||
    typeof (Array.prototype as { toJSON?: unknown }).toJSON === "function"
  );
}

/**
 * The object with its values prepared, a copy only when one changed; its keys sorted (a
 * copy) when they are not. `for...in` lists no inherited key (see
 * {@link prototypesMisbehave}) nor a list of keys per object.
 */
function prepareObject(
  record: object,
  marks: FloatMarks | undefined,
  depth: number,
  walk: Walk,
): unknown {
  const node = marks === true ? undefined : marks;
  const before = walk.length;
  let copy: Record<string, unknown> | undefined;
  let previous: string | undefined;
  for (const key in record) {
    const c = key.charCodeAt(0);
    // The engine writes keys that are array indices first, whatever the order.
    if (c >= 48 && c <= 57 && isIndexLike(key)) return GIVE_UP;
    if (previous !== undefined && previous > key) {
      walk.length = before;
      return prepareUnsorted(record as Record<string, unknown>, node, depth, walk);
    }
    previous = key;
    const item = (record as Record<string, unknown>)[key];
    const below = node === undefined ? undefined : childMarks(node, key);
    const prepared = prepare(item, below, depth + 1, walk);
    if (prepared === GIVE_UP) return GIVE_UP;
    if (prepared !== item) {
      // A spread copies a key `__proto__` as data; `setOwn` replaces it as data too.
      copy ??= { ...record };
      setOwn(copy, key, prepared);
    }
  }
  return copy ?? record;
}

/** A copy of `record` with its keys in sorted order and its values prepared. */
function prepareUnsorted(
  record: Record<string, unknown>,
  marks: FloatMarks | undefined,
  depth: number,
  walk: Walk,
): unknown {
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57 && isIndexLike(key)) return GIVE_UP;
    const below = marks === undefined ? undefined : childMarks(marks, key);
    const prepared = prepare(record[key], below, depth + 1, walk);
    if (prepared === GIVE_UP) return GIVE_UP;
    setOwn(copy, key, prepared);
  }
  return copy;
}

/** Whether `s` is ASCII without DEL (a loop: the strings of records are short). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x7f) return false;
  return true;
}

function isIndexLike(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}
