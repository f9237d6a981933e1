/**
 * An experiment: what one run measured (metrics), how it was set up (parameters), tags,
 * tests, artifacts and the upstream experiments it depends on — Python lazyscribe's
 * `Experiment`, with the same file record.
 *
 * @module
 */

import { freeze } from "immer";
import {
  type ArtifactLocation,
  ArtifactSet,
  type LoadArtifactOptions,
  type LogArtifactOptions,
  type PendingArtifacts,
} from "./artifacts/collection.js";
import type { ArtifactWrite } from "./artifacts/io.js";
import { checkSegment } from "./artifacts/paths.js";
import { defaultAuthor } from "./author.js";
import { LazyscribeError } from "./errors.js";
import type { EventSink, EventSource } from "./events.js";
import { cloneJson } from "./format/pyjson/index.js";
import type { ArtifactRecord, ExperimentRecord, JsonValue, MetricValue } from "./format/schemas.js";
import { compactTimestamp, formatTimestamp } from "./format/timestamps.js";
import { Loggable, NO_EXTRA } from "./loggable.js";
import { readOnlyView } from "./readonly.js";
import type { Repository } from "./repository.js";
import { experimentSlug, slugify } from "./slug.js";
import { dirnameOf, joinPath } from "./storage/paths.js";
import type { StorageOptions } from "./storage/storage.js";
import { Test } from "./test.js";
import { checkName } from "./values.js";

/** An upstream experiment and the `"<project>|<slug>"` reference written for it. */
export interface Dependency {
  /** The project part of the reference: a project path or a registry key. */
  readonly project: string;
  /** The upstream experiment. */
  readonly experiment: Experiment;
}

/** What an experiment is made from. Everything but `name` has Python's default. */
export interface ExperimentInit {
  readonly name: string;
  /** The project file the experiment belongs to; its folder holds the experiment's folder. */
  readonly project?: string;
  /** The author; defaults to the OS user name. */
  readonly author?: string;
  readonly lastUpdatedBy?: string;
  readonly metrics?: Record<string, MetricValue>;
  readonly parameters?: Record<string, JsonValue>;
  readonly createdAt?: Date;
  readonly lastUpdated?: Date;
  readonly dependencies?: readonly Dependency[];
  readonly shortSlug?: string;
  readonly slug?: string;
  readonly tags?: string[];
  readonly tests?: Test[];
  readonly artifacts?: ArtifactRecord[];
  /** Keys lazyscribe does not know, written back unchanged. */
  readonly extra?: Record<string, unknown>;
  /** Whether every change must be refused (experiments of "r" and "a" projects). */
  readonly readOnly?: boolean;
  /** Whether the experiment has changes that are not saved yet (new ones do). */
  readonly dirty?: boolean;
  /** Options of the storage backend its artifact files are read and written with. */
  readonly storageOptions?: StorageOptions;
  /** @internal Artifacts logged but not saved yet, by their index in `artifacts` (for copies). */
  readonly pendingArtifacts?: PendingArtifacts;
}

/** Options of {@link Experiment.tag}. */
export interface TagOptions {
  /** Replace the existing tags instead of adding to them. */
  readonly overwrite?: boolean;
}

/** Options of {@link Experiment.logTest}. */
export interface LogTestOptions {
  /** What the test measures. */
  readonly description?: string | null;
}

/**
 * One experiment. Log it with `project.log(name, body)`: it enters the project only when
 * `body` finishes without an error.
 *
 * Experiments of a project opened in mode "r" or "a" are read-only: the object is frozen and
 * every change (a `log*` call, `tag`, a write to its metrics...) throws `ReadOnlyError`.
 */
export class Experiment extends Loggable {
  /** The experiment's name. */
  readonly name: string;
  /** The slug of the name (python-slugify's), shared by every run of the same name. */
  readonly shortSlug: string;
  /** The slug of `"<name>-<YYYYMMDDHHMMSS of createdAt>"`: the experiment's identity. */
  readonly slug: string;
  /** When the experiment was created. */
  readonly createdAt: Date;
  /** The project file this experiment belongs to (`""` when it has none). */
  readonly project: string;
  #author: string;
  #lastUpdatedBy: string;
  #lastUpdatedMs: number;
  #dirty: boolean;
  #tags: string[];
  readonly #tests: Test[];
  readonly #artifacts: ArtifactRecord[];
  /** The artifacts' bookkeeping; made on first use (most experiments and tests have none). */
  #artifactSetData: ArtifactSet | undefined;
  readonly #storageOptions: StorageOptions;
  /** Upstream experiments by short slug; created with the first one (most have none). */
  #dependencies: Map<string, Dependency> | undefined;
  /** @internal Where this experiment's events go (the project it is logged in). */
  sink: EventSink | undefined;

