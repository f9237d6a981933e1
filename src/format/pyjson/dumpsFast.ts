/**
 * The fast path of `dumpsPyJson`: the value is prepared for the engine's own `JSON.stringify`
 * — objects re-keyed in Python's sorted order when `sortKeys` is set, numbers Python writes
 * differently replaced by placeholders — and the output is patched: Python's separators,
 * the placeholders, `\uXXXX` escapes. It serves the options the engine can lay out exactly
 * (an indent of 1 to 10 spaces or characters with the default separators, or any separators
 * on one line) and gives up on anything it cannot write faithfully (values that are not
 * JSON data, `NaN` when it is refused, keys that are array indices with `sortKeys`, keys
 * holding DEL, nesting at the limit), leaving those to the reference writer, which also
 * reports the errors. A property test holds both writers to the same bytes.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import { pyFloatRepr } from "./floatRepr.js";
import { byCodePoint, hasSurrogate } from "./keys.js";
import { MAX_NESTING } from "./limits.js";
import { childMarks, type FloatMarks } from "./marks.js";
import type { PyJsonOptions } from "./options.js";
import type { Key } from "./path.js";
import { escapeCodeUnit, pyString } from "./scalars.js";

/** Characters the engine escapes unlike Python (non-ASCII, DEL). */
const NOT_ASCII = /[\u007f-\uffff]/;
/** Characters of a string that need a closer look: the separators and non-ASCII. */
const NOTABLE = /[,:\u007f-\uffff]/;
const PUNCTUATION = /[,:]/;
const COMMAS = /,/g;
const COLONS = /:/g;
const NON_ASCII = /[\u007f-\uffff]/g;
/**
 * Placeholders are strings `"\u007f<index>"`: the engine writes DEL as it is, and no other
 * DEL reaches its output (strings holding one are placeholders themselves, being non-ASCII,
 * and keys holding one go to the reference writer), so finding them is a search for one
 * rare character.
 */
const MARK = "\u007f";
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;

/** Thrown while preparing a value the fast path does not write faithfully. */
class GiveUp extends Error {}

/** How the engine's output is laid out and patched for one set of options. */
interface Layout {
  /** The engine's `space` argument, or `undefined` for one line. */
  readonly gap: string | undefined;
  /** On one line: the item and key separators that replace the engine's `,` and `:`. */
  readonly separators: readonly [string, string] | undefined;
  readonly sortKeys: boolean;
  readonly ensureAscii: boolean;
  readonly allowNan: boolean;
}

interface Context {
  readonly layout: Layout;
  /** Python's text for each placeholder `"\u007f<index>"` in the engine's output. */
  readonly numbers: string[];
  /** Whether a key holds non-ASCII (strings that do are written through placeholders). */
  nonAscii: boolean;
  /** Whether a string or key holds `,` or `:`. */
  punctuation: boolean;
}

/**
 * `json.dumps(value, **options)` as `dumpsPyJson` writes it, through `JSON.stringify`, or
 * `undefined` when the fast path does not serve these options or this value (the caller
 * then uses the reference writer, which also reports the errors).
 */
export function dumpsPyJsonFast(
  value: unknown,
  options: PyJsonOptions,
  marks?: FloatMarks,
): string | undefined {
  const layout = layoutOf(options);
  if (layout === undefined) return undefined;
  if (layout.gap !== undefined && isListOfContainers(value))
    return writeItems(value, layout, marks);
  return write(value, layout, marks);
}

/** Lists at least this long are written item by item (see {@link writeItems}). */
const ITEMS_APART = 16;

function isListOfContainers(value: unknown): value is readonly object[] {
  if (!Array.isArray(value) || value.length < ITEMS_APART) return false;
  return value.every((item) => item !== null && typeof item === "object");
}

/**
 * An indented list written one item at a time, each as the only item of a list and cut out
 * of it: the same bytes, but every patch of the engine's output works on one item's text,
 * which stays small (a project file's list of records is the case that matters).
 */
