/**
 * A project: one JSON file of experiments, Python lazyscribe's `Project`.
 *
 * @module
 */
import { type Observable, Subject } from "rxjs";
import { defaultAuthor } from "../author.js";
import { LazyscribeError, NotFoundError, ReadOnlyError, ValidationError } from "../errors.js";
import { type LoadedRecord, readProjectFile } from "../format/projectFile.js";
import type { ExperimentRecord } from "../format/schemas.js";
import { compactTimestamp } from "../format/timestamps.js";
import { isPromiseLike } from "../guards.js";
import type { ProjectEvent } from "../model/events.js";
import { Experiment } from "../model/experiment.js";
import {
  INSPECT,
  type InspectFunction,
  type InspectOptions,
  inspectFields,
} from "../model/inspect.js";
import { checkName } from "../model/values.js";
import { slugify } from "../slug/slug.js";
import { resolveLocation, type StorageOptions } from "../storage/index.js";
import { type DependencyContext, resolveDependencies, type UpstreamCache } from "./dependencies.js";
import { warnDuplicateSlugs } from "./duplicates.js";
import { experimentsEqual } from "./equality.js";
import { LogsInFlight, uniqueSlug } from "./inFlight.js";
import { droppedRecords, type MergeDrop, mergeExperiments } from "./merge.js";
import { insort } from "./order.js";
import { Registry } from "./registry.js";
import { type FileState, saveProjectArtifacts, writeProjectFile } from "./saveProtocol.js";
import { ExperimentSlot } from "./slots.js";
import { type Tabular, toTabular } from "./tabular.js";

export { DUPLICATE_SLUG_WARNING } from "./duplicates.js";

/**
 * How a project is opened, as in Python lazyscribe:
 * - `"r"`: read-only; nothing can be logged, appended or saved.
 * - `"a"`: existing experiments are read-only; new ones can be logged and saved.
 * - `"w"`: the existing file is not read; saving replaces it.
 * - `"w+"`: every experiment is editable; `save()` sets `last_updated_by` on those that changed.
 */
export type ProjectMode = "r" | "a" | "w" | "w+";

/** Options of {@link Project.open}. */
export interface ProjectOptions {
  /** How to open the project (default `"a"`). */
  readonly mode?: ProjectMode;
  /** The author of new experiments and changes (default: the OS user name). */
  readonly author?: string;
  /** Options for the storage backend (endpoint, region, credentials...). */
  readonly storageOptions?: StorageOptions;
  /** Once aborted, opening stops (it throws the signal's reason). */
  readonly signal?: AbortSignal;
}

/** Options of {@link Project.save}. */
export interface SaveOptions {
  /**
   * Once aborted, a save that has not yet replaced the project file is abandoned (it throws,
   * and the file is left as it was); one that has is complete.
   */
  readonly signal?: AbortSignal;
}

const MODES: readonly ProjectMode[] = ["r", "a", "w", "w+"];

/**
 * A project: a list of experiments kept in one JSON file, the same file Python lazyscribe
 * 2.2.1 reads and writes.
 *
 * @example
 * ```ts
 * const project = await Project.open("project.json", { mode: "w", author: "alice" });
 * project.log("My experiment", (exp) => {
 *   exp.logMetric("auroc", 0.5);
 *   exp.logParameter("algorithm", "lightgbm");
 * });
 * await project.save();
 * ```
 */
export class Project implements Iterable<ExperimentRecord> {
  /** The project file, as given to {@link Project.open}. */
  readonly fpath: string;
  /** How the project was opened. */
  readonly mode: ProjectMode;
  /** The author of new experiments and changes. */
  readonly author: string;
  /** Options for the storage backend. */
  readonly storageOptions: StorageOptions;
  /** The experiments in Python's order, each built on first access (see `slots.ts`). */
  #slots: ExperimentSlot[] = [];
  /** The built experiments of {@link Project.experiments}, until the list changes. */
  #built: Experiment[] | undefined;
  #bySlug = new Map<string, ExperimentSlot>();
  /** The file as this project last read or wrote it (`version` `null`: no file; `undefined`: unknown). */
  #file: FileState = { version: undefined, base: new Map() };
  readonly #events = new Subject<ProjectEvent>();
  readonly #inFlight = new LogsInFlight();
  #dropped: readonly MergeDrop<Experiment>[] = [];

  /** What happens in the project: experiments, metrics and parameters logged, saves. */
  readonly events$: Observable<ProjectEvent> = this.#events.asObservable();

