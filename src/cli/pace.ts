/**
 * How fast a run goes and when it should end: a rate of finished items per second and an
 * estimate of the time left, from the items finished since the run started, in the short
 * forms a progress line has room for (`4.2/s`, `ETA 3m 05s`).
 *
 * @module
 */

/** A rate and an estimate of the time left, from `done` of `total` items in `seconds`. */
export interface Pace {
  /** Items per second, or `undefined` before the first one finished. */
  readonly rate: number | undefined;
  /** Seconds left at that rate, or `undefined` while there is no rate. */
  readonly eta: number | undefined;
}

/** The pace of `done` of `total` items finished in `seconds`. */
export function paceOf(done: number, total: number, seconds: number): Pace {
  if (done === 0 || seconds <= 0) return { rate: undefined, eta: undefined };
  const rate = done / seconds;
  return { rate, eta: Math.max(0, total - done) / rate };
}

/** A rate in items per second: `12/s`, `4.2/s`, `0.35/s`; `-/s` without one. */
export function formatRate(rate: number | undefined): string {
  if (rate === undefined) return "-/s";
  if (rate >= 100) return `${Math.round(rate)}/s`;
  if (rate >= 1) return `${rate.toFixed(1)}/s`;
  if (rate >= 1 / 60) return `${rate.toFixed(2)}/s`;
  return `${(rate * 3600).toFixed(1)}/h`;
}

/** A duration in whole seconds, shortly: `45s`, `3m 05s`, `2h 07m`; `-` when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "-";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
