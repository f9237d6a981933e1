/**
 * The history of an experiment's (or a test's) metrics: every value each metric took, with
 * its step and the time it was logged, as MLflow's `log_metric(key, value, step)` keeps it.
 * `metrics[name]` stays the last value logged, so the project file, merges and Python see
 * exactly what they saw before; the history is saved beside it, as the JSON artifact
 * `metric-history` (see `format/metricHistoryFile.ts`), and only read when someone asks.
 *
 * Steps: a whole number from 0 up; without one, the step after the greatest step logged for
 * that metric (0 for the first value; a value read from a file without a history counts as
 * one at step 0). As in MLflow, steps may come in any order and repeat
 * (a run resumed from a checkpoint logs earlier steps again); the history keeps the order the
 * values were logged in.
 *
 * What is saved: a history says more than the metric's value once a metric is logged a second
 * time in this process, or at a step other than 0; a value that only replaces one read from the
 * file (no step, or step 0) is an update, as in Python. Only then is the artifact added (with every metric logged in this
 * process, so their times survive too); an experiment whose metrics were each logged once
 * without a step is saved exactly as before, and reads back as one point a metric at step 0
 * with `time: null` (the time was never saved).
 *
 * @module
 */
import { EMPTY, from, map, type Observable, of } from "rxjs";
import type { ArtifactWrite } from "../artifacts/io.js";
import {
  dumpMetricHistory,
  METRIC_HISTORY_ARTIFACT,
  type MetricHistoryFile,
  type MetricSeriesColumns,
  parseMetricHistory,
} from "../format/metricHistoryFile.js";
import type { MetricValue } from "../format/schemas.js";
import { copyJson, setOwn } from "../own.js";
import type { MetricPoint } from "./metricPoint.js";
import { sharedName } from "./sharedNames.js";

/**
 * The points of every metric of an owner but their values, in the order logged, as one flat
 * array of `name, step, time` triples (one array an owner, not arrays a metric: most metrics
 * are logged once, an experiment has dozens, and a project thousands of experiments). A `null`
 * step is a default step not known yet: the value was logged on an experiment read from a file
 * whose history is not loaded (it is resolved, in order, when the history is). The values are
 * in an array of their own, point `p` at index `p`: an array of numbers alone holds them
 * unboxed, where a number among names would take an object of its own.
 */
type PointLog = (string | number | null | WholeTime)[];

/** The fields of a point in a {@link PointLog}. */
const NAME = 0;
const STEP = 1;
const TIME = 2;
const STRIDE = 3;

/**
 * How many entries of the log past the saved points are searched for a metric's name before
 * the names are kept in a set instead: most owners log a few dozen metrics once each.
 */
const SCAN_LIMIT = 32 * STRIDE;

/**
 * The largest distance from the first time logged that the log holds as a small integer (a
 * number the engine stores unboxed): about 12 days in milliseconds.
 */
const SMALL = 2 ** 30 - 1;

/**
 * The bits of a history's `#flags`, four yes-or-no states in one number rather than four
 * fields (every experiment and test that logs a metric has a history): whether the
 * artifact's file exists (read from a project file, or written by a save); whether the file's
 * content is in the log (or there is no file); whether values were logged since the file was
 * last written; whether the history says more than the metrics' values (see the module comment).
 */
const ON_DISK = 1;
const LOADED = 2;
const UNSAVED = 4;
const SAVEABLE = 8;

/** A time the log holds as it is, when it is not a small distance from the first one. */
interface WholeTime {
  readonly ms: number;
}

/** A copy of a value the history keeps (numbers and strings are shared, arrays copied). */
function own(value: MetricValue): MetricValue {
  return typeof value === "object" && value !== null ? copyJson(value) : value;
}

/**
 * The `prior` of {@link MetricHistory.record} for an owner whose metrics are all in the
 * history (logged here, none read from a file): the metric has a value exactly when it was
 * logged here before, and that value is the history's.
 */
export const LOGGED_HERE = Symbol("logged here");

/** What the history needs from the experiment or test it belongs to. */
export interface HistoryOwner {
  /** The owner, for messages (`experiment "x"`). */
  readonly what: string;
  /** Loads the saved `metric-history` artifact's value. */
  load(): Promise<unknown>;
}

/** The metric history of one experiment or test. */
export class MetricHistory {
  #log: PointLog;
  /** The values of the points of `#log`, in the same order. */
  #values: MetricValue[];
  /**
   * Where the points logged in this process start in the log (after the saved points, once
   * merged): a metric is in the log from there on exactly when it was logged here (a value
   * read from the file enters the log only with the value logged here that replaces it).
   */
  #hereStart = 0;
  /** The names of the metrics logged here, once the log is too long to search. */
  #here: Set<string> | undefined;
  /** The first time logged: times are kept as their distance from it (see {@link SMALL}). */
  #timeBase: number | undefined;
  /**
   * The greatest step of each metric whose steps are not just one value at step 0, once every
   * step is known (the history is loaded); made when first needed. A metric that has a value
   * and no entry has had one value, at step 0.
   */
  #maxStep: Map<string, number> | undefined;
  /** The history's yes-or-no states, one bit each (`ON_DISK`, `LOADED`, `UNSAVED`, `SAVEABLE`). */
  #flags: number;
  #loading: Promise<void> | undefined;
  /** Counts the values recorded, so that a write knows whether it holds the latest. */
  #version = 0;

