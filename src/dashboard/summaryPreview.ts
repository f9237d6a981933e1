/**
 * The preview of `/api/summary?preview=N`: the compact rows of the newest (or oldest) N
 * records of a project file in Python's layout, read from the file's last (or first) bytes
 * without reading the rest, so that a page shows its first screenful while the whole file is
 * still being read.
 *
 * Python's layout (`json.dump(records, f, sort_keys=True, indent=4)`) puts every top-level
 * record between `,\n    {` marks; a record's own lines are indented deeper and JSON strings
 * hold no raw line break, so the marks split the tail of the file into whole records (the
 * piece before the first mark is cut and dropped). The file holds the records in the
 * project's order, oldest first: its tail holds the newest.
 *
 * @module
 */
import { open } from "node:fs/promises";
import { PROJECT_LAYOUT } from "../format/pyjson/index.js";
import { RecordEntry } from "./recordEntry.js";
import { SummaryNames } from "./summaryNames.js";

const OPEN = `${PROJECT_LAYOUT.open}{`;
const BETWEEN = `${PROJECT_LAYOUT.between}{`;
const { recordEnd: RECORD_END, close: CLOSE } = PROJECT_LAYOUT;

/** The most bytes a preview reads before it gives up (records larger than this: no preview). */
const MAX_BYTES = 16 << 20;
/** The first read's size; doubled until enough records are read. */
const FIRST_BYTES = 1 << 20;

/** Which end of the project a preview shows. */
export type PreviewEnd = "newest" | "oldest";

/** A preview's rows and what they tell of the whole file. */
export interface SummaryPreview {
  /** The names the rows' indexes stand for (the preview's own). */
  readonly names: SummaryNames;
  /** The compact rows as JSON texts, in the file's order. */
  readonly rows: readonly string[];
  /** How many records the whole file holds, estimated from the records read (≥ rows). */
  readonly estimatedSize: number;
}

/**
 * The records' texts in `text`, a slice of the file decoded (`atStart`: from the file's
 * start; `atEnd`: up to its end, then at least the file's closing `\n    }\n]`): every record
 * the slice holds whole, or `undefined` when the slice is not in Python's layout.
 */
export function recordTexts(text: string, atStart: boolean, atEnd: boolean): string[] | undefined {
  const pieces = text.split(BETWEEN);
  const first = pieces[0] as string;
  if (atStart && !first.startsWith(OPEN)) return undefined;
  if (atEnd && !(text.endsWith(RECORD_END + CLOSE) || text.endsWith(`{}${CLOSE}`))) {
    return undefined;
  }
  // Without the file's start, the first piece is the end of a record whose start was not read.
  const texts = atStart ? [first.slice(OPEN.length - 1)] : [];
  for (let i = 1; i < pieces.length; i++) texts.push(`{${pieces[i]}`);
  // Before the file's end, the last piece may be cut; at its end, it holds the list's close.
  if (!atEnd) texts.pop();
  else if (texts.length > 0) {
    texts.push((texts.pop() as string).slice(0, -CLOSE.length));
  }
  for (const record of texts) {
    if (!record.endsWith(RECORD_END) && record !== "{}") return undefined;
  }
  return texts;
}

/**
 * The preview of the `count` newest (`end: "newest"`) or oldest records of the file at
 * `path`, or `undefined` when the file is not in Python's layout, a record read does not
 * validate, or the records are too large to find `count` of them in 16 MiB (the full
 * summary then comes alone). A file with fewer records gives them all.
 *
 * @throws the error of opening or reading the file (ENOENT...).
 */
export async function readSummaryPreview(
  path: string,
  count: number,
  end: PreviewEnd,
): Promise<SummaryPreview | undefined> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    for (let bytes = FIRST_BYTES; ; bytes *= 2) {
      const length = Math.min(bytes, size);
      const start = end === "newest" ? size - length : 0;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      let text = buffer.toString("utf8", 0, bytesRead);
      if (start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const atEnd = start + bytesRead >= size;
      const texts = recordTexts(text, start === 0, atEnd);
      if (texts === undefined) return undefined;
      const whole = start === 0 && atEnd;
      if (texts.length >= count || whole) {
        const chosen = end === "newest" ? texts.slice(-count) : texts.slice(0, count);
        return rowsOf(chosen, path, whole ? texts.length : estimate(texts, size));
      }
      if (length >= MAX_BYTES) return undefined;
    }
  } finally {
    await handle.close();
  }
}

/** How many records a file of `size` bytes holds, from the average size of `texts`. */
function estimate(texts: readonly string[], size: number): number {
  let bytes = 0;
  for (const text of texts) bytes += Buffer.byteLength(text) + BETWEEN.length - 1;
  return Math.max(texts.length, Math.round(size / (bytes / Math.max(texts.length, 1))));
}

function rowsOf(texts: readonly string[], path: string, estimatedSize: number) {
  const names = new SummaryNames();
  const rows: string[] = [];
  try {
    for (let i = 0; i < texts.length; i++) {
      rows.push(RecordEntry.fromText(texts[i] as string, path, i, names).rowJson);
    }
  } catch {
    return undefined; // the full read says what is wrong, and where in the whole file
  }
  return { names, rows, estimatedSize };
}
