/**
 * The state that experiments and tests share: metrics, parameters, a read-only flag, the
 * sink their events go to, and the whole-float marks of the record they were read from. One
 * place holds the rules for logging a metric or a parameter.
 *
 * @module
 */
import { EMPTY, type Observable } from "rxjs";
import type { ArtifactWrite } from "../artifacts/io.js";
import { artifactPath } from "../artifacts/paths.js";
import { encodeArtifact, nowToTheSecond } from "../artifacts/record.js";
import { ArtifactLogError, ReadOnlyError } from "../errors.js";
import { METRIC_HISTORY_ARTIFACT, METRIC_HISTORY_FNAME } from "../format/metricHistoryFile.js";
import { type FloatMarks, marksOfItems, withMark, withMarksAt } from "../format/pyjson/index.js";
import type { ArtifactRecord, JsonValue, MetricValue } from "../format/schemas.js";
import { copyJson, setOwn } from "../own.js";
import type { EventBody, EventSink, EventSource, ProjectEvent } from "./events.js";
import { type HistoryOwner, LOGGED_HERE, MetricHistory } from "./metricHistory.js";
import { checkStep, type LogMetricOptions, type MetricPoint } from "./metricPoint.js";
import { readOnlyView } from "./readonly.js";
import { checkName, copyMetricValue, copyParameterValue } from "./values.js";

export type { LogMetricOptions, MetricPoint } from "./metricPoint.js";

/** The extra keys of experiments and tests made in code: none (shared, never written to). */
export const NO_EXTRA: Record<string, unknown> = Object.freeze({});

/** The metrics and parameters of an experiment or a test, and how they change. */
export abstract class Loggable {
  /**
   * The metrics object, or `undefined` while it is not made yet: an object made in code
   * without metrics keeps the values it logs in its history alone (every one of them is
   * there, in the order logged) until someone reads the metrics or the record.
   */
  #metrics: Record<string, MetricValue> | undefined;
  /** The parameters object; made on first use (most tests log none). */
  #parameters: Record<string, JsonValue> | undefined;
  /** @internal */ protected readonly extraData: Record<string, unknown>;
  /** Whether this object was opened read-only: every change throws {@link ReadOnlyError}. */
  readonly readOnly: boolean;
  /** The metrics' history; made on the first `logMetric` or `metricHistory` call. */
  #history: MetricHistory | undefined;
  /**
   * Where this object's own record (metrics, parameters, artifacts, extra keys; an
   * experiment's tests keep their own) holds whole floats: the marks it was read with, less
   * those of the values logged over since (see `FloatMarks`).
   */
  #marks: FloatMarks | undefined;

  protected constructor(
    metrics: Record<string, MetricValue> | undefined,
    parameters: Record<string, JsonValue> | undefined,
    extra: Record<string, unknown>,
    readOnly: boolean,
    history: MetricHistory | undefined,
    marks: FloatMarks | undefined,
  ) {
    this.#metrics = metrics === undefined && history === undefined ? undefined : (metrics ?? {});
    this.#parameters = parameters;
    this.extraData = extra;
    this.readOnly = readOnly;
    this.#history = history;
    this.#marks = marks;
  }

  /** @internal An experiment's tests, whose records are under `tests` (`undefined` for a test). */
  protected recordTests(): readonly Loggable[] | undefined {
    return undefined;
  }

