/**
 * One record of a project file as `dumpPyJson(records)` writes it, given the record's own
 * whole-float marks: the text the core writes for every experiment that changed, so it is
 * the cost of a full save.
 *
 * Most records are written by the engine's `JSON.stringify` with two cheap fix-ups, in one
 * typed walk that copies only what the engine would write otherwise: objects whose keys are
 * not in sorted order are re-keyed, and every number Python writes differently (a marked
 * whole float `1.0`, `1e-07`, `1e+16`, a `bigint`, `NaN`) becomes a placeholder, a string
 * `"\u007f<n>"` put back as Python's text afterwards. Non-ASCII (and DEL) is escaped in the
 * record's text in one pass, only when the text holds any. The record is laid out at the
 * file's nesting by writing it as the only item of an indented list. Whatever the walk
 * cannot vouch for goes to the reference writer: values that are not JSON data, keys that
 * are array indices (the engine writes them first), nesting beyond {@link FAST_DEPTH},
 * surrogates (Python sorts keys by code point), or a DEL of the record's own that could be
 * taken for a placeholder. A property test holds both to the same bytes.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import { dumpPyJson } from "./dump.js";
import { childMarks, type FloatMarks } from "./marks.js";
import { PROJECT_LAYOUT } from "./records.js";
import { escapeCodeUnit, pyNumber } from "./scalars.js";

/** What the list of records opens and closes with, around one record. */
const { open: OPEN, close: CLOSE } = PROJECT_LAYOUT;
/** Opens a placeholder (see the module comment). */
const DEL = "\u007f";
const QUOTE = 34;
const NOT_ASCII = /[\u007f-\uffff]/;
const EACH_NOT_ASCII = /[\u007f-\uffff]/g;
const SURROGATE = /[\ud800-\udfff]/;
/** The fast path gives deeper records to the reference writer (which refuses the deepest). */
const FAST_DEPTH = 64;
/** The largest number the engine writes as Python does (Python writes `1e+16` from there). */
const FIXED_LIMIT = 1e16;

/** Returned by the walk for a value the fast path does not vouch for. */
const GIVE_UP: unique symbol = Symbol("give up");

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
  if (prototypesLendToJson()) return undefined;
  const numbers: string[] = [];
  const prepared = prepare(record, marks, 1, numbers);
  if (prepared === GIVE_UP) return undefined;
  const list = JSON.stringify([prepared], null, 4);
  const text =
    numbers.length === 0
      ? list.slice(OPEN.length, list.length - CLOSE.length)
      : fillPlaceholders(list, numbers);
  if (text === undefined) return undefined;
  if (!NOT_ASCII.test(text)) return text;
  return SURROGATE.test(text) ? undefined : text.replace(EACH_NOT_ASCII, escapeCodeUnit);
}

/**
 * The record's text cut out of the engine's `list` of it, with Python's texts in place of
 * the placeholders, which the walk numbered in the order the engine writes them; `undefined`
 * when a DEL of the record's own is met (then there are more DELs than placeholders, or one
 * out of turn).
 */
function fillPlaceholders(list: string, numbers: readonly string[]): string | undefined {
  const parts: string[] = [];
  let last = OPEN.length;
  let at = list.indexOf(DEL, last);
  for (let n = 0; at !== -1; n++) {
    const index = String(n);
    const end = at + 1 + index.length;
    if (
      n >= numbers.length ||
      list.charCodeAt(at - 1) !== QUOTE ||
      !list.startsWith(index, at + 1) ||
      list.charCodeAt(end) !== QUOTE
    ) {
      return undefined;
    }
    parts.push(list.slice(last, at - 1), numbers[n] as string);
    last = end + 1;
    at = list.indexOf(DEL, last);
    if (at === -1 && n + 1 !== numbers.length) return undefined;
  }
  parts.push(list.slice(last, list.length - CLOSE.length));
  return parts.join("");
}

function placeholder(numbers: string[], text: string): string {
  numbers.push(text);
  return DEL + (numbers.length - 1);
}

