/**
 * The project file as the dashboard last read it, record by record. A file in Python's
 * layout (`json.dump(records, f, sort_keys=True, indent=4)`, which the core writes too) is
 * split into its records' texts without parsing; a record whose text is unchanged keeps its
 * entry, and only new and changed texts are read and validated. A file in any other layout
 * is read whole, as the core reads it. Either way a file that does not read leaves the last
 * good records in place.
 *
 * @module
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { parseProjectFile } from "../format/projectFile.js";
import { PyJsonSyntaxError, splitProjectRecords } from "../format/pyjson/index.js";
import { insort, olderThan } from "../project/order.js";
import { RecordEntry } from "./recordEntry.js";
import { SummaryNames } from "./summaryNames.js";

/** What one read of the file did. */
export interface DiskRead {
  /** `"python"`: split record by record; `"whole"`: read as one document. */
  readonly layout: "python" | "whole";
  /** How many records were read and validated (the others kept their entries). */
  readonly parsed: number;
}

/** Options of {@link DiskRecords.read}. */
export interface DiskReadOptions {
  /**
   * Past this many milliseconds of work, reading waits for the event loop's next turn before
   * it goes on, so that the server answers meanwhile (default: never waits).
   */
  readonly sliceMs?: number;
}

/** The records of the project file as last read. */
export class DiskRecords {
  /** The file's name, for error messages. */
  readonly file: string;
  /** The names the entries' compact rows index (shared with the view that shows them). */
  readonly names: SummaryNames;
  #entries: RecordEntry[] = [];
  #ordered: RecordEntry[] = [];

  constructor(file: string, names: SummaryNames = new SummaryNames()) {
    this.file = file;
    this.names = names;
  }

  /**
   * The records in Python lazyscribe 2.2.1's order, as `Project.open` has them: each one, in
   * the file's order, put in with `bisect.insort`.
   */
  get entries(): readonly RecordEntry[] {
    return this.#ordered;
  }

  /**
   * Takes a new version of the file's text. On success the records are those of `text`; on
   * failure nothing changes.
   *
   * @throws ValidationError naming the file, and the record and field when one is wrong.
   */
  async read(text: string, options: DiskReadOptions = {}): Promise<DiskRead> {
    const texts = splitProjectRecords(text);
    if (texts !== undefined) {
      const split = await this.#readSplit(listed(texts), true, options.sliceMs);
      if (split !== undefined) return split;
    }
    const entries = parseProjectFile(text, this.file).map((stored) =>
      RecordEntry.fromStored(stored, this.names),
    );
    this.#take(entries);
    return { layout: "whole", parsed: entries.length };
  }

  /**
   * Takes a new version of the file record by record, as `texts` reads them from the disk
   * (see `streamProjectRecords`), so that the new version is never held whole: a record
   * whose text is unchanged keeps its entry and its text, and only the texts that changed
   * are kept. On success the records are those of the new version; otherwise nothing
   * changes.
   *
   * @returns what the read did, or `undefined` when the file is not in Python's layout or a
   *   record does not read on its own: then {@link read} its whole text instead.
   * @throws ValidationError naming the file, and the record and field when one is wrong.
   */
  async readStream(
    texts: AsyncIterator<string, boolean>,
    options: DiskReadOptions = {},
  ): Promise<DiskRead | undefined> {
    try {
      return await this.#readSplit(texts, false, options.sliceMs);
    } finally {
      await texts.return?.(false); // closes the file when the read stopped early
    }
  }

  #take(entries: RecordEntry[]): void {
    const ordered: RecordEntry[] = [];
    for (const entry of entries) insort(ordered, entry, olderThan);
    this.#entries = entries;
    this.#ordered = ordered;
  }

  /**
   * Reads a file in Python's layout from its records' texts, reusing the entries whose text
   * is unchanged (`adopt`: handing them the new text, so that the old file can be freed), or
   * gives `undefined` when the file is not in that layout or a record does not read on its
   * own (the file is then read whole, so that the error names its place in the whole file).
   */
  async #readSplit(
    texts: AsyncIterator<string, boolean>,
    adopt: boolean,
    sliceMs: number | undefined,
  ): Promise<DiskRead | undefined> {
    const old = this.#entries;
    let byText: Map<string, RecordEntry> | undefined;
    let inPlace = true;
    const entries: RecordEntry[] = [];
    let parsed = 0;
    let sliceStart = performance.now();
    for (let i = 0; ; i++) {
      const next = await texts.next();
      if (next.done === true) {
        if (!next.value) return undefined;
        break;
      }
      const text = next.value;
      let entry = old[i]?.text === text ? old[i] : undefined;
      // While every record so far is the old one at its place, a record past the old list's
      // end (one appended) has no old entry left to be: the texts need no index then.
      if (entry === undefined && !(inPlace && i >= old.length) && old.length > 0) {
        byText ??= new Map(old.map((e) => [e.text ?? "", e]));
        entry = byText.get(text);
      }
      if (entry !== old[i]) inPlace = false;
      if (entry !== undefined) {
        if (adopt) entry.text = text;
        entries.push(entry);
        continue;
      }
      try {
        entries.push(RecordEntry.fromText(text, this.file, i, this.names));
      } catch (error) {
        if (error instanceof PyJsonSyntaxError) return undefined;
        throw error;
      }
      parsed++;
      if (sliceMs !== undefined && performance.now() - sliceStart > sliceMs) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    this.#take(entries);
    return { layout: "python", parsed };
  }
}

/** The texts of a list, one at a time, as a file's records are read. */
async function* listed(texts: readonly string[]): AsyncGenerator<string, boolean> {
  yield* texts;
  return true;
}
