/**
 * The zod schemas of the files Python lazyscribe 2.2.1 reads and writes. They are the single
 * source of the record types: every type below is inferred from its schema.
 *
 * Records are loose objects: keys the code does not know are kept and written back.
 *
 * @module
 */
import { z } from "zod";
import { isPlainObject } from "../guards.js";

/** Any JSON value (numbers include `NaN` and the infinities, as Python writes them). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Whether `value` is JSON data: null, booleans, numbers, strings, arrays and plain objects. */
export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonValue);
      if (!isPlainObject(value)) return false;
      for (const key of Object.keys(value)) {
        if (!isJsonValue((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Schema of any JSON value. A predicate rather than a union of schemas: a parsed file holds
 * only JSON values, and this check is the hot path of opening a project.
 */
export const JsonValueSchema = z.custom<JsonValue>(isJsonValue, {
  message: "expected a JSON value",
});

/** A scalar metric value: a number (NaN and infinities included), a string, a boolean or null. */
export type MetricScalar = number | string | boolean | null;

/** A metric value as a file may hold it: a scalar, or a (possibly nested) list of scalars. */
export type MetricValue = MetricScalar | MetricValue[];

/** Whether `value` is a metric value as a file may hold it. */
export function isMetricValue(value: unknown): value is MetricValue {
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
      return true;
    case "object":
      return value === null || (Array.isArray(value) && value.every(isMetricValue));
    default:
      return false;
  }
}

/** Schema of a metric value. */
export const MetricValueSchema = z.custom<MetricValue>(isMetricValue, {
  message: "expected a number, a string, a boolean, null or a list of those",
});

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Schema of an object whose values all pass `predicate`. One check loops over the entries
 * (an issue names the bad key), which is much faster than a schema per entry.
 */
function recordOf<T>(predicate: (value: unknown) => value is T, message: string) {
  return z
    .custom<Record<string, T>>(isPlainRecord, { message: "expected an object" })
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!predicate(value[key])) ctx.addIssue({ code: "custom", message, path: [key] });
      }
    });
}

/** Schema of a metrics object: metric name to metric value. */
export const MetricsSchema = recordOf(
  isMetricValue,
  "expected a number, a string, a boolean, null or a list of those",
);

/** Schema of a parameters object: parameter name to any JSON value. */
export const ParametersSchema = recordOf(isJsonValue, "expected a JSON value");

/** `2024-03-01T10:15:30`, as Python's `datetime.isoformat` writes it. */
export const TimestampSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/,
    "expected an ISO 8601 timestamp such as 2024-03-01T10:15:30",
  );

/** The metadata of one artifact, as lazyscribe writes it (handlers may add their own keys). */
export const ArtifactRecordSchema = z.looseObject({
  /** The artifact's name. */
  name: z.string(),
  /** Its file name, relative to its experiment's (or test's, or repository artifact's) folder. */
  fname: z.string(),
  /** The alias of the handler that wrote it (`"json"`, `"v8"`, Python's `"pickle"`...). */
  handler: z.string(),
  /** When it was logged (UTC, to the second). */
  created_at: TimestampSchema,
  /** Its version in a repository (0 for the first); absent on an experiment's artifact. */
  version: z.number().int().nonnegative().optional(),
  /** When a repository version expires, or null. */
  expiry: TimestampSchema.nullable().optional(),
});
/** The metadata of one artifact. */
export type ArtifactRecord = z.infer<typeof ArtifactRecordSchema>;

/** One test of an experiment. */
export const TestRecordSchema = z.looseObject({
  /** The test's name. */
  name: z.string().min(1, "a test needs a name"),
  /** What the test covers (such as a subpopulation), or null. */
  description: z.string().nullable().default(null),
  /** Metric name to value. */
  metrics: MetricsSchema.default(() => ({})),
  /** Parameter name to any JSON value. */
  parameters: ParametersSchema.default(() => ({})),
  /** The test's artifacts' metadata. */
  artifacts: z.array(ArtifactRecordSchema).default(() => []),
});
/** One test of an experiment, as it is written. */
export type TestRecord = z.output<typeof TestRecordSchema>;

/**
 * One experiment, as it is written. `last_updated_by`, the slugs, `dependencies`, `tests`,
 * `artifacts` and `tags` may be missing from older files; they get Python's defaults.
 */
export const ExperimentRecordSchema = z.looseObject({
  /** The experiment's name. */
  name: z.string().min(1, "an experiment needs a name"),
  /** Who created it. */
  author: z.string(),
  /** Who changed it last. */
  last_updated_by: z.string().optional(),
  /** Metric name to value. */
  metrics: MetricsSchema.default(() => ({})),
  /** Parameter name to any JSON value. */
  parameters: ParametersSchema.default(() => ({})),
  /** When it was created (UTC). */
  created_at: TimestampSchema,
  /** When it was last changed (UTC); the newest wins in a merge. */
  last_updated: TimestampSchema,
  /** The experiments it depends on, as `"<project>|<slug>"`. */
  dependencies: z
    .array(z.string().regex(/^[^|]*\|[^|]+$/, 'expected "<project>|<slug>"'))
    .default(() => []),
  /** The slug of its name. */
  short_slug: z.string().optional(),
  /** The slug of its name and creation time: its identity in the project. */
  slug: z.string().optional(),
  /** Its tests. */
  tests: z.array(TestRecordSchema).default(() => []),
  /** Its artifacts' metadata. */
  artifacts: z.array(ArtifactRecordSchema).default(() => []),
  /** Its tags. */
  tags: z.array(z.string()).default(() => []),
});
/** One experiment as read from a file, before defaults are filled in. */
export type ExperimentInput = z.output<typeof ExperimentRecordSchema>;

/** One experiment as lazyscribe writes it: every key present. */
export type ExperimentRecord = ExperimentInput & {
  /** Who changed it last. */
  last_updated_by: string;
  /** The slug of its name. */
  short_slug: string;
  /** The slug of its name and creation time: its identity in the project. */
  slug: string;
};

/** A project file: a list of experiment records. */
export const ProjectFileSchema = z.array(z.unknown());
