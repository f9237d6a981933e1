/**
 * The zod schemas of the files Python lazyscribe 2.2.1 reads and writes. They are the single
 * source of the record types: every type below is inferred from its schema.
 *
 * Records are loose objects: keys the code does not know are kept and written back.
 *
 * @module
 */
import { z } from "zod";

/** A number as Python's `json` reads it: NaN and the infinities included. */
export const PyNumberSchema = z.custom<number>((value) => typeof value === "number", {
  message: "expected a number",
});

/** Any JSON value (numbers include `NaN` and the infinities, as Python writes them). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Schema of any JSON value. */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    PyNumberSchema,
    z.string(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

/** A scalar metric value: a number (NaN and infinities included), a string, a boolean or null. */
export const MetricScalarSchema = z.union([PyNumberSchema, z.string(), z.boolean(), z.null()]);

/** A metric value as a file may hold it: a scalar, or a (possibly nested) list of scalars. */
export type MetricValue = z.infer<typeof MetricScalarSchema> | MetricValue[];

/** Schema of a metric value. */
export const MetricValueSchema: z.ZodType<MetricValue> = z.lazy(() =>
  z.union([MetricScalarSchema, z.array(MetricValueSchema)]),
);

/** `2024-03-01T10:15:30`, as Python's `datetime.isoformat` writes it. */
export const TimestampSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/,
    "expected an ISO 8601 timestamp such as 2024-03-01T10:15:30",
  );

/** The metadata of one artifact, as lazyscribe writes it (handlers may add their own keys). */
export const ArtifactRecordSchema = z.looseObject({
  name: z.string(),
  fname: z.string(),
  handler: z.string(),
  created_at: TimestampSchema,
  version: z.number().int().nonnegative().optional(),
  expiry: TimestampSchema.nullable().optional(),
});
/** The metadata of one artifact. */
export type ArtifactRecord = z.infer<typeof ArtifactRecordSchema>;

/** One test of an experiment. */
export const TestRecordSchema = z.looseObject({
  name: z.string().min(1, "a test needs a name"),
  description: z.string().nullable().default(null),
  metrics: z.record(z.string(), MetricValueSchema).default(() => ({})),
  parameters: z.record(z.string(), JsonValueSchema).default(() => ({})),
  artifacts: z.array(ArtifactRecordSchema).default(() => []),
});
/** One test of an experiment, as it is written. */
export type TestRecord = z.output<typeof TestRecordSchema>;

/**
 * One experiment, as it is written. `last_updated_by`, the slugs, `dependencies`, `tests`,
 * `artifacts` and `tags` may be missing from older files; they get Python's defaults.
 */
export const ExperimentRecordSchema = z.looseObject({
  name: z.string().min(1, "an experiment needs a name"),
  author: z.string(),
  last_updated_by: z.string().optional(),
  metrics: z.record(z.string(), MetricValueSchema).default(() => ({})),
  parameters: z.record(z.string(), JsonValueSchema).default(() => ({})),
  created_at: TimestampSchema,
  last_updated: TimestampSchema,
  dependencies: z
    .array(z.string().regex(/^[^|]*\|[^|]+$/, 'expected "<project>|<slug>"'))
    .default(() => []),
  short_slug: z.string().optional(),
  slug: z.string().optional(),
  tests: z.array(TestRecordSchema).default(() => []),
  artifacts: z.array(ArtifactRecordSchema).default(() => []),
  tags: z.array(z.string()).default(() => []),
});
/** One experiment as read from a file, before defaults are filled in. */
export type ExperimentInput = z.output<typeof ExperimentRecordSchema>;

/** One experiment as lazyscribe writes it: every key present. */
export type ExperimentRecord = ExperimentInput & {
  last_updated_by: string;
  short_slug: string;
  slug: string;
};

/** A project file: a list of experiment records. */
export const ProjectFileSchema = z.array(z.unknown());
