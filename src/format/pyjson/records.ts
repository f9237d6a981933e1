/**
 * A project file record by record. Python writes a project as `json.dump(records, f,
 * sort_keys=True, indent=4)`: a list whose records each start with `\n    {` and end with the
 * first `\n    }` after it (nested lines are indented deeper, and strings never hold raw
 * newlines). So the file splits into its records' texts without parsing, each record parses
 * on its own, and a file assembles from records' texts with the same bytes as writing the
 * whole list — which lets the core keep each unchanged record's text and write only the
 * changed ones.
 *
 * Reading a record takes a fast path whenever the engine's `JSON.parse` reads it exactly as
 * Python does: it refuses `NaN` and the infinities, and a number it reads at 2**53 or beyond
 * or as `-0` differs from Python's value when its literal is an integer (`2**53 + 1`, `-0`:
 * Python's integers are exact). When the text holds no integer literal that could be one,
 * they are floats (`1e+16`, `-0.0`), which both read alike; when it does, `JSON.parse` reads
 * it with those literals put back as Python reads them (`exactIntegers.ts`). Records nested
 * too deep, whose numbers overflow to an infinity, or that `JSON.parse` refuses are read by
 * `readPyJson`. Only the whole floats are then still
 * unknown: they change no value, only how a value is written back, so they are found in the
 * record's text when first asked for ({@link ProjectRecordRead.marks}): line by line when the
 * record is laid out as Python lays it out (`layoutMarks.ts`), else by `scan`.
 *
 * @module
 */
import { dumpPyJson } from "./dump.js";
import { holdsInexactInteger, withExactIntegers } from "./exactIntegers.js";
import { layoutMarks } from "./layoutMarks.js";
import { MAX_NESTING } from "./limits.js";
import { childMarks, type FloatMarks } from "./marks.js";
import { readPyJson } from "./parse.js";
import { scan } from "./scan.js";

/**
 * The marks of Python's layout of a project file: the list opens with `open`, its records are
 * separated by `between` and it closes with `close`; a record that is not `{}` ends with
 * `recordEnd` (its own lines are indented deeper, and JSON strings hold no raw line break, so
 * these marks are found only between records). All are ASCII, so they are found in a file's
 * bytes as in its text.
 */
export const PROJECT_LAYOUT = {
  open: "[\n    ",
  between: ",\n    ",
  close: "\n]",
  recordEnd: "\n    }",
} as const;

const { open: OPEN, between: BETWEEN, close: CLOSE, recordEnd: RECORD_END } = PROJECT_LAYOUT;

/** One record of a project file as read by {@link readProjectRecords}. */
export interface ProjectRecordRead {
  /**
   * The record's text as it stands in the file, from `{` to `}` (nested lines keep the file's
   * indentation), or `undefined` when the file is not in Python's layout.
   */
  readonly text: string | undefined;
  /** The record as `readPyJson` reads it. */
  readonly value: unknown;
  /**
   * The record's whole floats (see `FloatMarks`); for a record read on the fast path, found
   * in its text on first access (once).
   */
  readonly marks: FloatMarks | undefined;
}

/**
 * The texts of a project file's records, when the file is laid out as Python writes it (a
 * list of objects, `indent=4`); `undefined` for any other layout. The texts are not checked:
 * see {@link readProjectRecords}.
 */
export function splitProjectRecords(text: string): string[] | undefined {
  if (text === "[]") return [];
  if (!text.startsWith(`${OPEN}{`)) return undefined;
  const records: string[] = [];
  let start = OPEN.length;
  for (;;) {
    let end = start + 2;
    if (!text.startsWith("{}", start)) {
      const close = text.indexOf(RECORD_END, start);
      if (close === -1) return undefined;
      end = close + RECORD_END.length;
    }
    records.push(text.slice(start, end));
    if (text.startsWith(`${BETWEEN}{`, end)) {
      start = end + BETWEEN.length;
    } else {
      return end + CLOSE.length === text.length && text.endsWith(CLOSE) ? records : undefined;
    }
  }
}