  private constructor(
    fpath: string,
    mode: ProjectMode,
    author: string,
    storageOptions: StorageOptions,
  ) {
    this.fpath = fpath;
    this.mode = mode;
    this.author = author;
    this.storageOptions = storageOptions;
  }

  /**
   * Opens (or starts) the project at `fpath`: a path, a `file://` URL or `memory://path`.
   * A missing file gives an empty project, except in mode "r".
   *
   * Opening reads this one file: the projects its experiments depend on are opened only when
   * `experiment.loadDependencies()` asks for them.
   *
   * @throws ValidationError when the file is not JSON or a record does not match the format
   *   (the message names the file, the record's index and the field); the file is left as is.
   * @throws NotFoundError in mode "r" when there is no file at `fpath`.
   */
  static async open(fpath = "project.json", options: ProjectOptions = {}): Promise<Project> {
    return Project.openWith(fpath, options, new Map());
  }

  private static async openWith(
    fpath: string,
    options: ProjectOptions,
    upstream: UpstreamCache<Project>,
  ): Promise<Project> {
    const mode = options.mode ?? "a";
    if (!MODES.includes(mode)) {
      throw new LazyscribeError(
        `invalid mode "${mode}" for ${fpath}: use one of "r", "a", "w", "w+"`,
      );
    }
    const author =
      options.author === undefined ? defaultAuthor() : checkName("author", options.author);
    const project = new Project(fpath, mode, author, options.storageOptions ?? {});
    options.signal?.throwIfAborted();
    if (mode !== "w") {
      const { storage, path } = resolveLocation(fpath, project.storageOptions);
      const file = await storage.readVersioned(path);
      options.signal?.throwIfAborted();
      if (file === undefined && mode === "r") {
        throw new NotFoundError(
          `no project file at ${fpath} (mode "r" reads an existing file; open it in mode "a" or "w" to start one)`,
        );
      }
      const loaded =
        file === undefined ? [] : readProjectFile(new TextDecoder().decode(file.data), fpath);
      project.load(loaded, upstream);
      const texts = loaded.map((r) => r.read.text);
      project.#file = {
        version: file?.version ?? null,
        base: new Map(project.#slots.map((slot) => [slot.slug, slot.lastUpdatedMs])),
        image:
          file === undefined || texts.some((t) => t === undefined)
            ? undefined
            : { texts: texts as string[], bytes: file.data.length },
      };
    }
    return project;
  }

  private load(records: readonly LoadedRecord[], upstream: UpstreamCache<Project>): void {
    upstream.set(this.fpath, Promise.resolve(this));
    const context: DependencyContext<Project> = {
      fpath: this.fpath,
      storageOptions: this.storageOptions,
      upstream,
      registered: (name) => registry.get(name),
      open: (candidate) =>
        Project.openWith(candidate, { mode: "r", storageOptions: this.storageOptions }, upstream),
      find: (project, slug) => project.#find(slug),
    };
    const source = {
      fpath: this.fpath,
      readOnly: this.mode === "r" || this.mode === "a",
      storageOptions: this.storageOptions,
      resolve: (refs: readonly string[], index: number) =>
        resolveDependencies(refs, index, context),
    };
    records.forEach((record, index) => {
      this.insert(ExperimentSlot.fromRecord(record, index, source));
    });
    warnDuplicateSlugs(
      this.fpath,
      this.#slots.map((s) => s.slug),
    );
  }

  /**
   * The experiments in Python 2.2.1's order: each one read or appended goes in with
   * `bisect.insort` and Python's comparison (see `insort`), so mostly oldest first.
   */
  get experiments(): readonly Experiment[] {
    this.#built ??= this.#slots.map((slot) => slot.experiment);
    return this.#built;
  }

  /**
   * @internal The experiments' places, in Python's order: for readers (the command line)
   * that read records without building experiments.
   */
  get slots(): readonly ExperimentSlot[] {
    return this.#slots;
  }