/**
 * The value as the engine should write it (the value itself when it already would), or
 * {@link GIVE_UP}. Visits containers in the order the engine writes them, so that the
 * placeholders are numbered in the text's order. A `toJSON` is looked for only where the walk
 * cannot see it: on arrays and on the prototypes (an object's own `toJSON` function is a value
 * the walk refuses).
 */
function prepare(
  value: unknown,
  marks: FloatMarks | undefined,
  depth: number,
  numbers: string[],
): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isInteger(value)) {
        if (marks !== true && Number.isSafeInteger(value) && !(value === 0 && 1 / value < 0)) {
          return value;
        }
        return placeholder(numbers, pyNumber(value, marks === true));
      }
      if (Math.abs(value) >= 1e-4 && Math.abs(value) < FIXED_LIMIT) return value;
      return placeholder(numbers, pyNumber(value));
    case "bigint":
      return placeholder(numbers, value.toString());
    case "object": {
      if (value === null) return null;
      if (depth >= FAST_DEPTH) return GIVE_UP;
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) {
        return prepareObject(value, marks, depth, numbers);
      }
      if (
        proto !== Array.prototype ||
        typeof (value as { toJSON?: unknown }).toJSON === "function"
      ) {
        return GIVE_UP;
      }
      return prepareArray(value as readonly unknown[], marks, depth, numbers);
    }
    default:
      return GIVE_UP;
  }
}

function prepareArray(
  array: readonly unknown[],
  marks: FloatMarks | undefined,
  depth: number,
  numbers: string[],
): unknown {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const prepared = prepare(
      item,
      marks === undefined ? undefined : childMarks(marks, i),
      depth + 1,
      numbers,
    );
    if (prepared === GIVE_UP) return GIVE_UP;
    if (copy === undefined && prepared !== item) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(prepared);
  }
  return copy ?? array;
}

/** Whether the prototypes of objects (and arrays) lend them a `toJSON`: none do, as a rule. */
function prototypesLendToJson(): boolean {
  return (
    typeof (Object.prototype as { toJSON?: unknown }).toJSON === "function" ||
    typeof (Array.prototype as { toJSON?: unknown }).toJSON === "function"
  );
}

function prepareObject(
  record: object,
  marks: FloatMarks | undefined,
  depth: number,
  numbers: string[],
): unknown {
  const keys = Object.keys(record);
  const values = Object.values(record);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const c = key.charCodeAt(0);
    // The engine writes keys that are array indices first, whatever the order.
    if (c >= 48 && c <= 57 && isIndexLike(key)) return GIVE_UP;
    if (i > 0 && (keys[i - 1] as string) > key) sorted = false;
  }
  if (!sorted)
    return prepareUnsorted(record as Record<string, unknown>, keys, marks, depth, numbers);
  let changed: number[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const item = values[i];
    const below = marks === undefined ? undefined : childMarks(marks, keys[i] as string);
    const prepared = prepare(item, below, depth + 1, numbers);
    if (prepared === GIVE_UP) return GIVE_UP;
    if (prepared !== item) {
      values[i] = prepared;
      if (changed === undefined) changed = [];
      changed.push(i);
    }
  }
  if (changed === undefined) return record;
  // A spread copies a key `__proto__` as data; `setOwn` replaces it as data too.
  const copy: Record<string, unknown> = { ...record };
  for (const i of changed) setOwn(copy, keys[i] as string, values[i]);
  return copy;
}

/** A copy of `record` with its keys in sorted order and its values prepared. */
function prepareUnsorted(
  record: Record<string, unknown>,
  keys: string[],
  marks: FloatMarks | undefined,
  depth: number,
  numbers: string[],
): unknown {
  keys.sort();
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const below = marks === undefined ? undefined : childMarks(marks, key);
    const prepared = prepare(record[key], below, depth + 1, numbers);
    if (prepared === GIVE_UP) return GIVE_UP;
    setOwn(copy, key, prepared);
  }
  return copy;
}

function isIndexLike(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}