/**
 * A check of a record as `JSON.parse` read it that may vouch for it: when it returns a
 * result, the record holds no number `JSON.parse` may read otherwise than Python (none at
 * 2**53 or beyond in size, no `-0`) and nests no deeper than `MAX_NESTING - 1` levels — what
 * the reader otherwise walks the record to learn. A check that validates each value anyway
 * (see `writtenRecord`) learns this on its way and spares that walk.
 */
export type RecordVouch<T> = (value: unknown) => T | undefined;

/** A record as {@link readProjectRecords} reads it, with what a {@link RecordVouch} gave. */
export interface VouchedRecordRead<T> extends ProjectRecordRead {
  /** The vouch's result when it vouched for the record, else `undefined`. */
  readonly vouched: T | undefined;
}

/**
 * Reads a project file's top-level list record by record, keeping each record's text when
 * the file is in Python's layout. Any other layout, or a record that does not read on its
 * own, is read as a whole instead, so the result and the errors are those of `readPyJson`
 * on the whole text (when every record reads on its own, the file is exactly the list of
 * them).
 *
 * @param vouch - a check run on each record `JSON.parse` reads (see {@link RecordVouch}).
 * @returns the records, or `undefined` when the text is JSON but not a list.
 * @throws PyJsonSyntaxError as `readPyJson` does, with the position in the whole text.
 */
export function readProjectRecords<T = never>(
  text: string,
  vouch?: RecordVouch<T>,
): VouchedRecordRead<T>[] | undefined {
  const texts = splitProjectRecords(text);
  if (texts !== undefined) {
    const records = readEach(texts, vouch);
    if (records !== undefined) return records;
  }
  const { value, marks } = readPyJson(text);
  if (!Array.isArray(value)) return undefined;
  return value.map((item, i) => ({
    text: undefined,
    value: item,
    marks: childMarks(marks, i),
    vouched: undefined,
  }));
}

function readEach<T>(
  texts: readonly string[],
  vouch: RecordVouch<T> | undefined,
): VouchedRecordRead<T>[] | undefined {
  const records: VouchedRecordRead<T>[] = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    const value = parsePlain(text);
    const vouched = value === undefined || vouch === undefined ? undefined : vouch(value);
    if (vouched !== undefined) {
      records[i] = new FastRecord(text, value, vouched);
      continue;
    }
    try {
      records[i] = readKnown(text, value);
    } catch {
      return undefined;
    }
  }
  return records;
}

/** One record's text read as {@link readProjectRecord} reads it. */
export interface RecordTextRead extends ProjectRecordRead {
  /**
   * Whether the engine's `JSON.parse` alone read it: then every number in it is a finite
   * double and none is a `bigint`, so `JSON.stringify` writes it as a JSON writer would.
   */
  readonly plain: boolean;
}

/**
 * One record's text (as {@link splitProjectRecords} gives it) read as `readPyJson` reads it,
 * by `JSON.parse` alone whenever that gives the same value, its whole floats found in its
 * text only when first asked for.
 *
 * @throws PyJsonSyntaxError as `readPyJson` does, with the position in `text`.
 */
export function readProjectRecord(text: string): RecordTextRead {
  return readKnown(text, parsePlain(text));
}

/** {@link readProjectRecord} of a text `JSON.parse` read as `value` (`undefined`: refused). */
function readKnown(text: string, value: unknown): RecordTextRead & { readonly vouched: undefined } {
  const room = MAX_NESTING - 1;
  if (value !== undefined) {
    if (!needsExactRead(value, room)) return new FastRecord(text, value, undefined);
    // What is left to fix can only be integer literals (see `exactIntegers.ts`).
    if (isFiniteWithin(value, room)) {
      if (!holdsInexactInteger(text)) return new FastRecord(text, value, undefined);
      const exact = withExactIntegers(text);
      if (exact !== undefined) return new FastRecord(text, exact, undefined, false);
    }
  }
  const read = readPyJson(text, { maxNesting: room });
  return { text, value: read.value, marks: read.marks, plain: false, vouched: undefined };
}

