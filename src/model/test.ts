/**
 * A test of an experiment: metrics and parameters measured on a part of the data (a
 * subpopulation, a holdout set...), as Python lazyscribe's `Test`.
 *
 * @module
 */

import type { Observable } from "rxjs";
import {
  type ArtifactLocation,
  ArtifactSet,
  type LoadArtifactOptions,
  type LogArtifactOptions,
  type PendingArtifacts,
} from "../artifacts/collection.js";
import { type ArtifactWrite, artifactWrites$ } from "../artifacts/io.js";
import { LazyscribeError } from "../errors.js";
import { METRIC_HISTORY_ARTIFACT } from "../format/metricHistoryFile.js";
import type { FloatMarks } from "../format/pyjson/index.js";
import type { ArtifactRecord, JsonValue, MetricValue, TestRecord } from "../format/schemas.js";
import { copyJson, hasOwnKeys } from "../own.js";
import type { EventSink, EventSource } from "./events.js";
import { INSPECT, type InspectFunction, type InspectOptions, inspectFields } from "./inspect.js";
import { Loggable, NO_EXTRA } from "./loggable.js";
import type { MetricHistory } from "./metricHistory.js";
import { readOnlyView } from "./readonly.js";
import { testArtifactLocation } from "./testArtifacts.js";
import { checkName } from "./values.js";

/** What a test is made from: its name, and what a file or a copy already holds. */
export interface TestInit {
  /** The test's name. */
  readonly name: string;
  /** What the test covers (such as a subpopulation), or null. */
  readonly description?: string | null;
  /** Metric name to value. */
  readonly metrics?: Record<string, MetricValue>;
  /** Parameter name to any JSON value. */
  readonly parameters?: Record<string, JsonValue>;
  /** The test's artifacts' metadata, as the file holds them. */
  readonly artifacts?: ArtifactRecord[];
  /** Keys lazyscribe does not know, written back unchanged. */
  readonly extra?: Record<string, unknown>;
  /** Where the record made of these values holds whole floats (`1.0`; see `FloatMarks`). */
  readonly floatMarks?: FloatMarks | undefined;
  /** Whether every change must be refused. */
  readonly readOnly?: boolean;
  /** @internal Artifacts logged but not saved yet, by their index in `artifacts` (for copies). */
  readonly pendingArtifacts?: PendingArtifacts;
  /** @internal The metric history (for copies). */
  readonly history?: MetricHistory | undefined;
}

/**
 * What a test needs from the experiment it belongs to, read when needed (the experiment's
 * slug, its sink and its folder may change after the test joined it).
 *
 * @internal
 */
export interface TestParent {
  /** The experiment's name, for events. */
  readonly name: string;
  /** The experiment's slug, for events. */
  readonly slug: string;
  /** Where the experiment's events go (the project it is logged in). */
  readonly sink: EventSink | undefined;
  /** The experiment's tests: tests whose names have the same slug share a folder. */
  readonly tests: readonly Test[];
  /**
   * The experiment's artifact folder, which holds its tests' folders.
   * @throws LazyscribeError when the experiment's folder cannot be named.
   */
  artifactLocation(): ArtifactLocation;
}

/**
 * A test of an experiment. Create one with `experiment.logTest(name, body)`; it is added to
 * the experiment only when `body` finishes without an error.
 */
export class Test extends Loggable {
  /** The test's name. */
  readonly name: string;
  /** What the test measures, or `null`. */
  readonly description: string | null;
  /** The artifact records; made on first use (most tests have none). */
  #artifactList: ArtifactRecord[] | undefined;
  /** The artifacts' bookkeeping; made on first use (most experiments and tests have none). */
  #artifactSetData: ArtifactSet | undefined;
  /** The experiment the test belongs to: its folder, and where the test's events go. */
  #parent: TestParent | undefined;

  constructor(init: TestInit) {
    super(
      init.metrics,
      init.parameters,
      init.extra ?? NO_EXTRA,
      init.readOnly ?? false,
      init.history,
      init.floatMarks,
    );
    this.name = checkName("test", init.name);
    this.description = init.description ?? null;
    this.#artifactList = init.artifacts;
    if (init.pendingArtifacts !== undefined) {
      this.#artifactSetData = new ArtifactSet(this.#artifacts, init.pendingArtifacts);
    }
    if (this.readOnly) Object.freeze(this);
  }

