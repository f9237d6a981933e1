/**
 * What a project knows of its file's bytes: the texts of its records, in the file's order,
 * and its size. A save compares the texts it is about to write with these: when the file's
 * first records stay as they are (the usual case: one experiment appended, or one changed),
 * the save hands the storage a splice — keep the file's first bytes, write the records that
 * changed, then the file's own bytes from the first of its last records that stay as they
 * are — instead of the whole content. The bytes are the same as writing the whole list.
 * Otherwise the whole content goes in parts, each made as the storage comes to it, so that a
 * large file is written while its later records are still being made.
 *
 * Byte counts come from the texts' lengths: a text that is ASCII (as every text Python or
 * this writer writes with `ensure_ascii` is) has as many bytes as characters, and a file
 * whose texts add up to its size in characters is all ASCII.
 *
 * @module
 */
import { PROJECT_LAYOUT } from "../format/pyjson/index.js";
import type { FileParts, FileSplice } from "../storage/index.js";

/** The records' texts of a project file in Python's layout, and its size in bytes. */
export interface FileImage {
  /** The records' texts in the file's order (see `splitProjectRecords`). */
  readonly texts: readonly string[];
  /** The file's size in bytes. */
  readonly bytes: number;
}

/** Around and between the records of a project file (see `records.ts`). */
const { open: OPEN, between: BETWEEN, close: CLOSE } = PROJECT_LAYOUT;
const EMPTY = "[]";

/** The file's size in characters: its size in bytes exactly when it is all ASCII. */
function characters(texts: readonly string[]): number {
  if (texts.length === 0) return EMPTY.length;
  let size = OPEN.length + CLOSE.length + BETWEEN.length * (texts.length - 1);
  for (let i = 0; i < texts.length; i++) size += (texts[i] as string).length;
  return size;
}

/** How many UTF-8 bytes `texts[from..to)` take, each with the separator before it. */
function bytesOf(texts: readonly string[], from: number, to: number, ascii: boolean): number {
  let size = BETWEEN.length * (to - from);
  for (let i = from; i < to; i++) {
    const text = texts[i] as string;
    size += ascii ? text.length : Buffer.byteLength(text, "utf8");
  }
  return size;
}

/**
 * The content that turns the file of image `before` into the list of `texts`: a splice that
 * keeps the file up to the end of the first records they share, writes the records that
 * differ, and resumes with the file's own bytes at the last records they share; or
 * `undefined` when they share no first record (then the whole content is written).
 */
export function spliceFor(
  before: FileImage,
  texts: readonly string[],
): { splice: FileSplice; image: FileImage } | undefined {
  const old = before.texts;
  const common = Math.min(old.length, texts.length);
  let same = 0;
  while (same < common && old[same] === texts[same]) same++;
  if (same === 0) return undefined;
  let sameEnd = 0;
  while (
    same + sameEnd < common &&
    old[old.length - 1 - sameEnd] === texts[texts.length - 1 - sameEnd]
  ) {
    sameEnd++;
  }
  const ascii = characters(old) === before.bytes;
  // The old file: OPEN, `same` records, the records that change, `sameEnd` records, CLOSE.
  const changedFrom = same;
  const changedTo = old.length - sameEnd;
  const suffix = bytesOf(old, changedTo, old.length, ascii) + CLOSE.length;
  const replaced = bytesOf(old, changedFrom, changedTo, ascii);
  const keep = before.bytes - suffix - replaced;
  const resume = before.bytes - (sameEnd === 0 ? 0 : suffix);
  const rest = texts.slice(same, texts.length - sameEnd);
  const tail = encode(rest, 0, rest.length, sameEnd === 0 ? CLOSE : "");
  return {
    splice: { keep, tail, resume, size: before.bytes },
    image: { texts, bytes: keep + tail.length + (before.bytes - resume) },
  };
}

/**
 * How many characters of records go into one part of a whole file (see
 * {@link wholeFileParts}): enough that writing a part costs little more than its bytes, few
 * enough that the first part is soon written.
 */
const PART_CHARACTERS = 1 << 21;

/**
 * The whole content of a file of the records `items`, in parts made when the storage asks
 * for them (see `FileParts`): `textOf` gives each record's text, in order, as the parts are
 * made. `done` is given the file's image once the last part is made.
 */
export function wholeFileParts<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  done: (image: FileImage) => void,
): FileParts {
  return { parts: partsOf(items, textOf, done) };
}

function* partsOf<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  done: (image: FileImage) => void,
): Generator<Uint8Array> {
  if (items.length === 0) {
    yield Buffer.from(EMPTY);
    done({ texts: [], bytes: EMPTY.length });
    return;
  }
  const texts: string[] = [];
  let from = 0;
  let characters = 0;
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    const text = textOf(items[i] as T);
    texts.push(text);
    characters += text.length;
    const last = i === items.length - 1;
    if (characters < PART_CHARACTERS && !last) continue;
    const part = encode(texts, from, i + 1, last ? CLOSE : "");
    // The separator before the first record, ",\n    ", becomes OPEN, "[\n    ".
    if (from === 0) part[0] = OPEN.charCodeAt(0);
    bytes += part.length;
    from = i + 1;
    characters = 0;
    yield part;
  }
  done({ texts, bytes });
}

/**
 * The UTF-8 bytes of `texts[from..to)`, each with the separator before it, then `end`: ASCII
 * texts are copied as they are, others encoded (a text's UTF-8 size equals its length exactly
 * when it is ASCII).
 */
function encode(texts: readonly string[], from: number, to: number, end: string): Buffer {
  const sizes = new Array<number>(to - from);
  let size = end.length + BETWEEN.length * (to - from);
  for (let i = from; i < to; i++) {
    const bytes = Buffer.byteLength(texts[i] as string, "utf8");
    sizes[i - from] = bytes;
    size += bytes;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = from; i < to; i++) {
    const text = texts[i] as string;
    at += out.write(BETWEEN, at, "latin1");
    at +=
      sizes[i - from] === text.length ? out.write(text, at, "latin1") : out.write(text, at, "utf8");
  }
  out.write(end, at, "latin1");
  return out;
}
