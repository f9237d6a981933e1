/**
 * A project: one JSON file of experiments, Python lazyscribe's `Project`.
 *
 * @module
 */
import { defer, lastValueFrom, map, type Observable, of, Subject } from "rxjs";
import { NotFoundError, ReadOnlyError, ValidationError } from "../errors.js";
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
import type { StorageOptions } from "../storage/index.js";
import { type DependencyContext, resolveDependencies, type UpstreamCache } from "./dependencies.js";
import { warnDuplicateSlugs } from "./duplicates.js";
import { experimentsEqual } from "./equality.js";
import { ExperimentList } from "./experimentList.js";
import { LogsInFlight, uniqueSlug } from "./inFlight.js";
import { droppedRecords, type MergeDrop, mergeExperiments } from "./merge.js";
import { openingMode, type ProjectMode, type ProjectOptions, type SaveOptions } from "./options.js";
import { pythonLess } from "./order.js";
import { type ReadProject, readProject$ } from "./readFile.js";
import { registry } from "./registry.js";
import { type FileState, saveProject$ } from "./saveProtocol.js";
import { ExperimentSlot } from "./slots.js";
import { type Tabular, toTabular } from "./tabular.js";

export { DUPLICATE_SLUG_WARNING } from "./duplicates.js";
export type { ProjectMode, ProjectOptions, SaveOptions } from "./options.js";
export { registry } from "./registry.js";

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
  #list = new ExperimentList();
  /** The file as this project last read or wrote it (`version` `null`: no file; `undefined`: unknown). */
  #file: FileState = { version: undefined, base: new Map() };
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
  static open(fpath = "project.json", options: ProjectOptions = {}): Promise<Project> {
    return lastValueFrom(Project.openWith$(fpath, options, new Map()));
  }

  /**
   * {@link Project.open} as a cold Observable: each subscription opens the project and emits
   * it; on `memory://` in the subscriber's call (in virtual time in `TestScheduler.run()`).
   */
  static open$(fpath = "project.json", options: ProjectOptions = {}): Observable<Project> {
    return Project.openWith$(fpath, options, new Map());
  }

  private static openWith$(
    fpath: string,
    options: ProjectOptions,
    upstream: UpstreamCache<Project>,
  ): Observable<Project> {
    return defer(() => {
      const { mode, author } = openingMode(fpath, options);
      const project = new Project(fpath, mode, author, options.storageOptions ?? {});
      options.signal?.throwIfAborted();
      if (mode === "w") return of(project);
      return readProject$(fpath, project.storageOptions, mode === "r", options.signal).pipe(
        map((read) => project.load(read, upstream)),
      );
    });
  }

  /** Takes the experiments of the file as it was read; returns the project. */
  private load(read: ReadProject, upstream: UpstreamCache<Project>): this {
    upstream.set(this.fpath, Promise.resolve(this));
    const readOnly = { mode: "r", storageOptions: this.storageOptions } as const;
    const context: DependencyContext<Project> = {
      fpath: this.fpath,
      storageOptions: this.storageOptions,
      upstream,
      registered: (name) => registry.get(name),
      open: (candidate) => lastValueFrom(Project.openWith$(candidate, readOnly, upstream)),
      find: (project, slug) => project.findSlot(slug)?.experiment,
    };
    const source = {
      fpath: this.fpath,
      readOnly: this.mode === "r" || this.mode === "a",
      storageOptions: this.storageOptions,
      resolve: (refs: readonly string[], index: number) =>
        resolveDependencies(refs, index, context),
    };
    read.records.forEach((record, index) => {
      this.#list.insert(ExperimentSlot.fromRecord(record, index, source));
    });
    warnDuplicateSlugs(this.fpath, this.#list.repeatedSlugs());
    const base = new Map<string, number>();
    for (const slot of this.#list.slots) base.set(slot.slug, slot.lastUpdatedMs);
    this.#file = { version: read.version, base, image: read.image };
    return this;
  }

  /**
   * The experiments in Python 2.2.1's order: each one read or appended goes in with
   * `bisect.insort` and Python's comparison (see `insort`), so mostly oldest first.
   */
  get experiments(): readonly Experiment[] {
    return this.#list.experiments;
  }

  /**
   * @internal The experiments' places, in Python's order: for readers (the command line)
   * that read records without building experiments.
   */
  get slots(): readonly ExperimentSlot[] {
    return this.#list.slots;
  }

  /** How many experiments the project holds. */
  get size(): number {
    return this.#list.size;
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
    const slug = uniqueSlug(shortSlug, compactTimestamp(createdAt), this.#taken);
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

  /** Whether an experiment of the project, or one being logged or started, holds `slug`. */
  readonly #taken = (slug: string): boolean =>
    this.#list.bySlug(slug) !== undefined || this.#inFlight.holds(slug) || this.#started.has(slug);

  /**
   * Appends an experiment to the project.
   *
   * @throws ReadOnlyError if the project is read-only.
   * @throws ValidationError if the project already has an experiment with its slug.
   */
  append(experiment: Experiment): Experiment {
    this.assertWritable("append experiment", experiment.slug);
    const holderSlot = this.#list.bySlug(experiment.slug);
    if (holderSlot !== undefined) {
      const holder = holderSlot.experiment;
      throw new ValidationError(
        holder === experiment
          ? `cannot append experiment "${experiment.slug}": it is already in project ${this.fpath}`
          : `cannot append experiment "${experiment.slug}": project ${this.fpath} already has an experiment with that slug (created ${holder.createdAt.toISOString()}); log it with project.log(), which gives a second run of a name in the same second a slug of its own, or create it with another slug`,
      );
    }
    if (this.#started.get(experiment.slug) === experiment) this.#started.delete(experiment.slug);
    experiment.attach(this.#events);
    experiment.compact();
    this.#list.insertNew(ExperimentSlot.of(experiment));
    if (this.#events.observed) {
      this.#events.next({
        type: "experiment-logged",
        experiment: experiment.name,
        slug: experiment.slug,
      });
    }
    return experiment;
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
  save(options: SaveOptions = {}): Promise<void> {
    return lastValueFrom(this.save$(options));
  }

  /**
   * {@link Project.save} as a cold Observable: each subscription saves, emitting once the file
   * is written; on `memory://`, with no `log()` body under way and no saved metric history to
   * read, in the subscriber's call (in virtual time inside `TestScheduler.run()`). Unsubscribing
   * before the file is replaced abandons the save as aborting `options.signal` does.
   */
  save$(options: SaveOptions = {}): Observable<void> {
    return defer(() => {
      this.assertWritable("save");
      const { fpath, storageOptions, mode, author } = this;
      const target = { fpath, storageOptions, replace: mode === "w", mode, author };
      const rename = (slot: ExperimentSlot, slug: string) => this.#list.rename(slot, slug);
      return saveProject$(
        target,
        this.#inFlight,
        () => this.#list.slots,
        () => this.#file,
        options.signal,
        rename,
      ).pipe(
        map((file) => {
          this.#file = file;
          this.#events.next({ type: "saved", fpath, experiments: this.#list.size });
        }),
      );
    });
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
    for (const experiment of kept) merged.#list.push(ExperimentSlot.of(experiment));
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
    const fields = { fpath, mode, author, size, experiments: this.#list.slots.map((s) => s.slug) };
    return inspectFields("Project", fpath, fields, depth, options, inspect);
  }

  /** The experiments for which `predicate` is true. */
  filter(predicate: (experiment: Experiment) => boolean): Experiment[] {
    return this.experiments.filter((e) => predicate(e));
  }

  /** Whether the project has an experiment with this slug or short slug. */
  has(slug: string): boolean {
    return this.findSlot(slug) !== undefined;
  }

  /**
   * The experiment with this slug or, failing that, the latest experiment with this short
   * slug: as in Python, the one appended last (for a slug shared by several records, too).
   *
   * @throws NotFoundError when there is none.
   */
  get(slug: string): Experiment {
    const experiment = this.findSlot(slug)?.experiment;
    if (experiment === undefined) {
      throw new NotFoundError(
        `project ${this.fpath} has no experiment with slug or short slug "${slug}"`,
      );
    }
    return experiment;
  }

  /**
   * @internal The place of the experiment {@link Project.get} gives, without building it.
   */
  findSlot(slug: string): ExperimentSlot | undefined {
    return this.#list.find(slug);
  }

  /** The experiments and their tests as flat rows (see {@link toTabular}). */
  toTabular(): Tabular {
    return toTabular(this.experiments.map((e) => e.toRecord()));
  }

  /** The experiments as plain records, exactly what Python's `list(project)` gives. */
  *[Symbol.iterator](): Iterator<ExperimentRecord> {
    for (const slot of this.#list.slots) yield slot.experiment.toJSON();
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
