/**
 * A project: one JSON file of experiments, Python lazyscribe's `Project`.
 *
 * @module
 */
import { type Observable, Subject } from "rxjs";
import { defaultAuthor } from "../author.js";
import { LazyscribeError, NotFoundError, ReadOnlyError, ValidationError } from "../errors.js";
import { parseProjectFile } from "../format/projectFile.js";
import type { ExperimentRecord, StoredExperiment } from "../format/schemas.js";
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
import { experimentsEqual } from "./equality.js";
import { experimentFromRecord } from "./fromRecord.js";
import { LogsInFlight, uniqueSlug } from "./inFlight.js";
import { droppedRecords, type MergeDrop, mergeExperiments } from "./merge.js";
import { insort } from "./order.js";
import { Registry } from "./registry.js";
import { saveProjectArtifacts, writeProjectFile } from "./saveProtocol.js";
import { type Tabular, toTabular } from "./tabular.js";

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
  #experiments: Experiment[] = [];
  #bySlug = new Map<string, Experiment>();
  #snapshot = new Map<string, number>();
  /** The version of the file as this project last read or wrote it (`null`: no file; `undefined`: unknown). */
  #version: string | null | undefined;
  /** The slugs and `lastUpdated` times (ms) in the file as this project last read or wrote it. */
  #base: ReadonlyMap<string, number> = new Map<string, number>();
  readonly #events = new Subject<ProjectEvent>();
  readonly #inFlight = new LogsInFlight();
  /** The experiments {@link Project.start} gave that are not appended yet, by slug. */
  readonly #started = new Map<string, Experiment>();
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
      if (file !== undefined) {
        const records = parseProjectFile(new TextDecoder().decode(file.data), fpath);
        project.load(records, upstream);
      }
      project.#version = file?.version ?? null;
      project.#base = new Map(project.#snapshot);
    }
    return project;
  }

  private load(records: StoredExperiment[], upstream: UpstreamCache<Project>): void {
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
      const experiment = experimentFromRecord(record, index, source);
      this.insert(experiment);
      this.#snapshot.set(experiment.slug, experiment.lastUpdated.getTime());
    });
    warnDuplicateSlugs(this.fpath, this.#experiments);
  }

  /**
   * The experiments in Python 2.2.1's order: each one read or appended goes in with
   * `bisect.insort` and Python's comparison (see `insort`), so mostly oldest first.
   */
  get experiments(): readonly Experiment[] {
    return this.#experiments;
  }

  /** How many experiments the project holds. */
  get size(): number {
    return this.#experiments.length;
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
    const experiment = this.#newExperiment(name);
    const result = body(experiment);
    if (isPromiseLike(result)) {
      const appended = Promise.resolve(result).then(() => this.append(experiment));
      this.#inFlight.track(experiment, experiment.slug, appended);
      return appended;
    }
    return this.append(experiment);
  }

  /**
   * Starts an experiment as {@link Project.log} does (this project's author, file and storage,
   * a slug of its own, its logging live on `events$`) and leaves the rest to the caller:
   * {@link Project.append} it when its logging is done, or drop it to abandon it (its slug
   * stays taken). `save()` does not wait for it. Python's `with project.log(name) as exp:`,
   * split where the block begins and where it ends without an error.
   *
   * @throws ReadOnlyError if the project is read-only.
   */
  start(name: string): Experiment {
    this.assertWritable("start experiment", name);
    const experiment = this.#newExperiment(name);
    this.#started.set(experiment.slug, experiment);
    return experiment;
  }

  #newExperiment(name: string): Experiment {
    const createdAt = new Date();
    const shortSlug = slugify(checkName("experiment", name));
    const taken = (s: string) =>
      this.#bySlug.has(s) || this.#inFlight.holds(s) || this.#started.has(s);
    const slug = uniqueSlug(shortSlug, compactTimestamp(createdAt), taken);
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
    return experiment;
  }

  /**
   * Appends an experiment to the project.
   *
   * @throws ReadOnlyError if the project is read-only.
   * @throws ValidationError if the project already has an experiment with its slug.
   */
  append(experiment: Experiment): Experiment {
    this.assertWritable("append experiment", experiment.slug);
    const holder = this.#bySlug.get(experiment.slug);
    if (holder !== undefined) {
      throw new ValidationError(
        holder === experiment
          ? `cannot append experiment "${experiment.slug}": it is already in project ${this.fpath}`
          : `cannot append experiment "${experiment.slug}": project ${this.fpath} already has an experiment with that slug (created ${holder.createdAt.toISOString()}); log it with project.log(), which gives a second run of a name in the same second a slug of its own, or create it with another slug`,
      );
    }
    if (this.#started.get(experiment.slug) === experiment) this.#started.delete(experiment.slug);
    experiment.attach(this.#events);
    this.insert(experiment);
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
  private insert(experiment: Experiment): void {
    insort(this.#experiments, experiment, pythonLess);
    this.index(experiment);
  }

  /** Makes `experiment` the one `get(slug)` finds for its slug, unless a later one has it. */
  private index(experiment: Experiment): void {
    const current = this.#bySlug.get(experiment.slug);
    if (
      current === undefined ||
      this.#experiments.indexOf(current) < this.#experiments.indexOf(experiment)
    ) {
      this.#bySlug.set(experiment.slug, experiment);
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
      // other record shares its slug.
      for (const experiment of this.#experiments) {
        if (experiment.dirty && !experiment.readOnly) experiment.lastUpdatedBy = this.author;
      }
    }
    const written = await writeProjectFile(
      { fpath: this.fpath, storageOptions: this.storageOptions, replace: this.mode === "w" },
      this.#experiments,
      () => ({ version: this.#version, base: this.#base }),
      signal,
      (experiment, slug) => {
        if (this.#bySlug.get(experiment.slug) === experiment) this.#bySlug.delete(experiment.slug);
        experiment.renameSlug(slug);
        this.#bySlug.set(slug, experiment);
      },
      // Artifact files before the project file, and after any rename: a failed write leaves
      // the project file as it was.
      async () => {
        await saveProjectArtifacts(this.#experiments, this.storageOptions);
        signal?.throwIfAborted();
      },
    );
    this.#version = written.version;
    this.#base = written.base;
    for (const experiment of this.#experiments) experiment.markSaved();
    this.#events.next({ type: "saved", fpath: this.fpath, experiments: this.#experiments.length });
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
    const lists = [this.#experiments, ...others.map((p) => p.#experiments)];
    const kept = mergeExperiments(lists, experimentsEqual, pythonLess);
    for (const experiment of kept) {
      merged.#experiments.push(experiment);
      merged.#bySlug.set(experiment.slug, experiment);
    }
    merged.#dropped = droppedRecords(lists, kept);
    for (const [slug, time] of this.#snapshot) merged.#snapshot.set(slug, time);
    merged.#version = this.#version;
    merged.#base = new Map(this.#base);
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
    const fields = { fpath, mode, author, size, experiments: this.#experiments.map((e) => e.slug) };
    return inspectFields("Project", fpath, fields, depth, options, inspect);
  }

  /** The experiments for which `predicate` is true. */
  filter(predicate: (experiment: Experiment) => boolean): Experiment[] {
    return this.#experiments.filter((e) => predicate(e));
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
    const exact = this.#bySlug.get(slug);
    if (exact !== undefined) return exact;
    for (let i = this.#experiments.length - 1; i >= 0; i--) {
      const experiment = this.#experiments[i] as Experiment;
      if (experiment.shortSlug === slug) return experiment;
    }
    return undefined;
  }

  /** The experiments and their tests as flat rows (see {@link toTabular}). */
  toTabular(): Tabular {
    return toTabular(this.#experiments.map((e) => e.toRecord()));
  }

  /** The experiments as plain records, exactly what Python's `list(project)` gives. */
  *[Symbol.iterator](): Iterator<ExperimentRecord> {
    for (const experiment of this.#experiments) yield experiment.toJSON();
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

/** The code of the warning a project file with several records of one slug raises on open. */
export const DUPLICATE_SLUG_WARNING = "LAZYSCRIBE_DUPLICATE_SLUG";

/**
 * Warns (`process.emitWarning`, code {@link DUPLICATE_SLUG_WARNING}) once per slug that the
 * file holds several records of (Python lazyscribe logging one name twice in one second):
 * all are kept and saved back, and `get()` gives the last in Python's order.
 */
function warnDuplicateSlugs(fpath: string, experiments: readonly Experiment[]): void {
  const counts = new Map<string, number>();
  for (const { slug } of experiments) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  for (const [slug, count] of counts) {
    if (count < 2) continue;
    process.emitWarning(
      `project ${fpath} holds ${count} experiments with slug "${slug}": all are kept and saved back; get("${slug}") gives the last in Python's order, the others are reached through project.experiments`,
      { code: DUPLICATE_SLUG_WARNING },
    );
  }
}