  /** How many experiments the project holds. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * Logs an experiment: `body` receives a new experiment, and the experiment is appended
   * only when `body` finishes (for an async `body`, when its promise resolves). If `body`
   * throws or rejects, the error propagates and nothing is appended.
   *
   * A second run of a name in the same second gets the slug `<name>-<time>-2` (then `-3`...),
   * so that no two experiments of the project share a slug.
   *
   * @returns the experiment, or a promise of it when `body` is async; `save()` waits for it.
   * @throws ReadOnlyError if the project is read-only.
   */
  log(name: string, body: (experiment: Experiment) => Promise<unknown>): Promise<Experiment>;
  log(name: string, body?: (experiment: Experiment) => unknown): Experiment;
  log(
    name: string,
    body: (experiment: Experiment) => unknown = () => undefined,
  ): Experiment | Promise<Experiment> {
    this.assertWritable("log experiment", name);
    const createdAt = new Date();
    const shortSlug = slugify(checkName("experiment", name));
    const slug = uniqueSlug(
      shortSlug,
      compactTimestamp(createdAt),
      (s) => this.#bySlug.has(s) || this.#inFlight.holds(s),
    );
    const experiment = new Experiment({
      name,
      project: this.fpath,
      author: this.author,
      storageOptions: this.storageOptions,
      createdAt,
      shortSlug,
      slug,
    });
    experiment.attach(this.#events);
    const result = body(experiment);
    if (isPromiseLike(result)) {
      const appended = Promise.resolve(result).then(() => this.append(experiment));
      this.#inFlight.track(experiment, slug, appended);
      return appended;
    }
    return this.append(experiment);
  }

  /**
   * @internal `save()` stops waiting for the log of `experiment`: its body is held open by a
   * caller that settles it itself (the flow engine, which may abandon it when a task fails).
   */
  releaseLog(experiment: Experiment): void {
    this.#inFlight.release(experiment);
  }

  /**
   * Appends an experiment to the project.
   *
   * @throws ReadOnlyError if the project is read-only.
   * @throws ValidationError if the project already has an experiment with its slug.
   */
  append(experiment: Experiment): Experiment {
    this.assertWritable("append experiment", experiment.slug);
    const holderSlot = this.#bySlug.get(experiment.slug);
    if (holderSlot !== undefined) {
      const holder = holderSlot.experiment;
      throw new ValidationError(
        holder === experiment
          ? `cannot append experiment "${experiment.slug}": it is already in project ${this.fpath}`
          : `cannot append experiment "${experiment.slug}": project ${this.fpath} already has an experiment with that slug (created ${holder.createdAt.toISOString()}); log it with project.log(), which gives a second run of a name in the same second a slug of its own, or create it with another slug`,
      );
    }
    experiment.attach(this.#events);
    this.insert(ExperimentSlot.of(experiment));
    if (this.#events.observed) {
      this.#events.next({
        type: "experiment-logged",
        experiment: experiment.name,
        slug: experiment.slug,
      });
    }
    return experiment;
  }

