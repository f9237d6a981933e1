/**
 * The history of an experiment's (or a test's) metrics: every value each metric took, with
 * its step and the time it was logged, as MLflow's `log_metric(key, value, step)` keeps it.
 * `metrics[name]` stays the last value logged, so the project file, merges and Python see
 * exactly what they saw before; the history is saved beside it, as the JSON artifact
 * `metric-history` (see `format/metricHistoryFile.ts`), and only read when someone asks.
 *
 * Steps: a whole number from 0 up; without one, the step after the greatest step logged for
 * that metric (0 for the first value). As in MLflow, steps may come in any order and repeat
 * (a run resumed from a checkpoint logs earlier steps again); the history keeps the order the
 * values were logged in.
 *
 * What is saved: a history says more than the metric's value once a metric was logged twice or
 * at a step other than 0. Only then is the artifact added (with every metric logged in this
 * process, so their times survive too); an experiment whose metrics were each logged once
 * without a step is saved exactly as before, and reads back as one point a metric at step 0
 * with `time: null` (the time was never saved).
 *
 * @module
 */
import type { ArtifactWrite } from "../artifacts/io.js";
import { ValidationError } from "../errors.js";
import {
  dumpMetricHistory,
  METRIC_HISTORY_ARTIFACT,
  type MetricHistoryFile,
  parseMetricHistory,
  StepSchema,
} from "../format/metricHistoryFile.js";
import type { MetricValue } from "../format/schemas.js";
import { setOwn } from "../own.js";
import { describeValue } from "./values.js";

