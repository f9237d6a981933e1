/**
 * The state that experiments and tests share: metrics, parameters, a read-only flag, and the
 * sink their events go to. One place holds the rules for logging a metric or a parameter.
 *
 * @module
 */
import { ReadOnlyError } from "../errors.js";
import { markWholeFloat } from "../format/pyjson/index.js";
import type { JsonValue, MetricValue } from "../format/schemas.js";
import { setOwn } from "../own.js";
import type { EventBody, EventSink, EventSource, ProjectEvent } from "./events.js";
import { readOnlyView } from "./readonly.js";
import { checkName, copyMetricValue, copyParameterValue } from "./values.js";

/** The extra keys of experiments and tests made in code: none (shared, never written to). */
export const NO_EXTRA: Record<string, unknown> = Object.freeze({});

/** The metrics and parameters of an experiment or a test, and how they change. */
export abstract class Loggable {
  /** @internal */ protected readonly metricsData: Record<string, MetricValue>;
  /** @internal */ protected readonly parametersData: Record<string, JsonValue>;
  /** @internal */ protected readonly extraData: Record<string, unknown>;
  /** Whether this object was opened read-only: every change throws {@link ReadOnlyError}. */
  readonly readOnly: boolean;

  protected constructor(
    metrics: Record<string, MetricValue>,
    parameters: Record<string, JsonValue>,
    extra: Record<string, unknown>,
    readOnly: boolean,
  ) {
    this.metricsData = metrics;
    this.parametersData = parameters;
    this.extraData = extra;
    this.readOnly = readOnly;
  }

  /** The metrics logged so far, by name. */
  get metrics(): Record<string, MetricValue> {
    return this.readOnly ? readOnlyView(this.metricsData) : this.metricsData;
  }

  /** The parameters logged so far, by name. */
  get parameters(): Record<string, JsonValue> {
    return this.readOnly ? readOnlyView(this.parametersData) : this.parametersData;
  }

  /** Keys found in the file that lazyscribe does not know; they are written back unchanged. */
  get extra(): Readonly<Record<string, unknown>> {
    return readOnlyView(this.extraData);
  }

  /**
   * Logs a metric: a number (NaN and infinities included), a string such as `"10M"`, or an
   * array of those. A metric of the same name is replaced.
   *
   * @throws ValidationError if the value cannot be stored (the metric is not changed).
   * @throws ReadOnlyError if this object is read-only.
   */
  logMetric(name: string, value: MetricValue): this {
    this.assertWritable("log metric", name);
    checkName("metric", name);
    const copy = copyMetricValue(name, value);
    setOwn(this.metricsData, name, copy);
    markWholeFloat(this.metricsData, name, false);
    this.touch();
    if (this.sink?.observed) this.emit({ type: "metric-logged", name, value: copy });
    return this;
  }

  /**
   * Logs a parameter: any JSON value, nested objects and `null` included. A parameter of the
   * same name is replaced.
   *
   * @throws ValidationError if the value cannot be stored (the parameter is not changed).
   * @throws ReadOnlyError if this object is read-only.
   */
  logParameter(name: string, value: unknown): this {
    this.assertWritable("log parameter", name);
    checkName("parameter", name);
    const copy = copyParameterValue(name, value);
    setOwn(this.parametersData, name, copy);
    markWholeFloat(this.parametersData, name, false);
    this.touch();
    if (this.sink?.observed) this.emit({ type: "parameter-logged", name, value: copy });
    return this;
  }

  /** @internal Records that something changed (experiments keep `lastUpdated` and `dirty`). */
  protected abstract touch(): void;

  /** @internal Where this object's events come from, or `undefined` when it reports nothing. */
  protected abstract source(): EventSource | undefined;

  /** @internal Reports an event to the sink, stamped with {@link source}, if anyone listens. */
  protected emit(body: EventBody): void {
    const sink = this.sink;
    const source = this.source();
    if (sink?.observed && source !== undefined) {
      sink.next({ ...body, ...source } as ProjectEvent);
    }
  }

  /** @internal */
  protected assertWritable(action: string, name?: string): void {
    if (this.readOnly) {
      const what = name === undefined ? action : `${action} "${name}"`;
      throw new ReadOnlyError(
        `cannot ${what}: ${this.describe()} is read-only (open the project in mode "w+" to edit it)`,
      );
    }
  }

  /** @internal A short description for error messages. */
  protected abstract describe(): string;

  /** @internal Where events go. */
  abstract sink: EventSink | undefined;
}
