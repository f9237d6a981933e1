/**
 * A project file's record made into an {@link Experiment} (with its {@link Test}s), unknown
 * keys kept aside so that they are written back.
 *
 * @module
 */
import {
  EXPERIMENT_KEYS,
  type StoredExperiment,
  type StoredTest,
  TEST_KEYS,
} from "../format/schemas.js";
import type { Dependency } from "../model/experiment.js";
import { Experiment } from "../model/experiment.js";
import { Test } from "../model/test.js";
import { setOwn } from "../own.js";
import type { StorageOptions } from "../storage/index.js";

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
 * Timestamps arrive decoded: the file schema refused a bad one, naming the file, record and field.
 */
export function experimentFromRecord(record: StoredExperiment, context: RecordContext): Experiment {
  return new Experiment({
    name: record.name,
    project: context.fpath,
    author: record.author,
    lastUpdatedBy: record.last_updated_by,
    metrics: record.metrics,
    parameters: record.parameters,
    createdAt: record.created_at,
    lastUpdated: record.last_updated,
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

function testFromRecord(record: StoredTest, readOnly: boolean): Test {
  return new Test({
    name: record.name,
    description: record.description,
    metrics: record.metrics,
    parameters: record.parameters,
    artifacts: record.artifacts,
    extra: pickExtra(record, TEST_KEYS),
    readOnly,
  });
}