  get #artifacts(): ArtifactRecord[] {
    this.#artifactList ??= [];
    return this.#artifactList;
  }

  get #artifactSet(): ArtifactSet {
    this.#artifactSetData ??= new ArtifactSet(this.#artifacts);
    return this.#artifactSetData;
  }

  /** The metadata of the artifacts logged on this test. */
  get artifacts(): readonly ArtifactRecord[] {
    return this.readOnly ? readOnlyView(this.#artifacts) : this.#artifacts;
  }

  /**
   * Logs an artifact on the test: a value written by `project.save()` under the test's own
   * folder, `<project folder>/<experiment slug>/<slug of the test's name>/` (as in Python, a
   * name whose slug is empty, such as `"👍🏽"`, uses the experiment's folder). Same rules as
   * `Experiment.logArtifact`.
   *
   * @throws ArtifactLogError for a duplicate name without `overwrite`, an unknown handler, a
   *   file name that would leave the folder, or a value the handler cannot write.
   * @throws ReadOnlyError if the test is read-only.
   */
  logArtifact(
    name: string,
    value: unknown,
    handler: string,
    options: LogArtifactOptions = {},
  ): this {
    this.assertWritable("log artifact", name);
    this.assertNotHistoryArtifact(name, options.fname);
    const record = this.#artifactSet.log(this.describe(), name, value, handler, options, () =>
      this.#parent === undefined ? undefined : this.artifactLocation(),
    );
    this.forgetArtifactMarks(record);
    this.touch();
    return this;
  }

  /**
   * Loads the value of an artifact logged on the test (see `Experiment.loadArtifact`).
   *
   * @throws ArtifactLoadError when there is no artifact of that name, its handler is not
   *   registered (the message names it), the runtime facts differ, its file is missing, or the
   *   test does not belong to an experiment.
   */
  loadArtifact(name: string, options: LoadArtifactOptions = {}): Promise<unknown> {
    if (name === METRIC_HISTORY_ARTIFACT) {
      const unsaved = this.unsavedHistory();
      if (unsaved !== undefined) return unsaved;
    }
    return this.#artifactSet.load(this.describe(), name, () => this.artifactLocation(), options);
  }

  /**
   * @internal An artifact's bytes as written by its handler (see `Experiment.artifactBytes`);
   * `undefined` when there is no such artifact.
   */
  artifactBytes(name: string): Promise<{ record: ArtifactRecord; data: Uint8Array } | undefined> {
    return this.#artifactSet.bytes(this.describe(), name, () => this.artifactLocation());
  }

  /** @internal */
  protected override artifactRecords(): ArtifactRecord[] {
    return this.#artifacts;
  }

  /** @internal */
  protected override hasArtifactRecords(): boolean {
    return this.#artifactList !== undefined && this.#artifactList.length > 0;
  }

  /** @internal */
  protected override loadSavedHistory(): Promise<unknown> {
    return this.#artifactSet.load(
      this.describe(),
      METRIC_HISTORY_ARTIFACT,
      () => this.artifactLocation(),
      {},
    );
  }

  /**
   * @internal Makes the test one of `parent`'s: its artifacts go in the experiment's folder
   * and, unless the test is read-only, its events go where the experiment's go.
   */
  joinExperiment(parent: TestParent): void {
    this.#parent = parent;
  }

  /** @internal Where this test's events go: its experiment's sink (none when read-only). */
  get sink(): EventSink | undefined {
    return this.readOnly ? undefined : this.#parent?.sink;
  }

  /**
   * @internal The artifact files to write on save, the metric history's included, emitted one
   * by one, at once unless a saved metric history has to be read first.
   */
  pendingArtifactWrites$(): Observable<ArtifactWrite> {
    const writes =
      this.#artifactSetData?.writes(
        () => this.describe(),
        () => this.artifactLocation(),
      ) ?? [];
    return artifactWrites$(writes, [this.historyWrites$(() => this.artifactLocation().folder)]);
  }

  private artifactLocation(): ArtifactLocation {
    if (this.#parent === undefined) {
      throw new LazyscribeError(
        `${this.describe()} belongs to no experiment, so its artifacts have no folder`,
      );
    }
    return testArtifactLocation(this, this.#parent.tests, this.#parent.artifactLocation());
  }

  /**
   * The test as Python lazyscribe writes it: a deep copy the caller owns, as Python's
   * `to_dict()` gives, so that changing it can never change the test nor drift with it.
   * Its whole floats are in `floatMarks`.
   */
  toJSON(): TestRecord {
    return copyJson(this.toRecord());
  }

  /**
   * @internal The record that is written, sharing this test's data (no copy). Its keys are in
   * the file's (sorted) order when it holds no keys beyond lazyscribe's.
   */
  toRecord(): TestRecord {
    const record: TestRecord = {
      artifacts: this.#artifacts,
      description: this.description,
      metrics: this.metricsData,
      name: this.name,
      parameters: this.parametersData,
    };
    return hasOwnKeys(this.extraData) ? { ...this.extraData, ...record } : record;
  }

  /** A read-only copy of this test (for experiments of "r" and "a" projects). */
  asReadOnly(): Test {
    if (this.readOnly) return this;
    return new Test({ ...this.init(), readOnly: true });
  }

  /** A writable deep copy of this test. */
  copy(): Test {
    const record = copyJson(this.toRecord());
    return new Test({
      name: record.name,
      description: record.description,
      metrics: record.metrics,
      parameters: record.parameters,
      artifacts: record.artifacts,
      extra: copyJson(this.extraData),
      floatMarks: this.ownMarks,
      pendingArtifacts: this.#artifactSet.pendingByIndex(),
      history: this.historyCopy(),
    });
  }

  private init(): TestInit {
    return {
      name: this.name,
      description: this.description,
      metrics: this.metricsData,
      parameters: this.parametersData,
      artifacts: this.#artifacts,
      extra: this.extraData,
      floatMarks: this.ownMarks,
      pendingArtifacts: this.#artifactSet.pendingByIndex(),
      history: this.historyCopy(),
    };
  }

  /** @internal What `console.log` shows: what was logged, not the internals. */
  [INSPECT](depth: number, options: InspectOptions, inspect: InspectFunction): string {
    const fields: Record<string, unknown> = {
      name: this.name,
      description: this.description,
      metrics: this.metricsData,
      parameters: this.parametersData,
    };
    if (this.#artifacts.length > 0) fields.artifacts = this.#artifacts.map((a) => a.name);
    return inspectFields("Test", this.name, fields, depth, options, inspect);
  }

  protected override touch(): void {}

  protected override source(): EventSource | undefined {
    const parent = this.readOnly ? undefined : this.#parent;
    return parent === undefined
      ? undefined
      : { experiment: parent.name, slug: parent.slug, test: this.name };
  }

  protected override describe(): string {
    return `test "${this.name}"`;
  }
}
