/**
 * What a project knows of its file's bytes: the texts of its records, in the file's order,
 * and its size. A save compares the texts it is about to write with these: when the file's
 * first records stay as they are (the usual case: one experiment appended, or one changed),
 * the save hands the storage a splice — keep the file's first bytes, write the records that
 * changed, then the file's own bytes from the first of its last records that stay as they
 * are — instead of the whole content. The bytes are the same as writing the whole list.
 *
 * Byte counts come from the texts' lengths: a text that is ASCII (as every text Python or
 * this writer writes with `ensure_ascii` is) has as many bytes as characters, and a file
 * whose texts add up to its size in characters is all ASCII.
 *
 * @module
 */
import { PROJECT_LAYOUT } from "../format/pyjson/index.js";
import type { FileSplice } from "../storage/index.js";

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
  const tail = encode(rest, sameEnd === 0 ? CLOSE : "");
  return {
    splice: { keep, tail, resume, size: before.bytes },
    image: { texts, bytes: keep + tail.length + (before.bytes - resume) },
  };
}

/** The whole content for `texts` and its image. */
export function wholeFile(texts: readonly string[]): { content: Uint8Array; image: FileImage } {
  let content: Buffer;
  if (texts.length === 0) content = Buffer.from(EMPTY);
  else {
    // The separator before the first record, ",\n    ", becomes OPEN, "[\n    ".
    content = encode(texts, CLOSE);
    content[0] = OPEN.charCodeAt(0);
  }
  return { content, image: { texts, bytes: content.length } };
}

/**
 * The UTF-8 bytes of each text with the separator before it, then `end`: ASCII texts are
 * copied as they are, others encoded (a text's UTF-8 size equals its length exactly when it
 * is ASCII).
 */
function encode(texts: readonly string[], end: string): Buffer {
  const sizes = new Array<number>(texts.length);
  let size = end.length + BETWEEN.length * texts.length;
  for (let i = 0; i < texts.length; i++) {
    const bytes = Buffer.byteLength(texts[i] as string, "utf8");
    sizes[i] = bytes;
    size += bytes;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    at += out.write(BETWEEN, at, "latin1");
    at += sizes[i] === text.length ? out.write(text, at, "latin1") : out.write(text, at, "utf8");
  }
  out.write(end, at, "latin1");
  return out;
}
