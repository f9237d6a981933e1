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
    let entries: RecordEntry[] | undefined;
    let parsed = 0;
    if (texts !== undefined) {
      const split = await this.#readSplit(texts, options.sliceMs);
      entries = split?.entries;
      parsed = split?.parsed ?? 0;
    }
    const layout = entries === undefined ? "whole" : "python";
    if (entries === undefined) {
      entries = parseProjectFile(text, this.file).map((stored) =>
        RecordEntry.fromStored(stored, this.names),
      );
      parsed = entries.length;
    }
    const ordered: RecordEntry[] = [];
    for (const entry of entries) insort(ordered, entry, olderThan);
    this.#entries = entries;
    this.#ordered = ordered;
    return { layout, parsed };
  }

  /**
   * The entries of a file in Python's layout, reusing those whose text is unchanged, or
   * `undefined` when a record does not read on its own (the file is then read whole, so that
   * the error names its place in the whole file).
   */
  async #readSplit(
    texts: readonly string[],
    sliceMs: number | undefined,
  ): Promise<{ entries: RecordEntry[]; parsed: number } | undefined> {
    const old = this.#entries;
    let byText: Map<string, RecordEntry> | undefined;
    const entries: RecordEntry[] = new Array(texts.length);
    let parsed = 0;
    let sliceStart = performance.now();
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] as string;
      let entry = old[i]?.text === text ? old[i] : undefined;
      if (entry === undefined && old.length > 0) {
        byText ??= new Map(old.map((e) => [e.text ?? "", e]));
        entry = byText.get(text);
      }
      if (entry !== undefined) {
        entry.text = text; // the new file's copy: the old file can be freed
        entries[i] = entry;
        continue;
      }
      try {
        entries[i] = RecordEntry.fromText(text, this.file, i, this.names);
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
    return { entries, parsed };
  }
}
