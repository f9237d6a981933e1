/**
 * What the dashboard shows of a project: the file as last read from disk (see
 * `DiskRecords`), with the experiments that writable projects of this process log laid over
 * it by the merge rule (the newest record of each slug). Without a file to read (a project in
 * memory or in a bucket), the projects of this process alone.
 *
 * Browsers hold a copy. Each change is announced as a new revision with what changed since
 * the previous one (a delta): the full records and the compact summary rows of the
 * experiments added or changed (with the names their indexes stand for), and the slugs
 * removed, so that one experiment saved into a large project costs its record, not the whole
 * project. An experiment counts as changed when its record does.
 *
 * @module
 */

import type { Experiment } from "../model/experiment.js";
import { mergeExperiments } from "../project/merge.js";
import type { Project } from "../project/project.js";
import { toTabular } from "../project/tabular.js";
import type { StorageOptions } from "../storage/index.js";
import type { DiskRecords } from "./diskRecords.js";
import { toJson } from "./json.js";
import { RecordEntry } from "./recordEntry.js";
import { SummaryNames } from "./summaryNames.js";

/** Past this many changed records, a revision carries no delta: browsers fetch everything. */
export const MAX_DELTA = 500;

interface Built {
  readonly stamp: number;
  readonly entries: RecordEntry[];
  bySlug?: Map<string, RecordEntry>;
}

/** The experiments the dashboard shows, their JSON payloads and their revisions. */
export class ProjectView {
  /** The project file shown (as given), when there is one. */
  fpath: string | undefined;
  /** The names the compact summary rows index, for every row this view makes or shows. */
  readonly names = new SummaryNames();
  #disk: DiskRecords | undefined;
  #diskRead = false;
  readonly #memory: Project[] = [];
  #stamp = 1;
  #revision = 0;
  #announced = new Map<string, RecordEntry>();
  #error: string | null = null;
  #announcedError: string | null = null;
  #built: Built | undefined;
  #read: Promise<void> = Promise.resolve();
  #resolveRead: (() => void) | undefined;

  constructor(fpath?: string) {
    this.fpath = fpath;
  }

  /** The last revision announced. */
  get revision(): number {
    return this.#revision;
  }

  /** Why the file could not be read last time, or `null`. */
  get error(): string | null {
    return this.#error;
  }

  /** Whether the view waits for the file's first read (nothing is shown meanwhile). */
  get loading(): boolean {
    return this.#disk !== undefined && !this.#diskRead && this.#error === null;
  }

  /**
   * Resolves once the file has been read, or has failed to read, for the first time, and
   * that read has been announced (see {@link readAnnounced}).
   */
  whenRead(): Promise<void> {
    return this.#read;
  }

  /** Says that a read of the file has been announced: requests waiting for it go on. */
  readAnnounced(): void {
    this.#resolveRead?.();
  }