  /**
   * Where the record (`toJSON()`) holds whole floats (`1.0` read from a file, which
   * JavaScript reads as `1`), as marks beside it (see `FloatMarks`); `undefined` when it
   * holds none. They are the marks this object was read with, less those of the values logged
   * over since (a whole number logged from JavaScript is an integer); an experiment's tests
   * keep their own. `dumpPyJson(x.toJSON(), x.floatMarks)` writes what a file holds for `x`.
   */
  get floatMarks(): FloatMarks | undefined {
    const tests = this.recordTests();
    if (tests === undefined) return this.#marks;
    return withMarksAt(this.#marks, ["tests"], marksOfItems(tests.map((t) => t.floatMarks)));
  }

  /** @internal The marks of this object's own record, its tests' left out (for copies). */
  protected get ownMarks(): FloatMarks | undefined {
    return this.recordTests() === undefined ? this.#marks : withMark(this.#marks, ["tests"], false);
  }

  /**
   * @internal Forgets the marks of an artifact record that `record` replaced (a
   * `logArtifact` with `overwrite`, which logs at the replaced record's index).
   */
  protected forgetArtifactMarks(record: ArtifactRecord): void {
    const index = this.artifactRecords().indexOf(record);
    this.#marks = withMark(this.#marks, ["artifacts", index], false);
  }

  /**
   * Forgets the whole-float mark of a value logged over; nothing to do (and nothing built)
   * when the record has no marks, as for everything made in code.
   */
  #forgetMark(section: "metrics" | "parameters", name: string): void {
    if (this.#marks !== undefined) this.#marks = withMark(this.#marks, [section, name], false);
  }

  /** @internal The metrics object, made from the history on first use (see `#metrics`). */
  protected get metricsData(): Record<string, MetricValue> {
    this.#metrics ??= this.#history?.lastValues() ?? {};
    return this.#metrics;
  }

  /** @internal The parameters object, made on first use. */
  protected get parametersData(): Record<string, JsonValue> {
    this.#parameters ??= {};
    return this.#parameters;
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
   * array of those. `metrics[name]` becomes this value (the last one logged, as Python sees
   * it), and the value joins the metric's history with its step and the time
   * ({@link Loggable.metricHistory}).
   *
   * @param options - `step`: a whole number from 0 up (an epoch, an iteration); default one
   *   more than the greatest step logged for the metric, 0 for its first value. Steps may come
   *   in any order and repeat, as in MLflow.
   * @throws ValidationError if the value or the step cannot be stored (nothing is changed).
   * @throws ReadOnlyError if this object is read-only.
   *
   * @example
   * ```ts
   * for (let epoch = 0; epoch < 10; epoch++) exp.logMetric("loss", train(epoch), { step: epoch });
   * exp.metrics.loss;                  // the last loss
   * await exp.metricHistory("loss");   // [{ step: 0, value, time }, ...]
   * ```
   */
  logMetric(name: string, value: MetricValue, options?: LogMetricOptions): this {
    this.assertWritable("log metric", name);
    const step = options === undefined ? undefined : checkStep(options, name, this.describe());
    const now = Date.now();
    return this.#logMetric(name, value, step, now, now);
  }

  /**
   * @internal Logs a value taken earlier, at its step and time (the values of a flow's test,
   * copied into the experiment's test when it is appended).
   */
  logMetricAt(name: string, value: MetricValue, step: number, time: number): this {
    this.assertWritable("log metric", name);
    return this.#logMetric(name, value, checkStep({ step }, name, this.describe()), time);
  }

  /**
   * @internal Lets go of the room the metric history grew into and does not use, once the
   * body that logged on this object has finished (see `MetricHistory.compact`).
   */
  compact(): void {
    this.#history?.compact();
  }

  /** @internal The points of `name` recorded in this process, when no file must be read. */
  recordedMetricHistory(name: string): readonly MetricPoint[] | undefined {
    return this.#history?.recorded(name);
  }

  /** Logs `value` as taken at `time`; the change happens at `now` (the current time by default). */
  #logMetric(
    name: string,
    value: MetricValue,
    requested: number | undefined,
    time: number,
    now?: number,
  ): this {
    checkName("metric", name);
    const copy = copyMetricValue(name, value);
    const history = this.#historyOf();
    const data = this.#metrics;
    // Without the object, a metric has a value exactly when it was logged here before.
    const prior =
      data === undefined
        ? LOGGED_HERE
        : Object.hasOwn(data, name)
          ? { value: data[name] as MetricValue }
          : undefined;
    const step = history.record(name, copy, requested, time, prior);
    if (data !== undefined) setOwn(data, name, copy);
    this.#forgetMark("metrics", name);
    if (history.saveable) this.#addHistoryRecord();
    this.touch(now);
    if (this.sink?.observed) this.emit({ type: "metric-logged", name, value: copy, step });
    return this;
  }

  /**
   * Every value metric `name` took, in the order logged: `{ step, value, time }` (`time` in
   * milliseconds since the Unix epoch, UTC). Asynchronous because a saved history is read from
   * its artifact file only when asked (opening a project never reads it).
   *
   * A metric that was never logged with a history (logged once at step 0 and saved without
   * other history, or written by Python) gives one point: its value at step 0, `time: null`.
   * A metric that does not exist gives `[]`.
   *
   * @throws ArtifactLoadError when the `metric-history` artifact cannot be read;
   *   ValidationError when it is not a metric history.
   */
  async metricHistory(name: string): Promise<MetricPoint[]> {
    const points = await this.#historyOf().points(name, this.#historyOwner());
    if (points !== undefined) return points;
    if (!Object.hasOwn(this.metricsData, name)) return [];
    return [{ step: 0, value: copyJson(this.metricsData[name] as MetricValue), time: null }];
  }

  #historyOf(): MetricHistory {
    if (this.#history === undefined) {
      const onDisk = this.#historyRecord() !== undefined;
      // A saved history is merged into the log when loaded: the metrics are no longer all there.
      if (onDisk) this.#metrics ??= {};
      this.#history = new MetricHistory(onDisk);
    }
    return this.#history;
  }

