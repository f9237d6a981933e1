/**
 * The values each metric took while it was being logged in this process (a loss per epoch),
 * kept so that a browser that connects late still draws the whole curve.
 *
 * @module
 */
import type { ProjectEvent } from "../model/events.js";

/** Streamed numeric metric values by experiment slug and metric name, numbered in order. */
export class LiveHistory {
  readonly #series = new Map<string, Map<string, number[]>>();
  readonly #cap: number;
  #seq = 0;

  /** Keeps at most `cap` values per metric (the latest). */
  constructor(cap = 10_000) {
    this.#cap = cap;
  }

  /** The number of the last event taken. */
  get seq(): number {
    return this.#seq;
  }

  /** Takes one project event and returns its sequence number. */
  add(event: ProjectEvent): number {
    this.#seq++;
    if (
      event.type === "metric-logged" &&
      event.test === undefined &&
      typeof event.value === "number"
    ) {
      let metrics = this.#series.get(event.slug);
      if (metrics === undefined) {
        metrics = new Map();
        this.#series.set(event.slug, metrics);
      }
      const values = metrics.get(event.name) ?? [];
      values.push(event.value);
      if (values.length > this.#cap) values.splice(0, values.length - this.#cap);
      metrics.set(event.name, values);
    }
    return this.#seq;
  }

  /** `{ seq, series: { slug: { metric: values } } }`. */
  toJSON(): object {
    const series: Record<string, Record<string, number[]>> = {};
    for (const [slug, metrics] of this.#series) series[slug] = Object.fromEntries(metrics);
    return { seq: this.#seq, series };
  }
}
