/**
 * A project file record by record. Python writes a project as `json.dump(records, f,
 * sort_keys=True, indent=4)`: a list whose records each start with `\n    {` and end with the
 * first `\n    }` after it (nested lines are indented deeper, and strings never hold raw
 * newlines). So the file splits into its records' texts without parsing, each record parses
 * on its own, and a file assembles from records' texts with the same bytes as writing the
 * whole list — which lets the core keep each unchanged record's text and write only the
 * changed ones.
 *
 * @module
 */
import { dumpPyJson } from "./dump.js";
import { MAX_NESTING } from "./limits.js";
import { childMarks, type FloatMarks } from "./marks.js";
import { readPyJson } from "./parse.js";

const OPEN = "[\n    ";
const BETWEEN = ",\n    ";
const CLOSE = "\n]";
const RECORD_END = "\n    }";

/** One record of a project file as read by {@link readProjectRecords}. */
export interface ProjectRecordRead {
  /**
   * The record's text as it stands in the file, from `{` to `}` (nested lines keep the file's
   * indentation), or `undefined` when the file is not in Python's layout.
   */
  readonly text: string | undefined;
  /** The record as `readPyJson` reads it. */
  readonly value: unknown;
  /** The record's whole floats (see `FloatMarks`). */
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
 * Reads a project file's top-level list record by record, keeping each record's text when
 * the file is in Python's layout. Any other layout, or a record that does not read on its
 * own, is read as a whole instead, so the result and the errors are those of `readPyJson`
 * on the whole text (when every record reads on its own, the file is exactly the list of
 * them).
 *
 * @returns the records, or `undefined` when the text is JSON but not a list.
 * @throws PyJsonSyntaxError as `readPyJson` does, with the position in the whole text.
 */
export function readProjectRecords(text: string): ProjectRecordRead[] | undefined {
  const texts = splitProjectRecords(text);
  if (texts !== undefined) {
    const records = readEach(texts);
    if (records !== undefined) return records;
  }
  const { value, marks } = readPyJson(text);
  if (!Array.isArray(value)) return undefined;
  return value.map((item, i) => ({ text: undefined, value: item, marks: childMarks(marks, i) }));
}

function readEach(texts: readonly string[]): ProjectRecordRead[] | undefined {
  const records: ProjectRecordRead[] = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    try {
      const { value, marks } = readPyJson(text, { maxNesting: MAX_NESTING - 1 });
      records[i] = { text, value, marks };
    } catch {
      return undefined;
    }
  }
  return records;
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