  #historyRecord(): ArtifactRecord | undefined {
    if (!this.hasArtifactRecords()) return undefined;
    return this.artifactRecords().find((r) => r.name === METRIC_HISTORY_ARTIFACT);
  }

  /** Adds the `metric-history` artifact's record, once the history must be saved. */
  #addHistoryRecord(): void {
    if (this.#historyRecord() !== undefined) return;
    const { record } = encodeArtifact({
      name: METRIC_HISTORY_ARTIFACT,
      value: null,
      handler: "json",
      fname: METRIC_HISTORY_FNAME,
      createdAt: nowToTheSecond(),
      writerOptions: {},
      what: `artifact "${METRIC_HISTORY_ARTIFACT}" of ${this.describe()}`,
    });
    this.artifactRecords().push(record);
  }

  #historyOwner(): HistoryOwner {
    return { what: this.describe(), load: () => this.loadSavedHistory() };
  }

  /** @internal The history to give a copy of this object. */
  protected historyCopy(): MetricHistory | undefined {
    return this.#history?.copy();
  }

  /**
   * @internal The history's content when it has values not saved yet (`loadArtifact` of
   * `"metric-history"` before a save), else `undefined` (the file holds it).
   */
  protected unsavedHistory(): Promise<unknown> | undefined {
    const history = this.#history;
    return history?.unsaved ? history.content(this.#historyOwner()) : undefined;
  }

  /**
   * @internal The history's file to write on save, in `folder`, if it has unsaved values
   * (`EMPTY` itself when it has none). Called when the save needs it.
   */
  protected historyWrites$(folder: () => string): Observable<ArtifactWrite> {
    const history = this.#history;
    if (history === undefined || !history.unsaved) return EMPTY;
    const what = `artifact "${METRIC_HISTORY_ARTIFACT}" of ${this.describe()}`;
    const location = artifactPath(folder(), METRIC_HISTORY_FNAME, what, ArtifactLogError);
    return history.write$(this.#historyOwner(), location);
  }

  /**
   * @internal Refuses the name and the file name reserved for the metric history in
   * `logArtifact`.
   * @throws ArtifactLogError for the name `"metric-history"` or the file `metric-history.json`.
   */
  protected assertNotHistoryArtifact(name: string, fname: unknown): void {
    const reserved =
      name === METRIC_HISTORY_ARTIFACT
        ? "the name is reserved"
        : fname === METRIC_HISTORY_FNAME
          ? `the file name ${METRIC_HISTORY_FNAME} is reserved`
          : undefined;
    if (reserved !== undefined) {
      throw new ArtifactLogError(
        `cannot log artifact "${name}" on ${this.describe()}: ${reserved} for the metric history that logMetric keeps (read it with metricHistory(name)); use another`,
      );
    }
  }

  /** @internal The artifact records of this object, as its file holds them (written to). */
  protected abstract artifactRecords(): ArtifactRecord[];

  /** @internal Whether this object has artifact records (without making the list). */
  protected abstract hasArtifactRecords(): boolean;

  /** @internal Reads the saved `metric-history` artifact's value from its file. */
  protected abstract loadSavedHistory(): Promise<unknown>;

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
    this.#forgetMark("parameters", name);
    this.touch();
    if (this.sink?.observed) this.emit({ type: "parameter-logged", name, value: copy });
    return this;
  }

  /**
   * @internal Records that something changed (experiments keep `lastUpdated` and `dirty`),
   * at `now` (ms since the epoch; the current time by default).
   */
  protected abstract touch(now?: number): void;

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
