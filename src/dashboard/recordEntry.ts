/**
 * One experiment as the dashboard holds it: what it needs to order and merge it, its compact
 * summary row as JSON text (the experiments table), and its full record as JSON text, kept, or made
 * again from the file's text each time it is asked for. A record read from a file in
 * Python's layout keeps that text, so that a new version of the file is compared with it
 * record by record.
 *
 * @module
 */
import { raiseIssue } from "../format/projectFile.js";
import { readProjectRecord } from "../format/pyjson/index.js";
import {
  type ExperimentRecord,
  type StoredExperiment,
  StoredExperimentSchema,
} from "../format/schemas.js";
import { compactTimestamp, parseTimestamp } from "../format/timestamps.js";
import { writtenRecord } from "../format/writtenRecord.js";
import { Experiment } from "../model/experiment.js";
import { experimentFromRecord } from "../project/fromRecord.js";
import type { Ordered } from "../project/order.js";
import { experimentSlug, slugify } from "../slug/slug.js";
import type { StorageOptions } from "../storage/index.js";
import { sortedJson, toJson } from "./json.js";
import type { SummaryNames } from "./summaryNames.js";

/** A JSON scalar as the summary holds it. */
export type SummaryScalar = number | string | boolean | bigint | null;

/**
 * One row of the experiments table as the page uses it, made back from a {@link CompactRow}:
 * the experiment's fields, its scalar metrics and scalar parameters (a list or object value
 * is left out: see the full record), and how many tests and artifacts it has.
 */
export interface SummaryRow {
  readonly slug: string;
  readonly short_slug: string;
  readonly name: string;
  readonly author: string;
  readonly last_updated_by: string;
  readonly created_at: string;
  readonly last_updated: string;
  readonly tags: readonly string[];
  /** How many tests it has. */
  readonly tests: number;
  /** How many artifacts it has (its tests' aside). */
  readonly artifacts: number;
  readonly metrics: Readonly<Record<string, SummaryScalar>>;
  /**
   * The names of the metrics left out of `metrics` (a list or an object value), in the
   * record's order: the table shows them as columns, and a page fetches the full record to
   * draw a list as a curve.
   */
  readonly other_metrics: readonly string[];
  readonly parameters: Readonly<Record<string, SummaryScalar>>;
}

/**
 * A {@link SummaryRow} as `/api/summary` and the revisions send it: its fields by position,
 * and its metrics and parameters as flat lists of (name's index, value) pairs, the indexes
 * into the lists of `SummaryNames` (`other_metrics`: indexes into the metric names):
 * `[slug, short_slug, name, author, last_updated_by, created_at, last_updated, tags, tests,
 * artifacts, metrics, other_metrics, parameters]`. At 50,000 experiments it is 60% of the
 * size of the rows as objects, and a browser reads it three times as fast.
 */
export type CompactRow = readonly [
  slug: string,
  short_slug: string,
  name: string,
  author: string,
  last_updated_by: string,
  created_at: string,
  last_updated: string,
  tags: readonly string[],
  tests: number,
  artifacts: number,
  metrics: readonly (number | SummaryScalar)[],
  other_metrics: readonly number[],
  parameters: readonly (number | SummaryScalar)[],
];

const isScalar = (value: unknown): boolean => value === null || typeof value !== "object";

/** The scalar values of `values` as (index, value) pairs, `index` naming each key. */
function scalarPairs(
  values: Record<string, unknown>,
  index: (name: string) => number,
): (number | SummaryScalar)[] {
  const pairs: (number | SummaryScalar)[] = [];
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (isScalar(value)) pairs.push(index(key), value as SummaryScalar);
  }
  return pairs;
}

function rowOf(record: ExperimentRecord, names: SummaryNames): CompactRow {
  const metric = (name: string) => names.metric(name);
  return [
    record.slug,
    record.short_slug,
    record.name,
    record.author,
    record.last_updated_by,
    record.created_at,
    record.last_updated,
    record.tags,
    record.tests.length,
    record.artifacts.length,
    scalarPairs(record.metrics, metric),
    Object.keys(record.metrics)
      .filter((key) => !isScalar(record.metrics[key]))
      .map(metric),
    scalarPairs(record.parameters, (name) => names.parameter(name)),
  ];
}

/**
 * The record a validated stored experiment gives: what `experiment.toJSON()` gives for the
 * experiment the core makes of it (Python's defaults, the derived slugs, timestamps as their
 * written text), its keys in the same order. Its values are the stored experiment's own.
 */
export function recordOf(stored: StoredExperiment): ExperimentRecord {
  const {
    name,
    author,
    last_updated_by,
    metrics,
    parameters,
    created_at,
    last_updated,
    dependencies,
    short_slug,
    slug,
    tests,
    artifacts,
    tags,
    ...extra
  } = stored;
  const nameSlug = short_slug === undefined || slug === undefined ? slugify(name) : "";
  return {
    ...extra,
    name,
    author,
    last_updated_by: last_updated_by ?? author,
    metrics,
    parameters,
    created_at: created_at.text,
    last_updated: last_updated.text,
    dependencies,
    short_slug: short_slug ?? nameSlug,
    slug: slug ?? experimentSlug(nameSlug, compactTimestamp(created_at)),
    tests: tests.map(({ name, description, metrics, parameters, artifacts, ...extra }) => ({
      ...extra,
      name,
      description,
      metrics,
      parameters,
      artifacts,
    })),
    artifacts,
    tags,
  };
}

