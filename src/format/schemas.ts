/**
 * The zod schemas of the files Python lazyscribe 2.2.1 reads and writes: the only definition
 * of their records. Every record type is inferred from its schema (`z.input` is the record as
 * written, `z.output` as read, with Python's defaults and decoded timestamps), and the lists
 * of known keys come from the schemas' shapes.
 *
 * Records are loose objects: keys the code does not know are kept and written back.
 *
 * @module
 */
import { z } from "zod";
import { TimestampSchema, TimestampTextSchema } from "./timestamps.js";

/**
 * A JSON number as Python writes it: `NaN` and the infinities included (zod's `z.number()`
 * refuses them).
 */
const PyNumberSchema = z.custom<number>((value) => typeof value === "number", {
  message: "expected a number",
});

/**
 * A JSON scalar as a file may hold it: a number, an integer beyond 2**53 read exactly (a
 * `bigint`), a string, a boolean or null.
 */
export const JsonScalarSchema = z.union([
  PyNumberSchema,
  z.string(),
  z.boolean(),
  z.null(),
  z.bigint(),
]);
/** A JSON scalar as a file may hold it. */
export type JsonScalar = z.infer<typeof JsonScalarSchema>;

/**
 * Any JSON value. TypeScript cannot infer a type that refers to itself through a union, so
 * the recursion is spelled here once, over the inferred scalars, and the schema is checked
 * against it.
 */
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/** Schema of any JSON value, arrays and objects nested to any depth. */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union(
    [...JsonScalarSchema.options, z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)],
    {
      error: "expected a JSON value",
    },
  ),
);

/** A metric value as a file may hold it: a scalar, or a (possibly nested) list of scalars. */
export type MetricValue = JsonScalar | MetricValue[];

/** Schema of a metric value. */
export const MetricValueSchema: z.ZodType<MetricValue> = z.lazy(() =>
  z.union([...JsonScalarSchema.options, z.array(MetricValueSchema)], {
    error: "expected a number, a string, a boolean, null or a list of those",
  }),
);

function isJsonScalar(value: unknown): boolean {
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
    case "bigint":
      return true;
    default:
      return value === null;
  }
}

/** Whether `value` passes {@link MetricValueSchema} (held to it by a property test). */
export function isMetricValue(value: unknown): value is MetricValue {
  if (isJsonScalar(value)) return true;
  if (!Array.isArray(value)) return false;
  // Loops rather than `everyItem`: opening a project checks every value of every record.
  for (let i = 0; i < value.length; i++) if (!isMetricValue(value[i])) return false;
  return true;
}

/** Whether `value` passes {@link JsonValueSchema} (held to it by a property test). */
export function isJsonValue(value: unknown): value is JsonValue {
  if (isJsonScalar(value)) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isJsonValue(value[i])) return false;
    return true;
  }
  if (!isPlainRecord(value)) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (!isJsonValue(value[keys[i] as string])) return false;
  }
  return true;
}

/** `Array.prototype.every` skips the holes of a sparse array; a hole is `undefined` here. */
export function everyItem(items: unknown[], check: (item: unknown) => boolean): boolean {
  for (let i = 0; i < items.length; i++) if (!check(items[i])) return false;
  return true;
}

/** Whether `check` holds for every own enumerable value of `record`. */
export function everyValue(
  record: Record<string, unknown>,
  check: (item: unknown) => boolean,
): boolean {
  for (const key of Object.keys(record)) if (!check(record[key])) return false;
  return true;
}

/** Whether `value` is a plain object (of `Object.prototype` or none), not an array. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * An object of `name -> value` checked by `valueSchema`, kept as it is: the same objects and
 * arrays, not zod's copies, so that the whole-float marks the JSON reader keeps by container
 * stay valid. Opening a project checks every value of every record, so a value that
 * `isValue` (the schema's verdict, computed directly) accepts is not run through zod; one it
 * refuses is, and zod's issues, with their paths, are reported.
 */
function recordCheckedInPlace<T>(valueSchema: z.ZodType<T>, isValue: (value: unknown) => boolean) {
  const schema = z.record(z.string(), valueSchema);
  return z.custom<Record<string, T>>().superRefine((value, ctx) => {
    if (isPlainRecord(value) && everyValue(value, isValue)) return;
    const result = schema.safeParse(value);
    for (const issue of result.error?.issues ?? []) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }
  });
}

/** Schema of a metrics object: metric name to metric value (kept as read). */
export const MetricsSchema = recordCheckedInPlace(MetricValueSchema, isMetricValue);

/** Schema of a parameters object: parameter name to any JSON value (kept as read). */
export const ParametersSchema = recordCheckedInPlace(JsonValueSchema, isJsonValue);

/** The metadata of one artifact, as lazyscribe writes it (handlers may add their own keys). */
export const ArtifactRecordSchema = z.looseObject({
  /** The artifact's name. */
  name: z.string(),
  /** Its file name, relative to its experiment's (or test's, or repository artifact's) folder. */
  fname: z.string(),
  /** The alias of the handler that wrote it (`"json"`, `"v8"`, Python's `"pickle"`...). */
  handler: z.string(),
  /**
   * When the artifact was logged (UTC), as Python writes it: `2024-03-01T10:15:30`, no fraction, no
   * offset.
   */
  created_at: TimestampTextSchema,
  /**
   * The artifact's version: 0 in an experiment; in a repository, one more than the highest version
   * of the same name when it was logged or promoted there. May be missing (read as is).
   */
  version: z.number().int().nonnegative().optional(),
  /**
   * When the artifact expires (UTC), or `null`; may be missing. Python keeps an expiry read from
   * a file as its text, and writes it back unchanged.
   */
  expiry: z
    .string()
    .refine((text) => TimestampSchema.safeDecode(text).success, {
      error: (issue) =>
        `"${String(issue.input)}" is not a valid ISO 8601 timestamp (an expiry reads like 2024-03-01T10:15:30)`,
    })
    .nullable()
    .optional(),
});
/** The metadata of one artifact. */
export type ArtifactRecord = z.infer<typeof ArtifactRecordSchema>;

