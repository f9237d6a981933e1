/**
 * The order Python lazyscribe 2.2.1 keeps a project's experiments in: every record, read from
 * the file or appended, goes in with `bisect.insort` and `Experiment.__lt__`.
 *
 * That comparison is not a total order (records of the same slug compare by `last_updated`,
 * others by `created_at`), so the result depends on the exact steps of the binary search;
 * {@link insort} takes the same steps as CPython's `insort_right`.
 *
 * @module
 */
import type { Experiment } from "../model/experiment.js";

/** What Python's ordering of experiments looks at. */
export interface Ordered {
  readonly slug: string;
  readonly createdAt: Date;
  readonly lastUpdated: Date;
}

/**
 * Python's `Experiment.__lt__`: with the same slug, `a` was updated before `b`; otherwise `a`
 * was created before `b`.
 */
export function olderThan(a: Ordered, b: Ordered): boolean {
  return a.slug === b.slug
    ? a.lastUpdated.getTime() < b.lastUpdated.getTime()
    : a.createdAt.getTime() < b.createdAt.getTime();
}

/**
 * Inserts `item` into `list` as CPython's `bisect.insort(list, item)` does: a binary search
 * that moves right unless `item < list[mid]`, then an insertion at the position found.
 *
 * @param less - Python's `<` between two elements ({@link olderThan} by default).
 * @returns the position `item` was inserted at.
 */
export function insort<T>(
  list: T[],
  item: T,
  less: (a: T, b: T) => boolean = olderThan as unknown as (a: T, b: T) => boolean,
): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (less(item, list[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  if (lo === list.length) list.push(item);
  else list.splice(lo, 0, item);
  return lo;
}

/** Python's `Experiment.__lt__` between two experiments, without building `Date`s. */
export function pythonLess(a: Experiment, b: Experiment): boolean {
  return a.compare(b) < 0;
}
