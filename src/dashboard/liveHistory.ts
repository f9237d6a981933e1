/**
 * The values each metric took while it was being logged in this process (a loss per epoch),
 * with their steps, kept so that a browser that connects late still draws the whole curve.
 *
 * @module
 */

/** The metric events the history takes (`metric-logged` events of a project). */
export interface MetricEventLike {
  readonly type: string;
  readonly slug?: string;
  readonly test?: string;
  readonly name?: string;
  readonly value?: unknown;
  /** The step the value was logged at, when the event says (else its index). */
  readonly step?: unknown;
}

/** One metric's streamed values and their steps. */
export interface LiveSeries {
  readonly steps: number[];
  readonly values: number[];
}

/** Streamed numeric metric values by experiment slug and metric name, numbered in order. */
export class LiveHistory {
  readonly #series = new Map<string, Map<string, LiveSeries>>();
  readonly #cap: number;
  #seq = 0;

  /** Keeps at most `cap` values per metric (the latest). */
  constructor(cap = 100_000) {
    this.#cap = cap;
  }

  /** The number of the last event taken. */
  get seq(): number {
    return this.#seq;
  }

  /** Takes one event and returns its sequence number. */
  add(event: MetricEventLike): number {
    this.#seq++;
    const { slug, name, value } = event;
    if (
      event.type === "metric-logged" &&
      event.test === undefined &&
      typeof slug === "string" &&
      typeof name === "string" &&
      typeof value === "number"
    ) {
      let metrics = this.#series.get(slug);
      if (metrics === undefined) {
        metrics = new Map();
        this.#series.set(slug, metrics);
      }
      let series = metrics.get(name);
      if (series === undefined) {
        series = { steps: [], values: [] };
        metrics.set(name, series);
      }
      const last = series.steps[series.steps.length - 1];
      const step = typeof event.step === "number" ? event.step : last === undefined ? 0 : last + 1;
      series.steps.push(step);
      series.values.push(value);
      if (series.values.length > this.#cap) {
        const extra = series.values.length - this.#cap;
        series.steps.splice(0, extra);
        series.values.splice(0, extra);
      }
    }
    return this.#seq;
  }

  /** The values streamed for one metric of one experiment, if any. */
  series(slug: string, name: string): LiveSeries | undefined {
    return this.#series.get(slug)?.get(name);
  }

  /** `{ seq, series: { slug: { metric: { steps, values } } } }`. */
  toJSON(): object {
    const series: Record<string, Record<string, LiveSeries>> = {};
    for (const [slug, metrics] of this.#series) series[slug] = Object.fromEntries(metrics);
    return { seq: this.#seq, series };
  }
}
