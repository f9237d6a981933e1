/**
 * A project file's record made into an {@link Experiment} (with its {@link Test}s), unknown
 * keys kept aside so that they are written back.
 *
 * @module
 */
import type { ExperimentInput, TestRecord } from "../format/schemas.js";
import { parseTimestampAt } from "../format/timestamps.js";
import type { Dependency } from "../model/experiment.js";
import { Experiment } from "../model/experiment.js";
import { TEST_KEYS, Test } from "../model/test.js";
import { setOwn } from "../own.js";
import type { StorageOptions } from "../storage/index.js";

/** The keys of an experiment record that Python lazyscribe knows. */
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

/** Where a record comes from and what its experiment is made with. */
export interface RecordContext {
  /** The project file (for the experiment, and for error messages). */
  readonly fpath: string;
  /** The record's index in the file (for error messages). */
  readonly index: number;
  /** The resolved upstream experiments. */
  readonly dependencies: readonly Dependency[];
  /** Whether the experiment (and its tests) are read-only. */
  readonly readOnly: boolean;
  readonly storageOptions: StorageOptions;
}

/**
 * The experiment a file's record describes, not dirty.
 *
 * @throws ValidationError when a timestamp is not valid (naming the file, record and field).
 */
export function experimentFromRecord(record: ExperimentInput, context: RecordContext): Experiment {
  const at = (field: "created_at" | "last_updated") =>
    parseTimestampAt(record[field], { file: context.fpath, record: context.index, path: [field] });
  return new Experiment({
    name: record.name,
    project: context.fpath,
    author: record.author,
    lastUpdatedBy: record.last_updated_by,
    metrics: record.metrics,
    parameters: record.parameters,
    createdAt: at("created_at"),
    lastUpdated: at("last_updated"),
    dependencies: context.dependencies,
    shortSlug: record.short_slug,
    slug: record.slug,
    tags: record.tags,
    tests: record.tests.map((test) => testFromRecord(test, context.readOnly)),
    artifacts: record.artifacts,
    extra: pickExtra(record, EXPERIMENT_KEYS),
    readOnly: context.readOnly,
    dirty: false,
    storageOptions: context.storageOptions,
  });
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
