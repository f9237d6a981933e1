/**
 * A metric value with its step, as a stream may emit it (`{ step: 3, value: 0.25 }`), and
 * logging such an input on an experiment or a test through the core's `logMetric`.
 *
 * @module
 */
import type { Experiment, MetricValue, Test } from "../index.js";

/** A metric value at a step: what a stream emits to give its own steps. */
export interface MetricAtStep {
  /** The step: a whole number from 0 up. */
  readonly step: number;
  /** The value. */
  readonly value: MetricValue;
}

/** What a metric task takes: a value (its step is the next one) or a value at a step. */
export type MetricInput = MetricValue | MetricAtStep;

/** Whether `input` is a value at a step (a metric value is never a plain object). */
function isAtStep(input: MetricInput): input is MetricAtStep {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  const proto = Object.getPrototypeOf(input);
  return (proto === Object.prototype || proto === null) && Object.hasOwn(input, "value");
}

/**
 * @internal Logs `input` on `owner` (`owner.logMetric(name, value, { step })`); returns the
 * value logged.
 */
export function logMetricInput(
  owner: Experiment | Test,
  name: string,
  input: MetricInput,
): MetricValue {
  if (!isAtStep(input)) {
    owner.logMetric(name, input);
    return input;
  }
  owner.logMetric(name, input.value, { step: input.step });
  return input.value;
}
