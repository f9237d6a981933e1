/**
 * What `logMetric` takes beside a metric's name and value, and what a metric's history gives
 * back: a step, checked before anything changes, and the points `{ step, value, time }`.
 *
 * @module
 */
import { ValidationError } from "../errors.js";
import { StepSchema } from "../format/metricHistoryFile.js";
import type { MetricValue } from "../format/schemas.js";
import { describeValue } from "./values.js";

/** One value of a metric's history. */
export interface MetricPoint {
  /** The step the value was logged at. */
  readonly step: number;
  /** The value. */
  readonly value: MetricValue;
  /**
   * When it was logged, in milliseconds since the Unix epoch (UTC); `null` for a value whose
   * time is not known (a metric logged once at step 0 and saved without a history, or a
   * value read from a file written without one, such as Python's).
   */
  readonly time: number | null;
}

/** Options of `logMetric`. */
export interface LogMetricOptions {
  /**
   * The step (an epoch, an iteration): a whole number from 0 up. Default: one more than the
   * greatest step logged for the metric, 0 for its first value.
   */
  readonly step?: number;
}

/**
 * Checks `logMetric`'s options before anything changes.
 *
 * @throws ValidationError naming the metric, its owner and the bad step.
 */
export function checkStep(options: unknown, metric: string, owner: string): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(
      `cannot log metric "${metric}" of ${owner}: options must be an object such as { step: 3 } (got ${describeValue(options)})`,
    );
  }
  const step = (options as LogMetricOptions).step;
  if (step === undefined) return undefined;
  if (!StepSchema.safeParse(step).success) {
    const got = typeof step === "number" ? String(step) : describeValue(step);
    throw new ValidationError(
      `cannot log metric "${metric}" of ${owner}: step must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER} (got ${got})`,
    );
  }
  return step;
}
