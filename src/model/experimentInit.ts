/**
 * What an experiment is made from and the options of its methods, apart from the class so
 * that `experiment.ts` holds behaviour only. The types are generic in the experiment class
 * (`experiment.ts` fixes them as `ExperimentInit` and `Dependency`), which keeps this module
 * free of an import back.
 *
 * @module
 */
import type { PendingArtifacts } from "../artifacts/collection.js";
import type { FloatMarks } from "../format/pyjson/index.js";
import type { ArtifactRecord, JsonValue, MetricValue } from "../format/schemas.js";
import type { Timestamp } from "../format/timestamps.js";
import type { StorageOptions } from "../storage/storage.js";
import type { MetricHistory } from "./metricHistory.js";
import type { Test } from "./test.js";

/** An upstream experiment (`E`) and the `"<project>|<slug>"` reference written for it. */
export interface UpstreamDependency<E> {
  /** The project part of the reference: a project path or a registry key. */
  readonly project: string;
  /** The upstream experiment. */
  readonly experiment: E;
}

/**
 * Dependencies read from a file and not resolved yet: the references as written, and how to
 * resolve them (on demand, never when the file is opened).
 */
export interface UnresolvedDependencies<E = unknown> {
  /** The `"<project>|<slug>"` references, as the file has them. */
  readonly refs: readonly string[];
  /** Opens what the references name and finds their experiments. */
  resolve(): Promise<UpstreamDependency<E>[]>;
}

/**
 * What an experiment (`E`, whose upstream experiments are of the same kind) is made from.
 * Everything but `name` has Python's default.
 */
export interface ExperimentInitOf<E> {
  readonly name: string;
  /** The project file the experiment belongs to; its folder holds the experiment's folder. */
  readonly project?: string;
  /** The author; defaults to the OS user name. */
  readonly author?: string;
  readonly lastUpdatedBy?: string;
  readonly metrics?: Record<string, MetricValue>;
  readonly parameters?: Record<string, JsonValue>;
  /** When the experiment was created: a `Date`, or a timestamp as a file holds it. */
  readonly createdAt?: Date | Timestamp;
  /** When the experiment last changed: a `Date`, or a timestamp as a file holds it. */
  readonly lastUpdated?: Date | Timestamp;
  readonly dependencies?: readonly UpstreamDependency<E>[];
  /** @internal References read from a file, resolved by `loadDependencies()`. */
  readonly unresolvedDependencies?: UnresolvedDependencies<E> | undefined;
  readonly shortSlug?: string;
  readonly slug?: string;
  readonly tags?: string[];
  readonly tests?: Test[];
  readonly artifacts?: ArtifactRecord[];
  /** Keys lazyscribe does not know, written back unchanged. */
  readonly extra?: Record<string, unknown>;
  /**
   * Where the record made of these values holds whole floats (`1.0`), shaped like the record
   * `toJSON()` gives (see `FloatMarks`); the marks under `tests` are ignored (each test takes
   * its own).
   */
  readonly floatMarks?: FloatMarks | undefined;
  /** Whether every change must be refused (experiments of "r" and "a" projects). */
  readonly readOnly?: boolean;
  /** Whether the experiment has changes that are not saved yet (new ones do). */
  readonly dirty?: boolean;
  /** Options of the storage backend its artifact files are read and written with. */
  readonly storageOptions?: StorageOptions;
  /** @internal Artifacts logged but not saved yet, by their index in `artifacts` (for copies). */
  readonly pendingArtifacts?: PendingArtifacts;
  /** @internal The metric history (for copies). */
  readonly history?: MetricHistory | undefined;
}

/** Options of `Experiment.tag`. */
export interface TagOptions {
  /** Replace the existing tags instead of adding to them. */
  readonly overwrite?: boolean;
}

/** Options of `Experiment.logTest`. */
export interface LogTestOptions {
  /** What the test measures. */
  readonly description?: string | null;
}
