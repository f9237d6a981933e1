/**
 * The metric history file: the JSON artifact `metric-history` (file `metric-history.json` in
 * the experiment's or test's folder) that holds every value each metric took, by step, with
 * the time it was logged. One object a metric, in columns, so that Python reads it with
 * `exp.load_artifact("metric-history")` and `pandas.DataFrame(history["loss"])` gives a table:
 *
 * ```json
 * {"loss": {"step": [0, 1], "value": [0.9, 0.5], "time": [1764763200000, 1764763201000]}}
 * ```
 *
 * `time` is milliseconds since the Unix epoch (UTC), as MLflow records it.
 *
 * @module
 */
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { setOwn } from "../own.js";
import { dumpsPyJson } from "./pyjson/index.js";
import { isMetricValue, type MetricValue, MetricValueSchema } from "./schemas.js";

/** The artifact's name, reserved for the history: `exp.loadArtifact("metric-history")`. */
export const METRIC_HISTORY_ARTIFACT = "metric-history";

/** The artifact's file name in the experiment's (or test's) folder. */
export const METRIC_HISTORY_FNAME = "metric-history.json";

/** A step: a whole number from 0 up to `Number.MAX_SAFE_INTEGER`. */
export const StepSchema = z.int().min(0);

/** A time: whole milliseconds since the Unix epoch, or `null` when it is not known. */
const TimeSchema = z.int().nullable();

/** One metric's values in columns of equal length. */
export const MetricSeriesSchema = z
  .object({
    /** The step of each value. */
    step: z.array(StepSchema),
    /** The values, in the order they were logged. */
    value: z.array(MetricValueSchema),
    /** When each value was logged: milliseconds since the Unix epoch (UTC), or `null`. */
    time: z.array(TimeSchema),
  })
  .refine((s) => s.step.length === s.value.length && s.value.length === s.time.length, {
    message: "step, value and time must have the same length",
  });

/** One metric's values in columns (what the file holds for a metric). */
export type MetricSeriesColumns = z.infer<typeof MetricSeriesSchema>;

/**
 * The file: metric name to its columns. Read files with {@link parseMetricHistory}, which also
 * keeps a metric named `__proto__`.
 */
export const MetricHistoryFileSchema = z.record(z.string(), MetricSeriesSchema);

/** The content of the metric history file. */
export type MetricHistoryFile = z.infer<typeof MetricHistoryFileSchema>;

/**
 * Checks the value read from a metric history file. Each metric is checked with
 * {@link MetricSeriesSchema} on its own, so that every name is kept as data, `__proto__`
 * included (a zod record skips that key).
 *
 * @param where - the artifact and its owner, for messages.
 * @throws ValidationError naming `where` and the bad field (`loss.step.3`).
 */
export function parseMetricHistory(value: unknown, where: string): MetricHistoryFile {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw notHistory(where, "not an object", []);
  }
  const out: MetricHistoryFile = {};
  for (const [name, series] of Object.entries(value)) {
    const checked = plainSeries(series);
    if (checked !== undefined) {
      setOwn(out, name, checked);
      continue;
    }
    const parsed = MetricSeriesSchema.safeParse(series);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = (issue?.path ?? []).map((p) => (typeof p === "symbol" ? String(p) : p));
      throw notHistory(where, issue?.message ?? "invalid", [name, ...path]);
    }
    setOwn(out, name, parsed.data);
  }
  return out;
}

/**
 * The columns of `series` when they pass {@link MetricSeriesSchema}, checked by plain loops
 * (10^5 values in a tenth of the time); `undefined` otherwise, for the schema to say why.
 */
function plainSeries(series: unknown): MetricSeriesColumns | undefined {
  if (typeof series !== "object" || series === null) return undefined;
  const { step, value, time } = series as Record<string, unknown>;
  if (!Array.isArray(step) || !Array.isArray(value) || !Array.isArray(time)) return undefined;
  if (step.length !== value.length || value.length !== time.length) return undefined;
  for (let i = 0; i < step.length; i++) {
    const s = step[i];
    const t = time[i];
    if (!Number.isSafeInteger(s) || (s as number) < 0) return undefined;
    if (t !== null && !Number.isSafeInteger(t)) return undefined;
    if (!isMetricValue(value[i])) return undefined;
  }
  return { step, value, time } as MetricSeriesColumns;
}

function notHistory(where: string, problem: string, path: (string | number)[]): ValidationError {
  return new ValidationError(
    `${where} is not a metric history (${problem}); expected {"<metric>": {"step": [...], "value": [...], "time": [...]}}`,
    { path },
  );
}

/**
 * The file's text: Python's `json.dump(history, f)` of it (default separators, no indent,
 * non-finite values as `NaN`/`Infinity`), metrics in the order they were first logged.
 * Written column by column: steps and times are whole numbers, and most values plain floats
 * whose shortest form JavaScript and Python print alike, so only the others go through the
 * general writer (10^5 values take a tenth of the time).
 */
export function dumpMetricHistory(
  series: Iterable<readonly [string, MetricSeriesColumnsLike]>,
): string {
  const parts: string[] = [];
  for (const [name, columns] of series) {
    const values = columns.value.map(dumpMetricValue).join(", ");
    parts.push(
      `${dumpsPyJson(name)}: {"step": [${columns.step.join(", ")}], "value": [${values}], "time": [${columns.time.map(String).join(", ")}]}`,
    );
  }
  return `{${parts.join(", ")}}`;
}

/**
 * One value as Python's `json.dumps` writes it. A number from 1e-4 up to 2^53 (either sign)
 * is written by Python's `repr` exactly as by `String`: the same shortest digits, no exponent
 * (from 2^53 up, a whole number is written as a float, `9007199254740992.0`).
 */
export function dumpMetricValue(value: MetricValue): string {
  if (typeof value === "number") {
    const size = Math.abs(value);
    if (size >= 1e-4 && size < 2 ** 53) return String(value);
  }
  return dumpsPyJson(value);
}

/** Columns to write: read-only arrays are enough. */
export interface MetricSeriesColumnsLike {
  readonly step: readonly number[];
  readonly value: readonly MetricValue[];
  readonly time: readonly (number | null)[];
}