  /** Shows a project of this process (given to the dashboard, or opened by a flow). */
  addMemory(project: Project): void {
    if (!this.#memory.includes(project)) this.#memory.push(project);
    this.fpath ??= project.fpath;
    this.changed();
  }

  /** Shows the records of `disk`, once read (see {@link diskChanged}). */
  setDisk(disk: DiskRecords): void {
    this.#disk = disk;
    this.fpath ??= disk.file;
    this.#read = new Promise((resolve) => {
      this.#resolveRead = resolve;
    });
    this.changed();
  }

  /** Takes the records `disk` just read. */
  diskChanged(): void {
    this.#diskRead = true;
    this.#error = null;
    this.changed();
  }

  /** Records that the file could not be read (the last good view stays). */
  setError(message: string): void {
    this.#error = message;
    this.changed();
  }

  /** Marks the view as changed: it is merged anew when next asked for. */
  changed(): void {
    this.#stamp++;
    this.#built = undefined;
  }

  #merged(): RecordEntry[] {
    const lists: RecordEntry[][] = [];
    if (this.#disk !== undefined) {
      lists.push(this.#diskRead ? [...this.#disk.entries] : []);
      for (const project of this.#memory) {
        if (project.mode === "r") continue;
        const logged = project.experiments.filter((e) => !e.readOnly);
        lists.push(logged.map((e) => RecordEntry.fromExperiment(e, this.names)));
      }
    } else {
      for (const project of this.#memory) {
        lists.push(project.experiments.map((e) => RecordEntry.fromExperiment(e, this.names)));
      }
    }
    if (lists.length === 1 && distinctSlugs(lists[0] as RecordEntry[]))
      return lists[0] as RecordEntry[];
    return mergeExperiments(lists);
  }

  #build(): Built {
    if (this.#built?.stamp !== this.#stamp) {
      this.#built = { stamp: this.#stamp, entries: this.#merged() };
    }
    return this.#built;
  }

  /** The experiments shown, in the project's order. */
  entries(): readonly RecordEntry[] {
    return this.#build().entries;
  }

  /**
   * Starts a new revision if anything changed since the last one (experiments whose record
   * changed, new ones, removed ones, the file's error), with the changed records when there
   * are few. The first call always starts revision 1.
   *
   * @returns the revision as JSON text (records are sent as they are held, as JSON), or
   *   `undefined` when nothing changed.
   */
  announce(): string | undefined {
    const next = new Map<string, RecordEntry>();
    const changed: RecordEntry[] = [];
    for (const entry of this.entries()) {
      next.set(entry.slug, entry);
      const before = this.#announced.get(entry.slug);
      if (before === entry) continue;
      if (before === undefined || changed.length > MAX_DELTA || !before.sameRecord(entry)) {
        changed.push(entry);
      }
    }
    const removed = [...this.#announced.keys()].filter((slug) => !next.has(slug));
    this.#announced = next;
    const unchanged = changed.length === 0 && removed.length === 0;
    if (unchanged && this.#revision > 0 && this.#error === this.#announcedError) return undefined;
    this.#announcedError = this.#error;
    const base = this.#revision;
    this.#revision++;
    const head = `{"revision":${this.#revision},"base":${base},"error":${toJson(this.#error)}`;
    if (changed.length + removed.length > MAX_DELTA) return `${head}}`;
    return (
      `${head},"upserts":[${changed.map((e) => e.json()).join(",")}]` +
      `,"rows":[${changed.map((e) => e.rowJson).join(",")}],"names":${toJson(this.names)}` +
      `,"removed":${toJson(removed)}}`
    );
  }

  #head(): string {
    return `{"fpath":${toJson(this.fpath ?? null)},"revision":${this.#revision},"error":${toJson(this.#error)}`;
  }

  /**
   * `{ fpath, revision, error, experiments }`, every experiment's full record: the JSON text
   * in pieces, each a few hundred records long, for a response to send as they come.
   */
  *projectJson(): Generator<string> {
    const entries = this.entries();
    yield `${this.#head()},"experiments":[`;
    yield* pieces(entries, (entry) => entry.json());
    yield "]}";
  }

  /**
   * `{ fpath, revision, error, size, names, experiments }`, every experiment's compact
   * summary row (see `CompactRow`) and the names their indexes stand for: the JSON text in
   * pieces.
   */
  *summaryJson(): Generator<string> {
    const entries = this.entries();
    yield `${this.#head()},"size":${entries.length},"names":${toJson(this.names)},"experiments":[`;
    yield* pieces(entries, (entry) => entry.rowJson);
    yield "]}";
  }

  /** `{ revision, experiments, tests }`: the rows of `toTabular`, as JSON. */
  tabularJson(): string {
    const records = this.entries().map((entry) => JSON.parse(entry.json()));
    return toJson({ revision: this.#revision, ...toTabular(records) });
  }

  /**
   * The experiment shown under this slug (or the latest of this short slug), read-only: see
   * {@link RecordEntry.experiment}.
   */
  experiment(slug: string, storageOptions: StorageOptions = {}): Experiment | undefined {
    return this.entry(slug)?.experiment(this.fpath ?? "", this.#storageOptions(storageOptions));
  }

  #storageOptions(fallback: StorageOptions): StorageOptions {
    return this.#memory[0]?.storageOptions ?? fallback;
  }

  /** The experiment with this slug, or the latest one with this short slug. */
  entry(slug: string): RecordEntry | undefined {
    const built = this.#build();
    built.bySlug ??= new Map(built.entries.map((entry) => [entry.slug, entry]));
    const exact = built.bySlug.get(slug);
    if (exact !== undefined) return exact;
    let latest: RecordEntry | undefined;
    for (const entry of built.entries) {
      if (
        entry.shortSlug === slug &&
        (latest === undefined || entry.createdAt.getTime() >= latest.createdAt.getTime())
      ) {
        latest = entry;
      }
    }
    return latest;
  }
}

/** Whether no two entries share a slug (then the merge rule keeps them all, in order). */
function distinctSlugs(entries: readonly RecordEntry[]): boolean {
  const slugs = new Set<string>();
  for (const entry of entries) {
    if (slugs.has(entry.slug)) return false;
    slugs.add(entry.slug);
  }
  return true;
}

const PIECE = 500;

function* pieces(
  entries: readonly RecordEntry[],
  text: (entry: RecordEntry) => string,
): Generator<string> {
  for (let start = 0; start < entries.length; start += PIECE) {
    const piece = entries.slice(start, start + PIECE).map(text);
    yield start === 0 ? piece.join(",") : `,${piece.join(",")}`;
  }
}