  /** Whether the history is in state `flag` (one of `ON_DISK`, `LOADED`...). */
  #is(flag: number): boolean {
    return (this.#flags & flag) !== 0;
  }

  /** Puts the history in state `flag`, or out of it. */
  #set(flag: number, on: boolean): void {
    this.#flags = on ? this.#flags | flag : this.#flags & ~flag;
  }

  /**
   * @param onDisk - whether the owner's file already has a history (its record is there).
   */
  constructor(onDisk: boolean) {
    this.#log = [];
    this.#values = [];
    this.#flags = onDisk ? ON_DISK | SAVEABLE : LOADED;
  }

  /** Whether the history must be saved as the `metric-history` artifact. */
  get saveable(): boolean {
    return this.#is(SAVEABLE);
  }

  /** Whether values were logged that the artifact's file does not hold yet. */
  get unsaved(): boolean {
    return this.#is(UNSAVED) && this.#is(SAVEABLE);
  }

  /**
   * Records a value (already checked and copied). The step must have passed `checkStep`.
   *
   * @param prior - the metric's value before this one, when it has one (`{ value }`): a value
   *   read from a file or given to the constructor, never logged here, enters the history first,
   *   at step 0 with no time.
   * @returns the step, or `undefined` when it is not known yet (a default step on an owner
   *   whose saved history is not loaded).
   */
  record(
    metric: string,
    value: MetricValue,
    step: number | undefined,
    time: number,
    prior: { readonly value: MetricValue } | typeof LOGGED_HERE | undefined,
  ): number | undefined {
    const name = sharedName(metric, this.#values.length);
    const again = this.#loggedHere(name);
    const known = prior === LOGGED_HERE ? again : prior !== undefined;
    // A value that replaces one read from the file (never logged here, not in a saved history)
    // without a step, or at step 0, is an update, as in Python: it takes the old value's place
    // and starts no history. A second value logged here, or another step, does.
    const fromFile = known && !again && this.#is(LOADED) && this.#maxStep?.has(name) !== true;
    const update = fromFile && (step === undefined || step === 0);
    if (fromFile && !update) {
      this.#log.push(name, 0, null);
      this.#values.push(own((prior as { readonly value: MetricValue }).value));
    }
    const max = known && !update ? (this.#maxStep?.get(name) ?? 0) : -1;
    const resolved = step ?? (this.#is(LOADED) ? max + 1 : null);
    this.#log.push(name, resolved, this.#packTime(time));
    this.#values.push(own(value));
    this.#here?.add(name);
    this.#set(UNSAVED, true);
    this.#version++;
    if (again || (resolved !== null && resolved !== 0)) this.#set(SAVEABLE, true);
    if (known || resolved !== 0) {
      this.#maxStep ??= new Map();
      this.#maxStep.set(name, Math.max(max, resolved ?? -1));
    }
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
    if (!this.#is(LOADED)) return undefined;
    const log = this.#log;
    const out: MetricPoint[] = [];
    for (let i = 0, p = 0; i < log.length; i += STRIDE, p++) {
      if (log[i + NAME] !== name) continue;
      const value = own(this.#values[p] as MetricValue);
      out.push({ step: log[i + STEP] as number, value, time: this.#time(log[i + TIME]) });
    }
    return out.length > 0 ? out : undefined;
  }

  /**
   * The file to write on save, when values were logged since the last write: the saved
   * history (loaded first) followed by what was logged since. Emits it once (nothing when
   * there is nothing to write: `EMPTY` itself), at once unless a saved history has to be read
   * first. Called when the save needs it (what it writes is taken then).
   */
  write$(owner: HistoryOwner, location: string): Observable<ArtifactWrite> {
    if (!this.unsaved) return EMPTY;
    const write = (): ArtifactWrite => {
      const data = dumpMetricHistory(this.#columns());
      const version = this.#version;
      return {
        location,
        data,
        what: `artifact "${METRIC_HISTORY_ARTIFACT}" of ${owner.what}`,
        written: () => {
          this.#set(ON_DISK, true);
          // Values logged while the file was being written are still to be saved.
          if (this.#version === version) this.#set(UNSAVED, false);
        },
      };
    };
    return this.#is(LOADED) ? of(write()) : from(this.#load(owner)).pipe(map(write));
  }

  /** The history's content as Python reads the artifact (for `loadArtifact` before a save). */
  async content(owner: HistoryOwner): Promise<MetricHistoryFile> {
    await this.#load(owner);
    const out: MetricHistoryFile = {};
    for (const [name, columns] of this.#columns()) setOwn(out, name, copyJson(columns));
    return out;
  }

  /**
   * Each metric's last value (a copy), metrics in the order first logged: the metrics object
   * of an owner whose values are all in the log (see `LOGGED_HERE`).
   */
  lastValues(): Record<string, MetricValue> {
    const out: Record<string, MetricValue> = {};
    const log = this.#log;
    for (let i = 0, p = 0; i < log.length; i += STRIDE, p++) {
      setOwn(out, log[i + NAME] as string, own(this.#values[p] as MetricValue));
    }
    return out;
  }

  /** The log in columns a metric, metrics in the order first logged (call once loaded). */
  #columns(): Map<string, MetricSeriesColumns> {
    const out = new Map<string, MetricSeriesColumns>();
    const log = this.#log;
    for (let i = 0, p = 0; i < log.length; i += STRIDE, p++) {
      const name = log[i + NAME] as string;
      let columns = out.get(name);
      if (columns === undefined) {
        columns = { step: [], value: [], time: [] };
        out.set(name, columns);
      }
      columns.step.push(log[i + STEP] as number);
      columns.value.push(this.#values[p] as MetricValue);
      columns.time.push(this.#time(log[i + TIME]));
    }
    return out;
  }

  /**
   * Gives back the room the log grew into and is not using (an array grows by half again as
   * it fills): called when the body that logged on the owner has finished, as most owners log
   * nothing after.
   */
  compact(): void {
    if (this.#log.length === 0) return;
    this.#log = this.#log.slice();
    this.#values = this.#values.slice();
  }

  /** A copy for a copy of the owner (the values themselves are never changed, so shared). */
  copy(): MetricHistory {
    const copy = new MetricHistory(this.#is(ON_DISK));
    copy.#flags = this.#flags;
    copy.#maxStep = this.#maxStep === undefined ? undefined : new Map(this.#maxStep);
    copy.#log = [...this.#log];
    copy.#values = [...this.#values];
    copy.#hereStart = this.#hereStart;
    copy.#timeBase = this.#timeBase;
    return copy;
  }

  /** Whether metric `name` was logged in this process. */
  #loggedHere(name: string): boolean {
    if (this.#here !== undefined) return this.#here.has(name);
    const log = this.#log;
    if (log.length - this.#hereStart <= SCAN_LIMIT) {
      for (let i = this.#hereStart + NAME; i < log.length; i += STRIDE) {
        if (log[i] === name) return true;
      }
      return false;
    }
    const here = new Set<string>();
    for (let i = this.#hereStart + NAME; i < log.length; i += STRIDE) here.add(log[i] as string);
    this.#here = here;
    return here.has(name);
  }

  /** A time as the log holds it: its distance from the first time, when that is small. */
  #packTime(time: number | null): number | WholeTime | null {
    if (time === null) return null;
    this.#timeBase ??= time;
    const distance = time - this.#timeBase;
    return Number.isInteger(distance) &&
      Math.abs(distance) <= SMALL &&
      distance + this.#timeBase === time
      ? distance
      : { ms: time };
  }

  /** A time as the log holds it, unpacked (see {@link packTime}). */
  #time(packed: unknown): number | null {
    if (packed === null) return null;
    if (typeof packed === "number") return packed + (this.#timeBase as number);
    return (packed as WholeTime).ms;
  }

  async #load(owner: HistoryOwner): Promise<void> {
    if (this.#is(LOADED)) return;
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
    if (this.#is(LOADED)) return;
    const logged = this.#log;
    const values = this.#values;
    this.#log = [];
    this.#values = [];
    const maxStep = new Map<string, number>();
    this.#maxStep = maxStep;
    this.#set(LOADED, true);
    for (const [name, columns] of Object.entries(saved)) {
      columns.step.forEach((step, i) => {
        this.#append(name, step, columns.value[i] as MetricValue, columns.time[i] ?? null);
      });
    }
    this.#hereStart = this.#log.length;
    this.#here = undefined;
    for (let i = 0, p = 0; i < logged.length; i += STRIDE, p++) {
      const name = logged[i + NAME] as string;
      const step = (logged[i + STEP] as number | null) ?? (maxStep.get(name) ?? -1) + 1;
      const time = this.#time(logged[i + TIME]);
      this.#append(name, step, values[p] as MetricValue, time);
    }
  }

  #append(name: string, step: number, value: MetricValue, time: number | null): void {
    this.#log.push(name, step, this.#packTime(time));
    this.#values.push(value);
    this.#maxStep ??= new Map();
    this.#maxStep.set(name, Math.max(this.#maxStep.get(name) ?? -1, step));
  }
}