/**
 * A record read on the fast path, by `JSON.parse` (`plain`) or by it with its big integers
 * put back: its marks are found in its text when first asked for.
 */
class FastRecord<T> implements RecordTextRead, VouchedRecordRead<T> {
  readonly text: string;
  readonly value: unknown;
  readonly vouched: T;
  readonly plain: boolean;
  #marks: FloatMarks | undefined | null = null;

  constructor(text: string, value: unknown, vouched: T, plain = true) {
    this.text = text;
    this.value = value;
    this.vouched = vouched;
    this.plain = plain;
  }

  get marks(): FloatMarks | undefined {
    if (this.#marks === null) {
      const laidOut = layoutMarks(this.text);
      this.#marks = laidOut === null ? scan(this.text, MAX_NESTING - 1).marks : laidOut;
    }
    return this.#marks;
  }
}

/** The engine's reading of `text`, or `undefined` when it refuses it (`NaN`, a syntax error). */
function parsePlain(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** 2**53: from there on, a double may not be the integer written. */
const INEXACT = 2 ** 53;

/**
 * Whether a number `JSON.parse` read is the value Python reads from the same literal: below
 * 2**53 in size (an integer literal beyond is exact in Python only) and not `-0` (Python
 * reads the integer `-0` as `0`).
 */
export function isExactDouble(value: number): boolean {
  return value < INEXACT && value > -INEXACT && (value !== 0 || 1 / value > 0);
}

/**
 * Whether every number in `value` is finite and it nests no deeper than `room` levels: then
 * only its integer literals can make `JSON.parse`'s reading differ from Python's.
 */
function isFiniteWithin(value: unknown, room: number): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  if (room === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isFiniteWithin(value[i], room - 1)) return false;
    return true;
  }
  for (const key in value) {
    if (!isFiniteWithin((value as Record<string, unknown>)[key], room - 1)) return false;
  }
  return true;
}

/**
 * Whether `value`, as `JSON.parse` read it, must be read by `readPyJson` instead: it holds a
 * number that Python may read otherwise (see {@link isExactDouble}) or it nests deeper than
 * `room` levels (`readPyJson` refuses it, naming the place). A {@link RecordVouch} that meets
 * values it does not check runs this on them.
 */
export function needsExactRead(value: unknown, room: number): boolean {
  if (typeof value === "number") return !isExactDouble(value);
  if (typeof value !== "object" || value === null) return false;
  if (room === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (needsExactRead(value[i], room - 1)) return true;
    return false;
  }
  // `for...in` spares a list of keys per object. Were Object.prototype given enumerable keys,
  // it would visit them too: that can only send a record to the exact reader, which is right
  // for any record.
  for (const key in value) {
    if (needsExactRead((value as Record<string, unknown>)[key], room - 1)) return true;
  }
  return false;
}

/**
 * A record's text as it stands inside a project file (see {@link ProjectRecordRead.text}):
 * what `dumpPyJson(records, marks)` writes for it, given its own `marks`. Errors name the
 * path inside the file's list, from the record's index `0`.
 *
 * @throws as `dumpPyJson` does.
 */
export function dumpProjectRecord(record: object, marks?: FloatMarks): string {
  const text = dumpPyJson([record], marks === undefined ? undefined : { 0: marks });
  return text.slice(OPEN.length, text.length - CLOSE.length);
}

/**
 * A project file from its records' texts (as {@link splitProjectRecords} or
 * {@link dumpProjectRecord} give them): byte for byte what `dumpPyJson` writes for the list.
 */
export function joinProjectRecords(texts: readonly string[]): string {
  return texts.length === 0 ? "[]" : OPEN + texts.join(BETWEEN) + CLOSE;
}