function writeItems(
  list: readonly object[],
  layout: Layout,
  marks: FloatMarks | undefined,
): string | undefined {
  const open = `[\n${layout.gap}`;
  const texts: string[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const below = childMarks(marks, i);
    const text = write([list[i]], layout, below === undefined ? marks && {} : { 0: below });
    if (text === undefined) return undefined;
    texts[i] = text.slice(open.length, text.length - 2);
  }
  return `${open}${texts.join(`,${open.slice(1)}`)}\n]`;
}

function write(value: unknown, layout: Layout, marks: FloatMarks | undefined): string | undefined {
  const context: Context = {
    layout,
    numbers: [],
    nonAscii: false,
    punctuation: false,
  };
  let prepared: unknown;
  try {
    prepared = prepare(value, [value], 0, context, 0, marks);
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
  let text = JSON.stringify(prepared, null, layout.gap);
  if (layout.separators !== undefined)
    text = separate(text, layout.separators, context.punctuation);
  if (context.numbers.length > 0) text = fillPlaceholders(text, context.numbers);
  if (context.nonAscii && layout.ensureAscii) text = text.replace(NON_ASCII, escapeCodeUnit);
  return text;
}

/** The layout for `options`, or `undefined` when the engine cannot lay it out exactly. */
function layoutOf(options: PyJsonOptions): Layout | undefined {
  const { indent, separators } = options;
  let gap: string | undefined;
  if (typeof indent === "number") {
    const width = Math.trunc(indent);
    if (!(width >= 1 && width <= 10)) return undefined;
    gap = " ".repeat(width);
  } else if (typeof indent === "string") {
    if (indent.length < 1 || indent.length > 10) return undefined;
    gap = indent;
  } else if (indent !== null && indent !== undefined) {
    return undefined;
  }
  const flags = {
    sortKeys: Boolean(options.sortKeys ?? false),
    ensureAscii: Boolean(options.ensureAscii ?? true),
    allowNan: Boolean(options.allowNan ?? true),
  };
  if (gap !== undefined) {
    // The engine writes `,` + newline between items and `": "` after keys: Python's default.
    if (separators !== undefined && !(separators[0] === "," && separators[1] === ": ")) {
      return undefined;
    }
    return { gap, separators: undefined, ...flags };
  }
  const [item, key] = separators ?? [", ", ": "];
  if (typeof item !== "string" || typeof key !== "string") return undefined;
  return { gap, separators: item === "," && key === ":" ? undefined : [item, key], ...flags };
}

/**
 * Replaces the engine's `,` and `:` between values with Python's separators. When no string
 * holds either character, every one in the text is a separator, and Python's default ones go
 * in through native replacements; otherwise the text is scanned, skipping string literals (in
 * the engine's output a `"` always opens or closes one, unless escaped). Either way the
 * result is one flat string, not a chain of small pieces.
 */
function separate(
  text: string,
  [item, key]: readonly [string, string],
  punctuation: boolean,
): string {
  if (!punctuation && item === ", " && key === ": ") {
    return text.replace(COMMAS, ", ").replace(COLONS, ": ");
  }
  const parts: string[] = [];
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === COMMA || c === COLON) {
      parts.push(text.slice(last, i), c === COMMA ? item : key);
      last = i + 1;
    }
  }
  parts.push(text.slice(last));
  return parts.join("");
}

/** Replaces the placeholders of the engine's output (see {@link MARK}) by Python's texts. */
function fillPlaceholders(text: string, texts: readonly string[]): string {
  const parts: string[] = [];
  let last = 0;
  let at = text.indexOf(MARK);
  while (at !== -1) {
    const end = text.indexOf('"', at);
    parts.push(text.slice(last, at - 1), texts[Number(text.slice(at + 1, end))] as string);
    last = end + 1;
    at = text.indexOf(MARK, last);
  }
  parts.push(text.slice(last));
  return parts.join("");
}

/** Notes what a string needs; true when it holds non-ASCII (or DEL). */
function checkString(s: string, context: Context): boolean {
  if (!NOTABLE.test(s)) return false;
  if (!context.punctuation && PUNCTUATION.test(s)) context.punctuation = true;
  return NOT_ASCII.test(s);
}