  /** Python's `insort(self.experiments, experiment)`: see {@link insort}. */
  private insert(slot: ExperimentSlot): void {
    insort(this.#slots, slot, ExperimentSlot.less);
    this.#built = undefined;
    this.index(slot);
  }

  /** Makes `slot` the one `get(slug)` finds for its slug, unless a later one has it. */
  private index(slot: ExperimentSlot): void {
    const current = this.#bySlug.get(slot.slug);
    if (current === undefined || this.#slots.indexOf(current) < this.#slots.indexOf(slot)) {
      this.#bySlug.set(slot.slug, slot);
    }
  }

  /**
   * Writes the project file (atomically). In mode "w+", experiments changed since they were
   * read or saved, and new ones, get `last_updated_by` set to the project's author first.
   *
   * Waits first for every `log()` started before it whose body has not finished, so that a
   * forgotten `await` loses nothing (a log whose body fails adds nothing, as always).
   *
   * @throws ReadOnlyError if the project is read-only.
   * @throws SaveError if the file cannot be written; the project in memory is unchanged.
   */
  async save(options: SaveOptions = {}): Promise<void> {
    this.assertWritable("save");
    const signal = options.signal;
    signal?.throwIfAborted();
    if (this.#inFlight.size > 0) await this.#inFlight.settle();
    signal?.throwIfAborted();
    if (this.mode === "w+") {
      // Python's rule: every dirty experiment (changed since it was read, or new), whatever
      // other record shares its slug. Experiments never built cannot have changed.
      for (const { built } of this.#slots) {
        if (built?.dirty === true && !built.readOnly) built.lastUpdatedBy = this.author;
      }
    }
    this.#file = await writeProjectFile(
      { fpath: this.fpath, storageOptions: this.storageOptions, replace: this.mode === "w" },
      this.#slots,
      () => this.#file,
      signal,
      (slot, slug) => {
        if (this.#bySlug.get(slot.slug) === slot) this.#bySlug.delete(slot.slug);
        slot.experiment.renameSlug(slug);
        this.#bySlug.set(slug, slot);
      },
      // Artifact files before the project file, and after any rename: a failed write leaves
      // the project file as it was.
      async () => {
        await saveProjectArtifacts(this.#slots, this.storageOptions);
        signal?.throwIfAborted();
      },
    );
    for (const { built } of this.#slots) built?.markSaved();
    this.#events.next({ type: "saved", fpath: this.fpath, experiments: this.#slots.length });
  }

  /**
   * Merges projects into a new one (with this project's file, mode and author), by Python
   * lazyscribe's rule: the newest record of each slug is kept; on a tie, the record of the
   * project that comes first. The records are in the order Python 2.2.1's merge leaves them
   * (see {@link mergeExperiments}); those it does not keep are listed in the result's
   * {@link Project.dropped}.
   */
  merge(...others: Project[]): Project {
    const merged = new Project(this.fpath, this.mode, this.author, this.storageOptions);
    const lists = [this.experiments, ...others.map((p) => p.experiments)];
    const kept = mergeExperiments(lists, experimentsEqual, pythonLess);
    for (const experiment of kept) {
      const slot = ExperimentSlot.of(experiment);
      merged.#slots.push(slot);
      merged.#bySlug.set(experiment.slug, slot);
    }
    merged.#dropped = droppedRecords(lists, kept);
    // The merged experiments keep no texts: its first save writes every one of them.
    merged.#file = { version: this.#file.version, base: new Map(this.#file.base) };
    return merged;
  }

  /**
   * The records the {@link Project.merge} that made this project did not keep, each with the
   * record of the same slug kept instead (empty for a project that was opened).
   */
  get dropped(): readonly MergeDrop<Experiment>[] {
    return this.#dropped;
  }

  /** @internal What `console.log` shows: the file, the mode, the author and the experiments. */
  [INSPECT](depth: number, options: InspectOptions, inspect: InspectFunction): string {
    const { fpath, mode, author, size } = this;
    const fields = { fpath, mode, author, size, experiments: this.#slots.map((s) => s.slug) };
    return inspectFields("Project", fpath, fields, depth, options, inspect);
  }

  /** The experiments for which `predicate` is true. */
  filter(predicate: (experiment: Experiment) => boolean): Experiment[] {
    return this.experiments.filter((e) => predicate(e));
  }

  /** Whether the project has an experiment with this slug or short slug. */
  has(slug: string): boolean {
    return this.#find(slug) !== undefined;
  }

  /**
   * The experiment with this slug or, failing that, the latest experiment with this short
   * slug: as in Python, the one appended last (for a slug shared by several records, too).
   *
   * @throws NotFoundError when there is none.
   */
  get(slug: string): Experiment {
    const experiment = this.#find(slug);
    if (experiment === undefined) {
      throw new NotFoundError(
        `project ${this.fpath} has no experiment with slug or short slug "${slug}"`,
      );
    }
    return experiment;
  }

  #find(slug: string): Experiment | undefined {
    return this.findSlot(slug)?.experiment;
  }

  /**
   * @internal The place of the experiment {@link Project.get} gives, without building it.
   */
  findSlot(slug: string): ExperimentSlot | undefined {
    const exact = this.#bySlug.get(slug);
    if (exact !== undefined) return exact;
    for (let i = this.#slots.length - 1; i >= 0; i--) {
      const slot = this.#slots[i] as ExperimentSlot;
      if (slot.shortSlug === slug) return slot;
    }
    return undefined;
  }

  /** The experiments and their tests as flat rows (see {@link toTabular}). */
  toTabular(): Tabular {
    return toTabular(this.experiments.map((e) => e.toRecord()));
  }

  /** The experiments as plain records, exactly what Python's `list(project)` gives. */
  *[Symbol.iterator](): Iterator<ExperimentRecord> {
    for (const slot of this.#slots) yield slot.experiment.toJSON();
  }

  private assertWritable(action: string, name?: string): void {
    if (this.mode === "r") {
      const what = name === undefined ? action : `${action} "${name}"`;
      throw new ReadOnlyError(
        `cannot ${what}: project ${this.fpath} was opened read-only (mode "r")`,
      );
    }
  }
}

/**
 * The process-wide registry: a dependency written `"<name>|<slug>"` resolves to the project
 * registered under `name` before any file is looked for.
 */
export const registry: Registry<Project> = new Registry<Project>();

/** Python's `Experiment.__lt__` (see {@link insort}), without building `Date`s. */
function pythonLess(a: Experiment, b: Experiment): boolean {
  return a.compare(b) < 0;
}
