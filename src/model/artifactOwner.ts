/**
 * The artifacts of an experiment: their records, and logging, loading and promoting them.
 * The base of `Experiment`, which says where its artifact folder is.
 *
 * @module
 */
import {
  type ArtifactLocation,
  ArtifactSet,
  type LoadArtifactOptions,
  type LogArtifactOptions,
  type PendingArtifacts,
  type PromotionTarget,
} from "../artifacts/collection.js";
import type { ArtifactWrite } from "../artifacts/io.js";
import { METRIC_HISTORY_ARTIFACT } from "../format/metricHistoryFile.js";
import { type FloatMarks, marksAt } from "../format/pyjson/index.js";
import type { ArtifactRecord, JsonValue, MetricValue } from "../format/schemas.js";
import { Loggable } from "./loggable.js";
import type { MetricHistory } from "./metricHistory.js";
import { readOnlyView } from "./readonly.js";

/** Metrics, parameters and artifacts: what an experiment logs. */
export abstract class ArtifactOwner extends Loggable {
  /** The artifact records, as the file holds them; made on first use (most have none). */
  #artifacts: ArtifactRecord[] | undefined;
  /** The artifacts' bookkeeping; made on first use (most experiments and tests have none). */
  #artifactSetData: ArtifactSet | undefined;

  protected constructor(
    metrics: Record<string, MetricValue> | undefined,
    parameters: Record<string, JsonValue> | undefined,
    extra: Record<string, unknown>,
    readOnly: boolean,
    artifacts: ArtifactRecord[] | undefined,
    pendingArtifacts: PendingArtifacts | undefined,
    history: MetricHistory | undefined,
    marks: FloatMarks | undefined,
  ) {
    super(metrics, parameters, extra, readOnly, history, marks);
    this.#artifacts = artifacts;
    if (pendingArtifacts !== undefined) {
      this.#artifactSetData = new ArtifactSet(this.artifactsData, pendingArtifacts);
    }
  }

  /** @internal The artifact records, as the file holds them (written to), made on first use. */
  protected get artifactsData(): ArtifactRecord[] {
    this.#artifacts ??= [];
    return this.#artifacts;
  }

  /**
   * @internal The files of the artifacts logged since the last save (see `ArtifactSet.writes`):
   * none, and no bookkeeping made, when no artifact was logged.
   */
  protected artifactFileWrites(location: () => ArtifactLocation): ArtifactWrite[] {
    return this.#artifactSetData?.writes(() => this.describe(), location) ?? [];
  }

  /** @internal The artifacts' bookkeeping, made on first use. */
  protected get artifactSet(): ArtifactSet {
    this.#artifactSetData ??= new ArtifactSet(this.artifactsData);
    return this.#artifactSetData;
  }

  /** The metadata of the experiment's artifacts. */
  get artifacts(): readonly ArtifactRecord[] {
    return this.readOnly ? readOnlyView(this.artifactsData) : this.artifactsData;
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
   *   unknown handler, a file name that would leave the folder (`../`, absolute, NUL), a
   *   value the handler cannot write, or the name `"metric-history"` (the metric history's).
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
    this.assertNotHistoryArtifact(name, options.fname);
    const record = this.artifactSet.log(this.describe(), name, value, handler, options, () =>
      this.artifactLocation(),
    );
    this.forgetArtifactMarks(record);
    this.touch();
    return this;
  }

  /**
   * Loads an artifact's value: from its file (or, before the project is saved, from what was
   * logged). `"metric-history"` gives the metric history, as Python reads it.
   *
   * @param options - `validate` (default true: check the runtime facts the handler recorded,
   *   such as the Node major version), and reader options for the handler.
   * @throws ArtifactLoadError when there is no artifact of that name, its handler is not
   *   registered in this runtime (the message names it: Python's `"pickle"`, say), the runtime
   *   facts differ, or its file is missing.
   */
  loadArtifact(name: string, options: LoadArtifactOptions = {}): Promise<unknown> {
    if (name === METRIC_HISTORY_ARTIFACT) {
      const unsaved = this.unsavedHistory();
      if (unsaved !== undefined) return unsaved;
    }
    return this.artifactSet.load(this.describe(), name, () => this.artifactLocation(), options);
  }

  /** @internal */
  protected override artifactRecords(): ArtifactRecord[] {
    return this.artifactsData;
  }

  /** @internal */
  protected override hasArtifactRecords(): boolean {
    return this.#artifacts !== undefined && this.#artifacts.length > 0;
  }

  /** @internal */
  protected override loadSavedHistory(): Promise<unknown> {
    return this.artifactSet.load(
      this.describe(),
      METRIC_HISTORY_ARTIFACT,
      () => this.artifactLocation(),
      {},
    );
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
  promoteArtifact(repository: PromotionTarget, name: string): Promise<void> {
    return this.artifactSet.promote(
      this.describe(),
      name,
      repository,
      () => this.artifactLocation(),
      (record) => marksAt(this.ownMarks, ["artifacts", this.artifactsData.indexOf(record)]),
    );
  }

  /**
   * @internal An artifact's bytes as written by its handler (pending data before the project
   * is saved), for the dashboard's download; `undefined` when there is no such artifact.
   * @throws ArtifactLoadError when its file is missing or cannot be read.
   */
  artifactBytes(name: string): Promise<{ record: ArtifactRecord; data: Uint8Array } | undefined> {
    return this.artifactSet.bytes(this.describe(), name, () => this.artifactLocation());
  }

  /**
   * @internal The artifact folder and storage options.
   * @throws LazyscribeError when the folder cannot be named.
   */
  abstract artifactLocation(): ArtifactLocation;
}