/** One value of a metric's history. */
export interface MetricPoint {
  /** The step the value was logged at. */
  readonly step: number;
  /** The value. */
  readonly value: MetricValue;
  /**
   * When it was logged, in milliseconds since the Unix epoch (UTC); `null` for a value whose
   * time was never saved (a metric logged once at step 0, or written by Python).
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
 * One metric's values in columns. A `null` step is a default step not known yet: the value
 * was logged on an experiment read from a file whose history is not loaded (it is resolved,
 * in order, when the history is loaded).
 */
interface Series {
  readonly step: (number | null)[];
  readonly value: MetricValue[];
  readonly time: number[];
  /** The greatest step, when every step is known; -1 for none. */
  max: number;
}

function emptySeries(): Series {
  return { step: [], value: [], time: [], max: -1 };
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

/** What the history needs from the experiment or test it belongs to. */
export interface HistoryOwner {
  /** The owner, for messages (`experiment "x"`). */
  readonly what: string;
  /** Loads the saved `metric-history` artifact's value. */
  load(): Promise<unknown>;
}

/** The metric history of one experiment or test. */
export class MetricHistory {
  #series: Map<string, Series>;
  /** Whether the artifact's file exists (read from a project file, or written by a save). */
  #onDisk: boolean;
  /** Whether the file's content is in `#series` (or there is no file). */
  #loaded: boolean;
  /** Whether values were logged since the file was last written. */
  #unsaved: boolean;
  /** Whether the history says more than the metrics' values (see the module comment). */
  #saveable: boolean;
  #loading: Promise<void> | undefined;
  /** Counts the values recorded, so that a write knows whether it holds the latest. */
  #version = 0;

  /**
   * @param onDisk - whether the owner's file already has a history (its record is there).
   */
  constructor(onDisk: boolean) {
    this.#series = new Map();
    this.#onDisk = onDisk;
    this.#loaded = !onDisk;
    this.#unsaved = false;
    this.#saveable = onDisk;
  }

  /** Whether the history must be saved as the `metric-history` artifact. */
  get saveable(): boolean {
    return this.#saveable;
  }

  /** Whether values were logged that the artifact's file does not hold yet. */
  get unsaved(): boolean {
    return this.#unsaved && this.#saveable;
  }

  /**
   * Records a value (already checked and copied). The step must have passed {@link checkStep}.
   *
   * @returns the step, or `undefined` when it is not known yet (a default step on an owner
   *   whose saved history is not loaded).
   */
  record(
    name: string,
    value: MetricValue,
    step: number | undefined,
    time: number,
  ): number | undefined {
    let series = this.#series.get(name);
    if (series === undefined) {
      series = emptySeries();
      this.#series.set(name, series);
    }
    const resolved = step ?? (this.#loaded ? series.max + 1 : null);
    series.step.push(resolved);
    series.value.push(typeof value === "object" && value !== null ? structuredClone(value) : value);
    series.time.push(time);
    if (resolved !== null) series.max = Math.max(series.max, resolved);
    this.#unsaved = true;
    this.#version++;
    if (series.value.length > 1 || resolved !== 0) this.#saveable = true;
    return resolved ?? undefined;
  }

  /**
   * The points of metric `name`, loading the saved history first when there is one; `undefined`
   * when nothing was recorded for it.
   *
   * @throws ArtifactLoadError when the artifact cannot be read; ValidationError when it is not
   *   a metric history.
   */
  async points(name: string, owner: HistoryOwner): Promise<MetricPoint[] | undefined> {
    await this.#load(owner);
    return this.recorded(name);
  }

  /**
   * The points of metric `name` known without reading a file: `undefined` when nothing was
   * recorded for it, or when a saved history is not loaded yet.
   */
  recorded(name: string): MetricPoint[] | undefined {
    const series = this.#loaded ? this.#series.get(name) : undefined;
    if (series === undefined) return undefined;
    return series.value.map((value, i) => ({
      step: series.step[i] as number,
      value: typeof value === "object" && value !== null ? structuredClone(value) : value,
      time: series.time[i] as number,
    }));
  }

  /** The names of the metrics recorded (after loading the saved history). */
  async names(owner: HistoryOwner): Promise<string[]> {
    await this.#load(owner);
    return [...this.#series.keys()];
  }

  /**
   * The file to write on save, when values were logged since the last write: the saved
   * history (loaded first) followed by what was logged since.
   */
  async write(owner: HistoryOwner, location: string): Promise<ArtifactWrite | undefined> {
    if (!this.unsaved) return undefined;
    await this.#load(owner);
    const data = this.text();
    const version = this.#version;
    return {
      location,
      data,
      what: `artifact "${METRIC_HISTORY_ARTIFACT}" of ${owner.what}`,
      written: () => {
        this.#onDisk = true;
        // Values logged while the file was being written are still to be saved.
        if (this.#version === version) this.#unsaved = false;
      },
    };
  }

  /** The file's text for what is known (call once loaded). */
  text(): string {
    return dumpMetricHistory(
      [...this.#series].map(([name, s]) => [
        name,
        { step: s.step as number[], value: s.value, time: s.time },
      ]),
    );
  }

  /** The history's content as Python reads the artifact (for `loadArtifact` before a save). */
  async content(owner: HistoryOwner): Promise<MetricHistoryFile> {
    await this.#load(owner);
    const out: MetricHistoryFile = {};
    for (const [name, s] of this.#series) {
      setOwn(
        out,
        name,
        structuredClone({ step: s.step as number[], value: s.value, time: s.time }),
      );
    }
    return out;
  }

  /** A copy for a copy of the owner (the values themselves are never changed, so shared). */
  copy(): MetricHistory {
    const copy = new MetricHistory(this.#onDisk);
    copy.#loaded = this.#loaded;
    copy.#unsaved = this.#unsaved;
    copy.#saveable = this.#saveable;
    for (const [name, s] of this.#series) {
      copy.#series.set(name, {
        step: [...s.step],
        value: [...s.value],
        time: [...s.time],
        max: s.max,
      });
    }
    return copy;
  }

  async #load(owner: HistoryOwner): Promise<void> {
    if (this.#loaded) return;
    this.#loading ??= owner.load().then((value) => {
      const saved = parseMetricHistory(
        value,
        `artifact "${METRIC_HISTORY_ARTIFACT}" of ${owner.what}`,
      );
      this.#merge(saved);
    });
    try {
      await this.#loading;
    } finally {
      this.#loading = undefined;
    }
  }

  /** Puts the saved history before what was logged since, resolving the default steps. */
  #merge(saved: MetricHistoryFile): void {
    if (this.#loaded) return;
    const merged = new Map<string, Series>();
    for (const [name, columns] of Object.entries(saved)) {
      merged.set(name, {
        step: columns.step,
        value: columns.value,
        time: columns.time,
        max: columns.step.reduce((m, s) => Math.max(m, s), -1),
      });
    }
    for (const [name, logged] of this.#series) {
      let series = merged.get(name);
      if (series === undefined) {
        series = emptySeries();
        merged.set(name, series);
      }
      logged.step.forEach((step, i) => {
        const resolved = step ?? (series.max as number) + 1;
        series.step.push(resolved);
        series.value.push(logged.value[i] as MetricValue);
        series.time.push(logged.time[i] as number);
        series.max = Math.max(series.max, resolved);
      });
    }
    this.#series = merged;
    this.#loaded = true;
  }
}
