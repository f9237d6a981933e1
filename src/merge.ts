/**
 * Python lazyscribe's merge rule, as pure functions over experiments.
 *
 * @module
 */

/** What the merge rule needs to know of an experiment. */
export interface Mergeable {
  readonly slug: string;
  readonly createdAt: Date;
  readonly lastUpdated: Date;
  compare(other: this): number;
}

/** Sorts oldest first by `createdAt`, then `lastUpdated`; stable, so equal items keep their order. */
export function sortByAge<T extends Mergeable>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.lastUpdated.getTime() - b.lastUpdated.getTime(),
  );
}

/**
 * Merges experiment lists as Python's `Project.merge` does: the lists (each sorted by age) are
 * merged like merge sort merges — taking from the first list while its head is strictly older
 * — and then only the last occurrence of each slug is kept. The result keeps the newest record
 * per slug, and on a tie the record of the earlier list. O(n log n) for the sorts, O(n) after.
 */
export function mergeExperiments<T extends Mergeable>(lists: readonly (readonly T[])[]): T[] {
  let merged: T[] = [];
  for (const list of lists) merged = mergeTwo(merged, sortByAge(list));
  return keepLastPerSlug(merged);
}

function mergeTwo<T extends Mergeable>(first: readonly T[], second: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) {
    const a = first[i] as T;
    const b = second[j] as T;
    if (a.compare(b) < 0) {
      out.push(a);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  while (i < first.length) out.push(first[i++] as T);
  while (j < second.length) out.push(second[j++] as T);
  return out;
}

function keepLastPerSlug<T extends Mergeable>(items: readonly T[]): T[] {
  const last = new Map<string, number>();
  for (const [index, item] of items.entries()) last.set(item.slug, index);
  return items.filter((item, index) => last.get(item.slug) === index);
}