/** Python's text for a number the engine writes differently, or `undefined` if it agrees. */
function pythonNumber(
  x: number,
  context: Context,
  marks: FloatMarks | undefined,
): string | undefined {
  if (Number.isInteger(x)) {
    const plain = Number.isSafeInteger(x) && !Object.is(x, -0) && marks !== true;
    return plain ? undefined : pyFloatRepr(x);
  }
  if (!Number.isFinite(x)) {
    if (!context.layout.allowNan) throw new GiveUp();
    return pyFloatRepr(x);
  }
  const abs = Math.abs(x);
  return abs >= 1e-4 && abs < 1e16 ? undefined : pyFloatRepr(x);
}

function prepare(
  value: unknown,
  container: object,
  key: Key,
  context: Context,
  depth: number,
  marks: FloatMarks | undefined,
): unknown {
  switch (typeof value) {
    case "string": {
      if (!checkString(value, context)) return value;
      const { ensureAscii } = context.layout;
      if (!ensureAscii && !value.includes(MARK)) return value;
      // Escaped here rather than in the whole output: few strings hold non-ASCII.
      context.numbers.push(ensureAscii ? pyString(value) : JSON.stringify(value));
      return MARK + (context.numbers.length - 1);
    }
    case "number": {
      const text = pythonNumber(value, context, marks);
      if (text === undefined) return value;
      context.numbers.push(text);
      return MARK + (context.numbers.length - 1);
    }
    case "bigint":
      context.numbers.push(value.toString());
      return MARK + (context.numbers.length - 1);
    case "boolean":
      return value;
    case "object":
      break;
    default:
      throw new GiveUp();
  }
  if (value === null) return null;
  if (depth >= MAX_NESTING) throw new GiveUp();
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    return prepare(toJSON.call(value), container, key, context, depth + 1, marks);
  }
  if (Array.isArray(value)) return prepareArray(value, context, depth, marks);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new GiveUp();
  return prepareObject(value as Record<string, unknown>, context, depth, marks);
}

function prepareArray(
  array: unknown[],
  context: Context,
  depth: number,
  marks: FloatMarks | undefined,
): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const prepared = prepare(item, array, i, context, depth + 1, childMarks(marks, i));
    if (copy === undefined && prepared !== item) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(prepared);
  }
  return copy ?? array;
}

function isIndexLike(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

/** The keys in the order Python writes them (`undefined`: the object's own order is right). */
function orderKeys(keys: string[], context: Context): string[] | undefined {
  if (!context.layout.sortKeys || keys.length < 2) return undefined;
  let sorted = true;
  let surrogates = false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    // The engine puts array-index keys first, whatever order an object is built in.
    if (isIndexLike(k)) throw new GiveUp();
    if (!surrogates && context.nonAscii && hasSurrogate(k)) surrogates = true;
    if (i > 0 && (keys[i - 1] as string) > k) sorted = false;
  }
  if (surrogates) return keys.slice().sort(byCodePoint);
  return sorted ? undefined : keys.slice().sort();
}

function prepareObject(
  record: Record<string, unknown>,
  context: Context,
  depth: number,
  marks: FloatMarks | undefined,
): Record<string, unknown> {
  const own = Object.keys(record);
  for (const k of own) {
    if (checkString(k, context)) {
      if (k.includes(MARK)) throw new GiveUp();
      context.nonAscii = true;
    }
  }
  const keys = orderKeys(own, context) ?? own;
  let changed = keys !== own;
  const values: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const item = record[k];
    const prepared = prepare(item, record, k, context, depth + 1, childMarks(marks, k));
    values[i] = prepared;
    if (prepared !== item) changed = true;
  }
  if (!changed) return record;
  if (keys === own) {
    // Same order: a spread copy (its own `__proto__`, if any, is data) with the new values.
    const copy: Record<string, unknown> = { ...record };
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (values[i] !== record[k]) copy[k] = values[i];
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) setOwn(copy, keys[i] as string, values[i]);
  return copy;
}
