/**
 * An experiment: what one run measured (metrics), how it was set up (parameters), tags,
 * tests, artifacts and the upstream experiments it depends on — Python lazyscribe's
 * `Experiment`, with the same file record.
 *
 * @module
 */

import type { Observable } from "rxjs";
import type { ArtifactLocation } from "../artifacts/collection.js";
import { type ArtifactWrite, artifactWrites$ } from "../artifacts/io.js";
import { checkSegment } from "../artifacts/paths.js";
import { defaultAuthor } from "../author.js";
import { LazyscribeError } from "../errors.js";
import type { ExperimentRecord } from "../format/schemas.js";
import { compactTimestamp } from "../format/timestamps.js";
import { isPromiseLike } from "../guards.js";
import { copyJson, hasOwnKeys } from "../own.js";
import { experimentSlug, slugify } from "../slug/slug.js";
import { dirnameOf, joinPath } from "../storage/paths.js";
import type { StorageOptions } from "../storage/storage.js";
import { ArtifactOwner } from "./artifactOwner.js";
import type { EventSink, EventSource } from "./events.js";
import type {
  ExperimentInitOf,
  LogTestOptions,
  TagOptions,
  UpstreamDependency,
} from "./experimentInit.js";
import { ExperimentTimes } from "./experimentTimes.js";
import {
  experimentFields,
  INSPECT,
  type InspectFunction,
  type InspectOptions,
  inspectFields,
} from "./inspect.js";
import { NO_EXTRA } from "./loggable.js";
import { readOnlyView } from "./readonly.js";
import { sharedName } from "./sharedNames.js";
import { Test } from "./test.js";
import { Upstream } from "./upstream.js";
import { checkName } from "./values.js";

/** An upstream experiment and the `"<project>|<slug>"` reference written for it. */
export type Dependency = UpstreamDependency<Experiment>;

/** What an experiment is made from. Everything but `name` has Python's default. */
export type ExperimentInit = ExperimentInitOf<Experiment>;

export type { LogTestOptions, TagOptions } from "./experimentInit.js";

/**
 * One experiment. Log it with `project.log(name, body)`: it enters the project only when
 * `body` finishes without an error.
 *
 * Experiments of a project opened in mode "r" or "a" are read-only: the object is frozen and
 * every change (a `log*` call, `tag`, a write to its metrics...) throws `ReadOnlyError`.
 */
export class Experiment extends ArtifactOwner {
  /** The experiment's name. */
  readonly name: string;
  /** The slug of the name (python-slugify's), shared by every run of the same name. */
  readonly shortSlug: string;
  #slug: string;
  readonly #times: ExperimentTimes;
  /** When the experiment was created. */
  get createdAt(): Date {
    return this.#times.createdAt;
  }

  /** @internal When the experiment was created, in ms since the epoch (without a `Date`). */
  get createdMs(): number {
    return this.#times.createdMs;
  }

  /** The slug of `"<name>-<YYYYMMDDHHMMSS of createdAt>"`: the experiment's identity. */
  get slug(): string {
    return this.#slug;
  }

  /**
   * @internal Gives a new experiment the slug the project file leaves free (`<slug>-2`...)
   * when another process saved an experiment of the same slug first; its tests follow.
   */
  renameSlug(slug: string): void {
    this.#slug = slug;
  }
  /** The project file this experiment belongs to (`""` when it has none). */
  readonly project: string;
  #author: string;
  #lastUpdatedBy: string;
  #dirty: boolean;
  #tags: string[];
  /** The tests, one list for the experiment's life: `tests` hands it out live, as Python's list is. */
  readonly #tests: Test[];
  readonly #storageOptions: StorageOptions;
  /** The upstream experiments; made with the first one (most experiments have none). */
  #upstream: Upstream<Experiment> | undefined;
  /** @internal Where this experiment's events go (the project it is logged in). */
  sink: EventSink | undefined;

