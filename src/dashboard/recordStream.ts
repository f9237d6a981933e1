/**
 * A project file in Python's layout read record by record as its bytes come from the disk,
 * each record's text decoded on its own: what `splitProjectRecords` gives for the whole text,
 * without ever holding the whole text. A dashboard that holds the last version's records
 * compares each new record with them and keeps only the texts that changed, so a re-read
 * costs a chunk of the file, not a second copy of it.
 *
 * The layout's marks (`[\n    `, `,\n    `, `\n    }`, `\n]`) are ASCII, and in UTF-8 no byte
 * of a multi-byte character is below 0x80, so the marks are found in the bytes as in the
 * text, and a record's bytes decode to the record's text.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { PROJECT_LAYOUT } from "../format/pyjson/index.js";

const OPEN = Buffer.from(`${PROJECT_LAYOUT.open}{`);
const BETWEEN = Buffer.from(`${PROJECT_LAYOUT.between}{`);
const CLOSE = Buffer.from(PROJECT_LAYOUT.close);
const RECORD_END = Buffer.from(PROJECT_LAYOUT.recordEnd);
const EMPTY_RECORD = Buffer.from("{}");
const EMPTY_LIST = Buffer.from("[]");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** How many bytes are read at a time (default of `chunkBytes`). */
const CHUNK = 1 << 20;

/** What is expected next in the bytes. */
type Expecting = "open" | "record" | "between";

/**
 * The records' texts of the file at `path`, in order, as they are read. The generator's
 * return value says whether the whole file was in Python's layout: when it is `false`, the
 * texts given so far are not those of the file's records (read it whole instead).
 *
 * @param chunkBytes how many bytes to read at a time (default 1 MiB).
 * @throws the error of reading the file (ENOENT...).
 */
export async function* streamProjectRecords(
  path: string,
  chunkBytes = CHUNK,
): AsyncGenerator<string, boolean> {
  let pending: Buffer = Buffer.alloc(0);
  let expecting: Expecting = "open";
  let first = true;
  /** Where the search for the current record's end goes on from, in `pending`. */
  let searchFrom = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk]);
    if (first && pending.length >= BOM.length) {
      first = false;
      if (pending.subarray(0, BOM.length).equals(BOM)) pending = pending.subarray(BOM.length);
    }
    if (first) continue;
    let pos = 0;
    for (;;) {
      if (expecting === "open" || expecting === "between") {
        const mark = expecting === "open" ? OPEN : BETWEEN;
        if (pending.length - pos < mark.length) break;
        if (!pending.subarray(pos, pos + mark.length).equals(mark)) {
          // Only the list's end (or an empty list) may follow: known once the file ends.
          if (pending.length - pos > CLOSE.length) return false;
          break;
        }
        pos += mark.length - 1; // at the record's `{`
        expecting = "record";
        searchFrom = pos;
      }
      let end: number;
      if (pending.length - pos >= 2 && pending.subarray(pos, pos + 2).equals(EMPTY_RECORD)) {
        end = pos + 2;
      } else {
        const close = pending.indexOf(RECORD_END, searchFrom);
        if (close === -1) {
          searchFrom = Math.max(pos, pending.length - RECORD_END.length + 1);
          break;
        }
        end = close + RECORD_END.length;
      }
      yield pending.toString("utf8", pos, end);
      pos = end;
      expecting = "between";
    }
    searchFrom -= pos;
    pending = pending.subarray(pos);
  }
  if (expecting === "open") return pending.equals(EMPTY_LIST);
  return expecting === "between" && pending.equals(CLOSE);
}