/** One test of an experiment, as lazyscribe writes it: every key present. */
export const TestRecordSchema = z.looseObject({
  /** The test's name. */
  name: z.string().min(1, "a test needs a name"),
  /** What the test covers (a sub-population, a slice of the data...), or `null`. */
  description: z.string().nullable(),
  /** The test's metrics: metric name to value, as logged. */
  metrics: MetricsSchema,
  /** The test's parameters: parameter name to any JSON value, as logged. */
  parameters: ParametersSchema,
  /** The metadata of the test's artifacts, in the order they were logged. */
  artifacts: z.array(ArtifactRecordSchema),
});
/** One test of an experiment, as it is written. */
export type TestRecord = z.input<typeof TestRecordSchema>;

/** One test as a file may hold it: the keys older files lack get Python's defaults. */
export const StoredTestSchema = TestRecordSchema.extend({
  /** What the test covers, or `null` (Python's default when the key is missing). */
  description: TestRecordSchema.shape.description.default(null),
  /** The test's metrics; `{}` when the key is missing. */
  metrics: MetricsSchema.default(() => ({})),
  /** The test's parameters; `{}` when the key is missing. */
  parameters: ParametersSchema.default(() => ({})),
  /** The metadata of the test's artifacts; `[]` when the key is missing. */
  artifacts: TestRecordSchema.shape.artifacts.default(() => []),
});
/** One test as read from a file. */
export type StoredTest = z.output<typeof StoredTestSchema>;

/** One experiment as lazyscribe writes it: every key present, timestamps as text. */
export const ExperimentRecordSchema = z.looseObject({
  /** The experiment's name. */
  name: z.string().min(1, "an experiment needs a name"),
  /** Who created it. */
  author: z.string(),
  /** Who changed it last; the author until someone else changes it. */
  last_updated_by: z.string(),
  /** The experiment's metrics: metric name to value (a number, or whatever Python logged). */
  metrics: MetricsSchema,
  /** The experiment's parameters: parameter name to any JSON value. */
  parameters: ParametersSchema,
  /** When it was created (UTC), written like `2024-03-01T10:15:30`; part of its slug. */
  created_at: TimestampSchema,
  /** When it was last changed (UTC); the newest wins in a merge. */
  last_updated: TimestampSchema,
  /**
   * The upstream experiments it depends on, each as `"<project>|<slug>"`: the path of the upstream
   * project file and the slug of the experiment in it.
   */
  dependencies: z.array(z.string().regex(/^[^|]*\|[^|]+$/, 'expected "<project>|<slug>"')),
  /** The slug of its name alone (`my-experiment`); the key of a dependency on it. */
  short_slug: z.string(),
  /**
   * The slug of its name and creation time (`my-experiment-20240301101530`): its identity in the
   * project.
   */
  slug: z.string(),
  /** Its tests (metrics on a sub-population), in the order they were logged. */
  tests: z.array(TestRecordSchema),
  /** The metadata of its artifacts, in the order they were logged. */
  artifacts: z.array(ArtifactRecordSchema),
  /** Its tags, for filtering experiments across a project. */
  tags: z.array(z.string()),
});
/** One experiment as lazyscribe writes it. */
export type ExperimentRecord = z.input<typeof ExperimentRecordSchema>;

/**
 * One experiment as a file may hold it: `last_updated_by` and the slugs may be missing from
 * older files (they are derived), the lists and objects get Python's defaults, and the
 * timestamps are decoded.
 */
export const StoredExperimentSchema = ExperimentRecordSchema.extend({
  /** Who changed it last; missing from older files, then the author. */
  last_updated_by: z.string().optional(),
  /** The slug of its name alone; missing from older files, then derived from the name. */
  short_slug: z.string().optional(),
  /** The slug of its name and creation time: its identity in the project. */
  slug: z.string().optional(),
  /** The experiment's metrics; `{}` when the key is missing. */
  metrics: MetricsSchema.default(() => ({})),
  /** The experiment's parameters; `{}` when the key is missing. */
  parameters: ParametersSchema.default(() => ({})),
  /** Its upstream experiments as `"<project>|<slug>"`; `[]` when the key is missing. */
  dependencies: ExperimentRecordSchema.shape.dependencies.default(() => []),
  /** Its tests, each with Python's defaults; `[]` when the key is missing. */
  tests: z.array(StoredTestSchema).default(() => []),
  /** The metadata of its artifacts; `[]` when the key is missing. */
  artifacts: ExperimentRecordSchema.shape.artifacts.default(() => []),
  /** Its tags; `[]` when the key is missing. */
  tags: ExperimentRecordSchema.shape.tags.default(() => []),
});
/** One experiment as read from a file. */
export type StoredExperiment = z.output<typeof StoredExperimentSchema>;

/** The keys lazyscribe writes in an experiment record; any other key is kept as extra. */
export const EXPERIMENT_KEYS: ReadonlySet<string> = new Set(ExperimentRecordSchema.keyof().options);

/** The keys lazyscribe writes in a test record; any other key is kept as extra. */
export const TEST_KEYS: ReadonlySet<string> = new Set(TestRecordSchema.keyof().options);

/** The keys lazyscribe writes in an artifact record; a handler's facts cannot use them. */
export const ARTIFACT_KEYS: ReadonlySet<string> = new Set(ArtifactRecordSchema.keyof().options);