  constructor(init: ExperimentInit) {
    super(
      init.metrics,
      init.parameters,
      init.extra ?? NO_EXTRA,
      init.readOnly ?? false,
      init.artifacts,
      init.pendingArtifacts,
      init.history,
      init.floatMarks,
    );
    this.name = checkName("experiment", init.name);
    this.project = init.project ?? "";
    this.#author = init.author ?? defaultAuthor();
    this.#lastUpdatedBy = init.lastUpdatedBy ?? this.#author;
    const created = init.createdAt ?? new Date();
    this.#times = new ExperimentTimes(created, init.lastUpdated ?? created);
    const nameSlug =
      init.shortSlug === undefined || init.slug === undefined ? slugify(this.name) : "";
    this.shortSlug = init.shortSlug ?? nameSlug;
    this.#slug = init.slug ?? experimentSlug(nameSlug, compactTimestamp(created));
    this.#tags = init.tags ?? [];
    this.#tests = init.tests ?? [];
    this.#storageOptions = init.storageOptions ?? {};
    this.#upstream = Upstream.of(init.dependencies, init.unresolvedDependencies);
    this.#dirty = init.dirty ?? !this.readOnly;
    for (const test of this.#tests) test.joinExperiment(this);
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
  /** Sets who changed the experiment last. */
  set lastUpdatedBy(author: string) {
    this.assertWritable("change last_updated_by");
    this.#lastUpdatedBy = checkName("author", author);
  }

  /** When the experiment last changed. */
  get lastUpdated(): Date {
    return new Date(this.#times.lastUpdatedMs);
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

  /**
   * Upstream experiments this one depends on, by their short slug. The dependencies of an
   * experiment read from a file are resolved on demand, never when the file is opened: call
   * {@link Experiment.loadDependencies} first.
   *
   * @throws LazyscribeError when the experiment has references that are not loaded yet.
   */
  get dependencies(): Readonly<Record<string, Experiment>> {
    return this.#upstream?.view(this.describe()) ?? Object.freeze({});
  }

  /**
   * Resolves the `"<project>|<slug>"` references read from the file (once; later calls give
   * the same result): a registered project, or the project file the reference names, opened
   * read-only. This is the only time a dependency's location is read.
   *
   * @returns the upstream experiments by short slug (what {@link Experiment.dependencies} gives).
   * @throws NotFoundError when a project or an experiment cannot be found; LazyscribeError
   *   when a project file cannot be read (the message names the file and the cause, never its
   *   content).
   */
  loadDependencies(): Promise<Readonly<Record<string, Experiment>>> {
    return this.#upstream?.load(this.describe()) ?? Promise.resolve(Object.freeze({}));
  }

  /** The `"<project>|<slug>"` references written for the dependencies. */
  get dependencyRefs(): readonly string[] {
    return this.#upstream?.refs ?? [];
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
    for (let i = 0; i < list.length; i++) list[i] = sharedName(checkName("tag", list[i]));
    this.#tags = options.overwrite === true ? list : this.#tags.concat(list);
    this.touch();
    if (this.sink?.observed) this.emit({ type: "tags-changed", tags: [...this.#tags] });
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
    this.#upstream ??= new Upstream<Experiment>([], undefined);
    this.#upstream.add({ project: projectRef, experiment: upstream }, this.describe());
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
    test.joinExperiment(this);
    const result = body(test);
    if (isPromiseLike(result)) return Promise.resolve(result).then(() => this.appendTest(test));
    return this.appendTest(test);
  }

  /**
   * @internal The experiment's artifact folder and storage options.
   * @throws LazyscribeError when the slug cannot name a folder (a file with a bad slug).
   */
  override artifactLocation(): ArtifactLocation {
    checkSegment(this.slug, this.describe(), LazyscribeError);
    return { folder: this.path, storageOptions: this.#storageOptions };
  }

  /**
   * @internal The artifact files to write on save: this experiment's and its tests', emitted
   * one by one, at once unless a saved metric history has to be read first (`EMPTY` itself
   * when there are none). Called when the save needs them (what they write is taken then).
   */
  pendingArtifactWrites$(): Observable<ArtifactWrite> {
    const later = [this.historyWrites$(() => this.artifactLocation().folder)];
    for (const test of this.#tests) later.push(test.pendingArtifactWrites$());
    return artifactWrites$(
      this.artifactFileWrites(() => this.artifactLocation()),
      later,
    );
  }

  /**
   * The experiment as Python lazyscribe writes it: a deep copy the caller owns, as Python's
   * `to_dict()` gives, so that changing it can never change the experiment nor drift with it.
   */
  toJSON(): ExperimentRecord {
    return copyJson(this.toRecord());
  }

  /** @internal The record written (no copy): keys sorted, unless it holds unknown ones. */
  toRecord(): ExperimentRecord {
    const record: ExperimentRecord = {
      artifacts: this.artifactsData,
      author: this.#author,
      created_at: this.#times.createdText(),
      dependencies: this.dependencyRefs as string[],
      last_updated: this.#times.lastUpdatedText(),
      last_updated_by: this.#lastUpdatedBy,
      metrics: this.metricsData,
      name: this.name,
      parameters: this.parametersData,
      short_slug: this.shortSlug,
      slug: this.slug,
      tags: this.#tags,
      tests: this.#tests.map((t) => t.toRecord()),
    };
    return hasOwnKeys(this.extraData) ? { ...this.extraData, ...record } : record;
  }

  /**
   * A copy of this experiment with its own data: read-only or writable, in another project.
   * Used when a project is opened, merged or filtered.
   */
  copy(options: { readOnly?: boolean; project?: string } = {}): Experiment {
    const readOnly = options.readOnly ?? this.readOnly;
    return new Experiment({
      ...copyJson({
        metrics: this.metricsData,
        parameters: this.parametersData,
        tags: this.#tags,
        artifacts: this.artifactsData,
        extra: this.extraData,
      }),
      floatMarks: this.ownMarks,
      name: this.name,
      project: options.project ?? this.project,
      author: this.#author,
      lastUpdatedBy: this.#lastUpdatedBy,
      ...this.#times.init(),
      shortSlug: this.shortSlug,
      slug: this.slug,
      dependencies: this.#upstream?.resolved,
      unresolvedDependencies: this.#upstream?.unresolved,
      tests: this.#tests.map((t) => (readOnly ? t.copy().asReadOnly() : t.copy())),
      readOnly,
      dirty: this.#dirty,
      storageOptions: this.#storageOptions,
      pendingArtifacts: this.artifactSet.pendingByIndex(),
      history: this.historyCopy(),
    });
  }

  /**
   * Python's ordering: experiments with the same slug compare by `lastUpdated`, others by
   * `createdAt`. Negative when this experiment is older than `other`, as a sort comparator.
   */
  compare(other: Experiment): number {
    return this.slug === other.slug
      ? this.#times.lastUpdatedMs - other.#times.lastUpdatedMs
      : this.createdMs - other.createdMs;
  }

  /** @internal What `console.log` shows: what was logged, not the internals. */
  [INSPECT](depth: number, options: InspectOptions, inspect: InspectFunction): string {
    const fields = experimentFields(this.toRecord(), this.readOnly);
    return inspectFields("Experiment", this.slug, fields, depth, options, inspect);
  }

  /** @internal Marks the experiment as saved. */
  markSaved(): void {
    if (!this.readOnly) this.#dirty = false;
  }

  protected override describe(): string {
    return `experiment "${this.slug}"`;
  }

  protected override touch(now = Date.now()): void {
    this.#times.touch(now);
    this.#dirty = true;
  }

  protected override recordTests(): readonly Test[] {
    return this.#tests;
  }

  protected override source(): EventSource {
    return { experiment: this.name, slug: this.slug };
  }

  private appendTest(test: Test): Test {
    test.compact();
    this.#tests.push(test);
    this.touch();
    if (this.sink?.observed) this.emit({ type: "test-logged", test: test.name });
    return test;
  }

  /** @internal Connects the experiment (and its tests, through it) to the project's events. */
  attach(sink: EventSink | undefined): void {
    if (this.readOnly) return;
    this.sink = sink;
  }
}