/**
 * Validates record `index` of `file` against the project file's schema: directly when it is in
 * the form lazyscribe writes (`writtenRecord`, as the core's open does), else by zod, which
 * fills in the defaults or explains the refusal.
 *
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function validateRecord(value: unknown, file: string, index: number): StoredExperiment {
  const written = writtenRecord(value);
  if (written !== undefined) return written;
  const result = StoredExperimentSchema.safeParse(value);
  if (!result.success) raiseIssue(result.error.issues, file, index);
  return result.data;
}

/** One experiment of the dashboard's view. */
export class RecordEntry implements Ordered {
  readonly slug: string;
  readonly shortSlug: string;
  readonly createdAt: Date;
  readonly lastUpdated: Date;
  /** The summary row, compact (see {@link CompactRow}), as JSON. */
  readonly rowJson: string;
  /**
   * The record's text in the project file (Python's layout), or `undefined`. A new version
   * of the file with the same text hands its own copy over, so that the old file is freed.
   */
  text: string | undefined;
  readonly #json: string | undefined;
  /** Where the experiment comes from when there is no file text: its stored record, or itself. */
  readonly #origin: StoredExperiment | Experiment | undefined;

  private constructor(
    record: ExperimentRecord,
    names: SummaryNames,
    times: Ordered,
    text: string | undefined,
    plain = false,
    origin?: StoredExperiment | Experiment,
  ) {
    this.#origin = origin;
    this.slug = record.slug;
    this.shortSlug = record.short_slug;
    this.createdAt = times.createdAt;
    this.lastUpdated = times.lastUpdated;
    this.rowJson = toJson(rowOf(record, names), plain);
    this.text = text;
    if (text === undefined) this.#json = toJson(record);
  }

  /**
   * The entry of a record's text in a file in Python's layout. The full record is not kept:
   * its JSON is made again from the text whenever it is asked for.
   *
   * @throws PyJsonSyntaxError when `text` is not JSON (its position is within `text`).
   * @throws ValidationError naming `file`, `index` and the field.
   */
  static fromText(text: string, file: string, index: number, names: SummaryNames): RecordEntry {
    const { value, plain } = readProjectRecord(text);
    const stored = validateRecord(value, file, index);
    return new RecordEntry(recordOf(stored), names, timesOf(stored), text, plain);
  }

  /** The entry of a record read and validated some other way (a file in another layout). */
  static fromStored(stored: StoredExperiment, names: SummaryNames): RecordEntry {
    return new RecordEntry(recordOf(stored), names, timesOf(stored), undefined, false, stored);
  }

  /** The entry of an experiment of this process, as it stands now. */
  static fromExperiment(experiment: Experiment, names: SummaryNames): RecordEntry {
    const record = experiment.toRecord();
    // Ordered by the times its record writes (to the second), as its entry read back from the
    // file will be: the experiment's own times hold milliseconds the file does not.
    const times = {
      slug: record.slug,
      createdAt: parseTimestamp(record.created_at),
      lastUpdated: parseTimestamp(record.last_updated),
    };
    return new RecordEntry(record, names, times, undefined, false, experiment);
  }

  /**
   * The experiment itself, read-only, for what only an `Experiment` can do (read its
   * artifacts, its metric history): the one of this process, or one built from the record
   * (`fpath` and `storageOptions` locate its artifact files).
   */
  experiment(fpath: string, storageOptions: StorageOptions): Experiment {
    if (this.#origin instanceof Experiment) return this.#origin;
    const stored = this.#origin ?? storedOf(readProjectRecord(this.text ?? "").value);
    // Read-only, never written: its whole floats' marks are not needed.
    return experimentFromRecord(stored, undefined, 0, {
      fpath,
      readOnly: true,
      storageOptions,
      resolve: () => Promise.resolve([]),
    });
  }

  /**
   * Whether `other` holds the same record: the same JSON, or JSON that differs only in the
   * order of keys (a file sorts them; an experiment of this process keeps them as logged).
   */
  sameRecord(other: RecordEntry): boolean {
    const json = this.json();
    const otherJson = other.json();
    return json === otherJson || sortedJson(json) === sortedJson(otherJson);
  }

  /**
   * The full record (what `experiment.toJSON()` gives), as JSON: kept for a record without a
   * file text, made from the text when asked for otherwise.
   */
  json(): string {
    if (this.#json !== undefined || this.text === undefined) return this.#json ?? "";
    // Made again each time rather than kept: the file's text is held anyway, and a copy of
    // every record as JSON would add half the file's size to the server's memory.
    const { value, plain } = readProjectRecord(this.text);
    return toJson(recordOf(storedOf(value)), plain);
  }
}

/** A record already validated once: the fast path, else zod. */
function storedOf(value: unknown): StoredExperiment {
  return writtenRecord(value) ?? StoredExperimentSchema.parse(value);
}

function timesOf(stored: StoredExperiment): Ordered {
  return {
    slug: stored.slug ?? "",
    createdAt: stored.created_at.date,
    lastUpdated: stored.last_updated.date,
  };
}
