/**
 * A project: one JSON file of experiments, Python lazyscribe's `Project`.
 *
 * @module
 */
import { type Observable, Subject } from "rxjs";
import { saveProjectArtifacts } from "./artifacts/save.js";
import { defaultAuthor } from "./author.js";
import { LazyscribeError, NotFoundError, ReadOnlyError, SaveError } from "./errors.js";
import type { ProjectEvent } from "./events.js";
import { Experiment } from "./experiment.js";
import { parseProjectFile, serializeProjectFile } from "./format/projectFile.js";
import type { ExperimentInput, ExperimentRecord, TestRecord } from "./format/schemas.js";
import { compactTimestamp, parseTimestampAt } from "./format/timestamps.js";
import { mergeExperiments, mergeIntoFile } from "./merge.js";
import { setOwn } from "./own.js";
import { registry } from "./registry.js";
import { slugify } from "./slug.js";
import {
  dirnameOf,
  isAbsoluteLocation,
  joinPath,
  parseLocation,
  resolveLocation,
  type StorageOptions,
} from "./storage/index.js";
import { type Tabular, toTabular } from "./tabular.js";
import { TEST_KEYS, Test } from "./test.js";
import { checkName } from "./values.js";

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

const EXPERIMENT_KEYS = new Set([
  "name",
  "author",
  "last_updated_by",
  "metrics",
  "parameters",
  "created_at",
  "last_updated",
  "dependencies",
  "short_slug",
  "slug",
  "tests",
  "artifacts",
  "tags",
]);

