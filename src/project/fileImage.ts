/**
 * What a project knows of its file's bytes: the texts of its records, in the file's order,
 * and its size. A save compares the texts it is about to write with these: when the file's
 * start stays as it is (the usual case: one experiment appended, or one changed near the
 * end), the save hands the storage a splice — keep the file's first bytes, write the rest —
 * instead of the whole content. The bytes are the same as writing the whole list.
 *
 * @module
 */
import { joinProjectRecords } from "../format/pyjson/index.js";
import type { FileSplice } from "../storage/index.js";

/** The records' texts of a project file in Python's layout, and its size in bytes. */
export interface FileImage {
  /** The records' texts in the file's order (see `splitProjectRecords`). */
  readonly texts: readonly string[];
  /** The file's size in bytes. */
  readonly bytes: number;
}

/** Between two records of a project file, and after the last (see `records.ts`). */
const BETWEEN = ",\n    ";
const CLOSE = "\n]";

/** The UTF-8 size of a text. */
function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The image of the file `joinProjectRecords(texts)`, whose content is `content`. */
export function imageOf(texts: readonly string[], content: string): FileImage {
  return { texts, bytes: utf8Bytes(content) };
}

/**
 * The content that turns the file of image `before` into the list of `texts`: a splice that
 * keeps the file up to the end of the first records they share, or `undefined` when they
 * share none (then the whole content is written).
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
  let oldTail = utf8Bytes(CLOSE);
  for (let i = same; i < old.length; i++)
    oldTail += utf8Bytes(BETWEEN) + utf8Bytes(old[i] as string);
  const rest = texts.slice(same);
  const tail = rest.length === 0 ? CLOSE : BETWEEN + rest.join(BETWEEN) + CLOSE;
  const keep = before.bytes - oldTail;
  return {
    splice: { keep, tail, size: before.bytes },
    image: { texts, bytes: keep + utf8Bytes(tail) },
  };
}

/** The whole content for `texts` and its image. */
export function wholeFile(texts: readonly string[]): { content: string; image: FileImage } {
  const content = joinProjectRecords(texts);
  return { content, image: imageOf(texts, content) };
}