  constructor(init: ExperimentInit) {
    super(
      init.metrics ?? {},
      init.parameters ?? {},
      init.extra ?? NO_EXTRA,
      init.readOnly ?? false,
    );
    this.name = checkName("experiment", init.name);
    this.project = init.project ?? "";
    this.#author = init.author ?? defaultAuthor();
    this.#lastUpdatedBy = init.lastUpdatedBy ?? this.#author;
    this.createdAt = init.createdAt ?? new Date();
    this.#lastUpdatedMs = (init.lastUpdated ?? this.createdAt).getTime();
    const nameSlug =
      init.shortSlug === undefined || init.slug === undefined ? slugify(this.name) : "";
    this.shortSlug = init.shortSlug ?? nameSlug;
    this.slug = init.slug ?? experimentSlug(nameSlug, compactTimestamp(this.createdAt));
    this.#tags = init.tags ?? [];
    this.#tests = init.tests ?? [];
    this.#artifacts = init.artifacts ?? [];
    if (init.pendingArtifacts !== undefined) {
      this.#artifactSetData = new ArtifactSet(this.#artifacts, init.pendingArtifacts);
    }
    this.#storageOptions = init.storageOptions ?? {};
    for (const dep of init.dependencies ?? []) {
      this.#dependencies ??= new Map();
      this.#dependencies.set(dep.experiment.shortSlug, dep);
    }
    this.#dirty = init.dirty ?? !this.readOnly;
    for (const test of this.#tests) this.adopt(test);
    for (const test of this.#tests) this.locateTestArtifacts(test);
    if (this.readOnly) Object.freeze(this);
  }

  /** Who created the experiment. */
  get author(): string {
    return this.#author;
  }

  /** Who changed the experiment last (set by `save()` of a "w+" project). */
  get lastUpdatedBy(): string {
    return this.#lastUpdatedBy;
  }
  set lastUpdatedBy(author: string) {
    this.assertWritable("change last_updated_by");
    this.#lastUpdatedBy = checkName("author", author);
  }

  /** When the experiment last changed. */
  get lastUpdated(): Date {
    return new Date(this.#lastUpdatedMs);
  }

  /** Whether the experiment changed since it was read or saved. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** The experiment's tags. */
  get tags(): readonly string[] {
    return this.readOnly ? readOnlyView(this.#tags) : this.#tags;
  }

  /** The experiment's tests, in the order they finished. */
  get tests(): readonly Test[] {
    return this.readOnly ? readOnlyView(this.#tests) : this.#tests;
  }

  get #artifactSet(): ArtifactSet {
    this.#artifactSetData ??= new ArtifactSet(this.#artifacts);
    return this.#artifactSetData;
  }

  /** The metadata of the experiment's artifacts. */
  get artifacts(): readonly ArtifactRecord[] {
    return this.readOnly ? readOnlyView(this.#artifacts) : this.#artifacts;
  }

  /** Upstream experiments this one depends on, by their short slug. */
  get dependencies(): Readonly<Record<string, Experiment>> {
    const out: Record<string, Experiment> = {};
    for (const [short, dep] of this.#dependencies ?? []) out[short] = dep.experiment;
    return Object.freeze(out);
  }

  /** The `"<project>|<slug>"` references written for the dependencies. */
  get dependencyRefs(): readonly string[] {
    if (this.#dependencies === undefined) return [];
    return [...this.#dependencies.values()].map((d) => `${d.project}|${d.experiment.slug}`);
  }

  /** The experiment's folder, `<project folder>/<slug>`: where its artifacts are written. */
  get path(): string {
    return joinPath(dirnameOf(this.project || "."), this.slug);
  }

  /**
   * Adds tags. With `{ overwrite: true }` the given tags replace the existing ones.
   *
   * @throws ReadOnlyError if the experiment is read-only.
   */
  tag(tags: string | readonly string[], options: TagOptions = {}): this {
    this.assertWritable("tag");
    const list = typeof tags === "string" ? [tags] : [...tags];
    for (const t of list) checkName("tag", t);
    this.#tags = options.overwrite === true ? list : [...this.#tags, ...list];
    this.touch();
    this.emit({ type: "tags-changed", tags: [...this.#tags] });
    return this;
  }

  /**
   * Declares that this experiment depends on an upstream experiment of another project. The
   * reference written is `"<project>|<slug>"`, where `<project>` is `projectRef` (a path or a
   * registry key; by default the upstream experiment's project file).
   *
   * @throws ReadOnlyError if the experiment is read-only.
   */
  addDependency(upstream: Experiment, projectRef: string = upstream.project): this {
    this.assertWritable("add a dependency");
    if (projectRef === "" || projectRef.includes("|")) {
      throw new LazyscribeError(
        `cannot add dependency "${upstream.slug}": its project reference "${projectRef}" must be a non-empty path or registry key without "|"`,
      );
    }
    this.#dependencies ??= new Map();
    this.#dependencies.set(upstream.shortSlug, { project: projectRef, experiment: upstream });
    this.touch();
    return this;
  }

  /**
   * Logs a test. The test is added to the experiment only when `body` finishes; if it throws
   * (or its promise rejects), the error propagates and no test is added.
   *
   * @returns the test, or a promise of it when `body` is async.
   * @throws ReadOnlyError if the experiment is read-only.
   */
  logTest(
    name: string,
    body: (test: Test) => Promise<unknown>,
    options?: LogTestOptions,
  ): Promise<Test>;
  logTest(name: string, body: (test: Test) => unknown, options?: LogTestOptions): Test;
  logTest(
    name: string,
    body: (test: Test) => unknown,
    options: LogTestOptions = {},
  ): Test | Promise<Test> {
    this.assertWritable("log test", name);
    const test = new Test({ name, description: options.description ?? null });
    this.locateTestArtifacts(test);
    test.sink = this.sink;
    test.owner = { name: this.name, slug: this.slug };
    const result = body(test);
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(() => this.appendTest(test));
    }
    return this.appendTest(test);
  }

  /**
   * Logs an artifact: a value written to a file by `project.save()` (not before), under the
   * experiment's folder `<project folder>/<slug>/`. Its default file name is
   * `<slug of name>-<YYYYMMDDHHMMSS>.<handler suffix>`; `fname` may name a subfolder. The
   * value is encoded now, so later changes to it are not written.
   *
   * @param handler - the alias of a registered handler (`"json"`, `"v8"`...).
   * @param options - `fname`, `overwrite`, and writer options for the handler (`indent`...).
   * @throws ArtifactLogError for a second artifact of the same name without `overwrite`, an
   *   unknown handler, a file name that would leave the folder (`../`, absolute, NUL), or a
   *   value the handler cannot write.
   * @throws ReadOnlyError if the experiment is read-only.
   *
   * @example
   * ```ts
   * exp.logArtifact("features", ["a", "b"], "json", { indent: 4 });
   * exp.logArtifact("config", { lr: 0.1 }, "json", { fname: "nested/config.json" });
   * ```
   */
  logArtifact(
    name: string,
    value: unknown,
    handler: string,
    options: LogArtifactOptions = {},
  ): this {
    this.assertWritable("log artifact", name);
    this.#artifactSet.log(this.describe(), name, value, handler, options);
    this.touch();
    return this;
  }

  /**
   * Loads an artifact's value: from its file (or, before the project is saved, from what was
   * logged).
   *
   * @param options - `validate` (default true: check the runtime facts the handler recorded,
   *   such as the Node major version), and reader options for the handler.
   * @throws ArtifactLoadError when there is no artifact of that name, its handler is not
   *   registered in this runtime (the message names it: Python's `"pickle"`, say), the runtime
   *   facts differ, or its file is missing.
   */
  loadArtifact(name: string, options: LoadArtifactOptions = {}): Promise<unknown> {
    return this.#artifactSet.load(this.describe(), name, () => this.artifactLocation(), options);
  }

  /**
   * Promotes an artifact to a repository, as Python does: before the project is saved, the
   * artifact is simply logged in the repository (save the repository yourself); after, its
   * file is copied into the repository (`<repository folder>/<name>/<fname>`) and the
   * repository is saved — if that save fails, the copy is removed. When the repository already
   * has versions of the name, the artifact becomes the next version, and must be newer than
   * the latest one.
   *
   * @throws ArtifactLoadError when there is no artifact of that name, or its file is missing.
   * @throws ArtifactLogError when it is not newer than the repository's latest version.
   * @throws ReadOnlyError when the repository is read-only.
   * @throws SaveError when the copy or the repository cannot be written.
   */
  promoteArtifact(repository: Repository, name: string): Promise<void> {
    return this.#artifactSet.promote(this.describe(), name, repository, () =>
      this.artifactLocation(),
    );
  }

  /**
   * @internal The experiment's artifact folder and storage options.
   * @throws LazyscribeError when the slug cannot name a folder (a file with a bad slug).
   */
  artifactLocation(): ArtifactLocation {
    const slug = checkSegment(this.slug, this.describe(), LazyscribeError);
    return {
      folder: joinPath(dirnameOf(this.project || "."), slug),
      storageOptions: this.#storageOptions,
    };
  }

  /** @internal The artifact files to write on save: this experiment's and its tests'. */
  pendingArtifactWrites(): ArtifactWrite[] {
    const writes = this.#artifactSet.writes(this.describe(), () => this.artifactLocation());
    for (const test of this.#tests) writes.push(...test.pendingArtifactWrites());
    return writes;
  }

  private locateTestArtifacts(test: Test): void {
    test.locateArtifacts(() => {
      const { folder, storageOptions } = this.artifactLocation();
      const slug = checkSegment(
        slugify(test.name),
        `test "${test.name}" of ${this.describe()}`,
        LazyscribeError,
        "A test's artifacts go in a folder named after the slug of its name: give the test a name with letters or digits.",
      );
      return { folder: joinPath(folder, slug), storageOptions };
    });
  }

  /**
   * The experiment as Python lazyscribe writes it: a snapshot of plain data, deeply frozen
   * (immer's \`freeze\`), so that a record handed out can never change the experiment or drift from it.
   */
  toJSON(): ExperimentRecord {
    return freeze(cloneJson(this.toRecord()), true);
  }

  /** @internal The record that is written, sharing this experiment's data (no copy). */
  toRecord(): ExperimentRecord {
    return {
      ...this.extraData,
      name: this.name,
      author: this.#author,
      last_updated_by: this.#lastUpdatedBy,
      metrics: this.metricsData,
      parameters: this.parametersData,
      created_at: formatTimestamp(this.createdAt),
      last_updated: formatTimestamp(new Date(this.#lastUpdatedMs)),
      dependencies: this.dependencyRefs as string[],
      short_slug: this.shortSlug,
      slug: this.slug,
      tests: this.#tests.map((t) => t.toRecord()),
      artifacts: this.#artifacts,
      tags: this.#tags,
    };
  }

  /**
   * A copy of this experiment with its own data: read-only or writable, in another project.
   * Used when a project is opened, merged or filtered.
   */
  copy(options: { readOnly?: boolean; project?: string } = {}): Experiment {
    const record = cloneJson({
      metrics: this.metricsData,
      parameters: this.parametersData,
      tags: this.#tags,
      artifacts: this.#artifacts,
      extra: this.extraData,
    });
    const readOnly = options.readOnly ?? this.readOnly;
    return new Experiment({
      name: this.name,
      project: options.project ?? this.project,
      author: this.#author,
      lastUpdatedBy: this.#lastUpdatedBy,
      createdAt: this.createdAt,
      lastUpdated: new Date(this.#lastUpdatedMs),
      shortSlug: this.shortSlug,
      slug: this.slug,
      metrics: record.metrics,
      parameters: record.parameters,
      tags: record.tags,
      artifacts: record.artifacts,
      extra: record.extra,
      dependencies: [...(this.#dependencies?.values() ?? [])],
      tests: this.#tests.map((t) => (readOnly ? t.copy().asReadOnly() : t.copy())),
      readOnly,
      dirty: this.#dirty,
      storageOptions: this.#storageOptions,
      pendingArtifacts: this.#artifactSet.pendingByIndex(),
    });
  }

  /**
   * Python's ordering: experiments with the same slug compare by `lastUpdated`, others by
   * `createdAt`. Negative when this experiment is older than `other`, as a sort comparator.
   */
  compare(other: Experiment): number {
    return this.slug === other.slug
      ? this.#lastUpdatedMs - other.#lastUpdatedMs
      : this.createdAt.getTime() - other.createdAt.getTime();
  }

  /** @internal Marks the experiment as saved. */
  markSaved(): void {
    if (!this.readOnly) this.#dirty = false;
  }

  protected override describe(): string {
    return `experiment "${this.slug}"`;
  }

  protected override touch(): void {
    this.#lastUpdatedMs = Date.now();
    this.#dirty = true;
  }

  protected override source(): EventSource {
    return { experiment: this.name, slug: this.slug };
  }

  private appendTest(test: Test): Test {
    this.#tests.push(test);
    this.touch();
    this.emit({ type: "test-logged", test: test.name });
    return test;
  }

  private adopt(test: Test): void {
    if (!test.readOnly) {
      test.owner = { name: this.name, slug: this.slug };
      test.sink = this.sink;
    }
  }

  /** @internal Connects the experiment (and its tests) to the project that reports its events. */
  attach(sink: EventSink | undefined): void {
    if (this.readOnly) return;
    this.sink = sink;
    for (const test of this.#tests) this.adopt(test);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
