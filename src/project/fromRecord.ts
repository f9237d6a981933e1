/**
 * A project file's record made into an {@link Experiment} (with its {@link Test}s), unknown
 * keys kept aside so that they are written back.
 *
 * @module
 */
import { type FloatMarks, marksAt } from "../format/pyjson/index.js";
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

/** Where a record comes from and how its experiment is made. */
export interface RecordSource {
  /** The project file. */
  readonly fpath: string;
  /** Whether the experiment and its tests are read-only (modes "r" and "a"). */
  readonly readOnly: boolean;
  /** The storage options of its artifact files. */
  readonly storageOptions: StorageOptions;
  /** Resolves the dependency references of record `index` (called on demand only). */
  resolve(refs: readonly string[], index: number): Promise<Dependency[]>;
}

/**
 * The experiment of record `index` of a project file, not dirty, its dependencies left
 * unresolved until they are asked for, with the marks of the record's whole floats (`marks`,
 * as the file had them). Timestamps arrive decoded: the file schema refused a bad one, naming
 * the file, record and field.
 */
export function experimentFromRecord(
  record: StoredExperiment,
  marks: FloatMarks | undefined,
  index: number,
  source: RecordSource,
): Experiment {
  const refs = record.dependencies;
  return new Experiment({
    name: record.name,
    project: source.fpath,
    author: record.author,
    lastUpdatedBy: record.last_updated_by,
    metrics: record.metrics,
    parameters: record.parameters,
    createdAt: record.created_at,
    lastUpdated: record.last_updated,
    unresolvedDependencies: { refs, resolve: () => source.resolve(refs, index) },
    shortSlug: record.short_slug,
    slug: record.slug,
    tags: record.tags,
    tests: record.tests.map((test, i) =>
      testFromRecord(test, marksAt(marks, ["tests", i]), source.readOnly),
    ),
    artifacts: record.artifacts,
    extra: pickExtra(record, EXPERIMENT_KEYS),
    floatMarks: marks,
    readOnly: source.readOnly,
    dirty: false,
    storageOptions: source.storageOptions,
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

function testFromRecord(
  record: StoredTest,
  marks: FloatMarks | undefined,
  readOnly: boolean,
): Test {
  return new Test({
    name: record.name,
    description: record.description,
    metrics: record.metrics,
    parameters: record.parameters,
    artifacts: record.artifacts,
    extra: pickExtra(record, TEST_KEYS),
    floatMarks: marks,
    readOnly,
  });
}