/** Projects already opened while one project's dependencies are resolved, by location. */
type UpstreamCache = Map<string, Project | "loading">;

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
  #base = new Map<string, number>();
  readonly #events = new Subject<ProjectEvent>();

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
   * A missing file gives an empty project.
   *
   * @throws ValidationError when the file is not JSON or a record does not match the format
   *   (the message names the file, the record's index and the field); the file is left as is.
   * @throws NotFoundError when a dependency's project or experiment cannot be found.
   */
  static async open(fpath = "project.json", options: ProjectOptions = {}): Promise<Project> {
    return Project.openWith(fpath, options, new Map());
  }

  private static async openWith(
    fpath: string,
    options: ProjectOptions,
    upstream: UpstreamCache,
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
      if (file !== undefined) {
        const records = parseProjectFile(new TextDecoder().decode(file.data), fpath);
        await project.load(records, upstream);
      }
      project.#version = file?.version ?? null;
      project.#base = new Map(project.#snapshot);
    }
    return project;
  }

  private async load(records: ExperimentInput[], upstream: UpstreamCache): Promise<void> {
    const readOnly = this.mode === "r" || this.mode === "a";
    upstream.set(this.fpath, "loading");
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as ExperimentInput;
      const dependencies = [];
      for (const ref of record.dependencies) {
        dependencies.push(await this.resolveDependency(ref, index, upstream));
      }
      const experiment = new Experiment({
        name: record.name,
        project: this.fpath,
        author: record.author,
        lastUpdatedBy: record.last_updated_by,
        metrics: record.metrics,
        parameters: record.parameters,
        createdAt: this.timestamp(record.created_at, index, "created_at"),
        lastUpdated: this.timestamp(record.last_updated, index, "last_updated"),
        dependencies,
        shortSlug: record.short_slug,
        slug: record.slug,
        tags: record.tags,
        tests: record.tests.map((test) => testFromRecord(test, readOnly)),
        artifacts: record.artifacts,
        extra: pickExtra(record, EXPERIMENT_KEYS),
        readOnly,
        dirty: false,
        storageOptions: this.storageOptions,
      });
      this.add(experiment);
      this.#snapshot.set(experiment.slug, experiment.lastUpdated.getTime());
    }
    upstream.set(this.fpath, this);
  }

  private timestamp(text: string, record: number, field: string): Date {
    return parseTimestampAt(text, { file: this.fpath, record, path: [field] });
  }

  private async resolveDependency(ref: string, record: number, upstream: UpstreamCache) {
    const bar = ref.indexOf("|");
    const projectRef = ref.slice(0, bar);
    const slug = ref.slice(bar + 1);
    const project =
      registry.get(projectRef) ?? (await this.openUpstream(projectRef, ref, record, upstream));
    const experiment = project.#find(slug);
    if (experiment === undefined) {
      throw new NotFoundError(
        `${this.fpath}, record ${record}: dependency "${ref}" names experiment "${slug}", which ${project.fpath} does not have`,
      );
    }
    return { project: projectRef, experiment };
  }

  private async openUpstream(
    projectRef: string,
    ref: string,
    record: number,
    upstream: UpstreamCache,
  ) {
    const candidates = this.upstreamCandidates(projectRef);
    for (const candidate of candidates) {
      const cached = upstream.get(candidate);
      if (cached === "loading") {
        throw new LazyscribeError(
          `${this.fpath}, record ${record}: dependency "${ref}" is circular`,
        );
      }
      if (cached !== undefined) return cached;
      const { storage, path } = resolveLocation(candidate, this.storageOptions);
      if (await storage.exists(path)) {
        return Project.openWith(
          candidate,
          { mode: "r", storageOptions: this.storageOptions },
          upstream,
        );
      }
    }
    throw new NotFoundError(
      `${this.fpath}, record ${record}: dependency "${ref}" names project "${projectRef}", which is not registered and was not found (looked for ${candidates.join(", ")})`,
    );
  }

  /** Where a relative project reference may be: as Python resolves it (the working folder), then beside this file. */
  private upstreamCandidates(projectRef: string): string[] {
    if (isAbsoluteLocation(projectRef)) return [projectRef];
    const { protocol } = parseLocation(this.fpath);
    const asGiven = protocol === "file" ? projectRef : `${protocol}://${projectRef}`;
    const beside = joinPath(dirnameOf(this.fpath), projectRef);
    return asGiven === beside ? [asGiven] : [asGiven, beside];
  }

  /** The experiments, in the order they were read, logged or merged. */
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
   * @returns the experiment, or a promise of it when `body` is async.
   * @throws ReadOnlyError if the project is read-only.
   */
  log(name: string, body: (experiment: Experiment) => Promise<unknown>): Promise<Experiment>;
  log(name: string, body?: (experiment: Experiment) => unknown): Experiment;
  log(
    name: string,
    body: (experiment: Experiment) => unknown = () => undefined,
  ): Experiment | Promise<Experiment> {
    this.assertWritable("log experiment", name);
    const experiment = new Experiment({
      name,
      project: this.fpath,
      author: this.author,
      storageOptions: this.storageOptions,
    });
    experiment.attach(this.#events);
    const result = body(experiment);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      return Promise.resolve(result).then(() => this.append(experiment));
    }
    return this.append(experiment);
  }

  /**
   * Appends an experiment to the project.
   *
   * @throws ReadOnlyError if the project is read-only.
   */
  append(experiment: Experiment): Experiment {
    this.assertWritable("append experiment", experiment.slug);
    experiment.attach(this.#events);
    this.add(experiment);
    if (this.#events.observed) {
      this.#events.next({
        type: "experiment-logged",
        experiment: experiment.name,
        slug: experiment.slug,
      });
    }
    return experiment;
  }

  private add(experiment: Experiment): void {
    this.#experiments.push(experiment);
    this.#bySlug.set(experiment.slug, experiment);
  }

  /**
   * Writes the project file (atomically). In mode "w+", experiments changed since they were
   * read get `last_updated_by` set to the project's author first.
   *
   * @throws ReadOnlyError if the project is read-only.
   * @throws SaveError if the file cannot be written; the project in memory is unchanged.
   */
  async save(options: SaveOptions = {}): Promise<void> {
    this.assertWritable("save");
    const signal = options.signal;
    signal?.throwIfAborted();
    await this.saveArtifacts();
    signal?.throwIfAborted();
    if (this.mode === "w+") {
      for (const [slug, lastUpdated] of this.#snapshot) {
        const experiment = this.#bySlug.get(slug);
        if (experiment !== undefined && experiment.lastUpdated.getTime() > lastUpdated) {
          experiment.lastUpdatedBy = this.author;
        }
      }
    }
    await this.writeProjectFile(signal);
    for (const experiment of this.#experiments) experiment.markSaved();
    this.#events.next({ type: "saved", fpath: this.fpath, experiments: this.#experiments.length });
  }

  /**
   * Writes the project file through the backend's `update` (a lock on local files,
   * conditional writes on S3), so that concurrent saves lose nothing:
   * - if the file is still the one this project last read or wrote (or there is none), it
   *   becomes exactly this project, as Python lazyscribe writes it;
   * - if another process has saved since, the experiments this project logged or changed
   *   are merged into the file as it is now (see {@link mergeIntoFile}); the others are left
   *   as the file has them;
   * - mode "w" replaces the file whatever it holds.
   *
   * @throws SaveError naming the file and the cause; the file and the project are unchanged.
   */
  private async writeProjectFile(signal?: AbortSignal): Promise<void> {
    const records = this.#experiments.map((e) => e.toRecord());
    let written: Map<string, number> | undefined;
    let version: string;
    try {
      const { storage, path } = resolveLocation(this.fpath, this.storageOptions);
      version = await storage.update(
        path,
        async (current) => {
          if (this.mode === "w" || current === undefined || current.version === this.#version) {
            written = undefined;
            return serializeProjectFile(records);
          }
          const merged = mergeIntoFile(
            this.readFileForMerge(await current.read()),
            this.#experiments.flatMap((e, i) =>
              e.dirty || this.#base.get(e.slug) !== e.lastUpdated.getTime()
                ? [{ slug: e.slug, lastUpdated: e.lastUpdated, record: records[i] as object }]
                : [],
            ),
          );
          written = new Map(merged.map((m) => [m.slug, m.lastUpdated.getTime()]));
          return serializeProjectFile(merged.map((m) => m.record));
        },
        { signal },
      );
    } catch (error) {
      if (error instanceof SaveError) throw error;
      throw new SaveError(`could not save project ${this.fpath}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (written === undefined) {
      this.#version = version;
      this.#base = new Map(this.#experiments.map((e) => [e.slug, e.lastUpdated.getTime()]));
    } else {
      // The file now holds more than this project: merge again at the next save.
      this.#version = undefined;
      this.#base = written;
    }
  }

  /** The records of the file that another process wrote, for {@link writeProjectFile}. */
  private readFileForMerge(data: Uint8Array) {
    try {
      return parseProjectFile(new TextDecoder().decode(data), this.fpath).map((record, index) => ({
        slug:
          record.slug ??
          slugify(
            `${record.name}-${compactTimestamp(this.timestamp(record.created_at, index, "created_at"))}`,
          ),
        lastUpdated: this.timestamp(record.last_updated, index, "last_updated"),
        record: record as object,
      }));
    } catch (error) {
      throw new SaveError(
        `could not save project ${this.fpath}: another process rewrote the file since this project read it, and it is not a valid project file now (${(error as Error).message}); the file was left as is: repair it, or save from a project opened in mode "w" to replace it`,
        { cause: error },
      );
    }
  }

  /**
   * Writes the artifact files logged since the last save (before the project file, so that a
   * failed artifact write leaves the project file as it was).
   *
   * @throws SaveError naming the artifact and the path that could not be written.
   */
  private async saveArtifacts(): Promise<void> {
    await saveProjectArtifacts(this.#experiments, this.storageOptions);
  }

  /**
   * Merges projects into a new one (with this project's file, mode and author), by Python
   * lazyscribe's rule: the newest record of each slug is kept; on a tie, the record of the
   * project that comes first.
   */
  merge(...others: Project[]): Project {
    const merged = new Project(this.fpath, this.mode, this.author, this.storageOptions);
    const lists = [this.#experiments, ...others.map((p) => p.#experiments)];
    for (const experiment of mergeExperiments(lists)) merged.add(experiment);
    for (const [slug, time] of this.#snapshot) merged.#snapshot.set(slug, time);
    merged.#version = this.#version;
    merged.#base = new Map(this.#base);
    return merged;
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

function pickExtra(record: object, known: ReadonlySet<string>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!known.has(key)) {
      setOwn(extra, key, (record as Record<string, unknown>)[key]);
    }
  }
  return extra;
}

function testFromRecord(record: TestRecord, readOnly: boolean): Test {
  return new Test({
    name: record.name,
    description: record.description ?? null,
    metrics: record.metrics ?? {},
    parameters: record.parameters ?? {},
    artifacts: record.artifacts ?? [],
    extra: pickExtra(record, TEST_KEYS),
    readOnly,
  });
}
