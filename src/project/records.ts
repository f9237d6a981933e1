/**
 * Experiments and tests made from the records of a project file, keeping the keys lazyscribe
 * does not know, with their dependencies left unresolved until they are asked for.
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

/** The experiment of record `index` of a project file. */
export function experimentFromRecord(
  record: ExperimentInput,
  index: number,
  source: RecordSource,
): Experiment {
  const timestamp = (text: string, field: string) =>
    parseTimestampAt(text, { file: source.fpath, record: index, path: [field] });
  const refs = record.dependencies;
  return new Experiment({
    name: record.name,
    project: source.fpath,
    author: record.author,
    lastUpdatedBy: record.last_updated_by,
    metrics: record.metrics,
    parameters: record.parameters,
    createdAt: timestamp(record.created_at, "created_at"),
    lastUpdated: timestamp(record.last_updated, "last_updated"),
    unresolvedDependencies: { refs, resolve: () => source.resolve(refs, index) },
    shortSlug: record.short_slug,
    slug: record.slug,
    tags: record.tags,
    tests: record.tests.map((test) => testFromRecord(test, source.readOnly)),
    artifacts: record.artifacts,
    extra: pickExtra(record, EXPERIMENT_KEYS),
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
