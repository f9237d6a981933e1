/**
 * Python lazyscribe's merge rule, as a pure function over experiments.
 *
 * @module
 */

/** What the merge rule needs to know of an experiment. */
export interface Mergeable {
  readonly slug: string;
  readonly createdAt: Date;
  readonly lastUpdated: Date;
}

interface Candidate<T> {
  readonly item: T;
  readonly list: number;
  readonly position: number;
}

/**
 * Merges experiment lists as Python's `Project.merge` does, in O(n log n):
 *
 * - one record per slug is kept: the newest by `lastUpdated`; on a tie, the record of the
 *   list that comes first (within one list, the later record);
 * - the records are ordered oldest first by `createdAt`; records created at the same time are
 *   ordered as Python's merge leaves them: those of later lists first.
 *
 * Python's own merge assumes each list is already in that order; this one does not, so it
 * keeps the newest record of each slug whatever the order of its inputs.
 */
export function mergeExperiments<T extends Mergeable>(lists: readonly (readonly T[])[]): T[] {
  const winners = new Map<string, Candidate<T>>();
  lists.forEach((items, list) => {
    items.forEach((item, position) => {
      const current = winners.get(item.slug);
      if (current === undefined || isNewer(item, list, current)) {
        winners.set(item.slug, { item, list, position });
      }
    });
  });
  return [...winners.values()]
    .sort(
      (a, b) =>
        a.item.createdAt.getTime() - b.item.createdAt.getTime() ||
        b.list - a.list ||
        a.position - b.position,
    )
    .map((c) => c.item);
}

function isNewer<T extends Mergeable>(item: T, list: number, current: Candidate<T>): boolean {
  const delta = item.lastUpdated.getTime() - current.item.lastUpdated.getTime();
  return delta > 0 || (delta === 0 && list === current.list);
}

/**
 * Merges a project's changes into its file when another process has rewritten the file
 * since the project read or last wrote it: Python's merge rule, applied at save time.
 *
 * - the file's records stay, in their order;
 * - each change (an experiment the project logged or changed since) takes the place of the
 *   file's record with the same slug, unless that record is newer by `lastUpdated` (on a tie,
 *   the change wins); one with no such record is appended. Each of the file's records is
 *   taken by one change at most, so that the project's own records of the same slug (two
 *   runs of one name in the same second) are all kept.
 *
 * @returns the records to write.
 */
export function mergeIntoFile<T extends Pick<Mergeable, "slug" | "lastUpdated">>(
  file: readonly T[],
  changes: readonly T[],
): T[] {
  const result = file.slice();
  const open = new Map<string, number[]>();
  result.forEach((record, position) => {
    const positions = open.get(record.slug);
    if (positions === undefined) open.set(record.slug, [position]);
    else positions.push(position);
  });
  for (const change of changes) {
    const position = open.get(change.slug)?.shift();
    if (position === undefined) {
      result.push(change);
    } else if (change.lastUpdated.getTime() >= (result[position] as T).lastUpdated.getTime()) {
      result[position] = change;
    }
  }
  return result;
}

/** A record a merge did not keep, and the record of the same slug it kept instead. */
export interface MergeDrop<T> {
  /** The record left out. */
  readonly dropped: T;
  /** The index of the project (the merged lists) it came from. */
  readonly from: number;
  /** The record of the same slug that was kept (`undefined` if the merge kept none). */
  readonly kept: T | undefined;
}

/**
 * Every record of `lists` that `kept` (a merge's result) does not hold, in the order of the
 * lists, each with the kept record of its slug: what a merge reports instead of dropping
 * records in silence. Works whatever rule chose `kept`.
 */
export function droppedRecords<T extends Pick<Mergeable, "slug">>(
  lists: readonly (readonly T[])[],
  kept: readonly T[],
): MergeDrop<T>[] {
  const keptSet = new Set(kept);
  const bySlug = new Map<string, T>();
  for (const item of kept) bySlug.set(item.slug, item);
  const dropped: MergeDrop<T>[] = [];
  lists.forEach((items, from) => {
    for (const item of items) {
      if (!keptSet.has(item)) dropped.push({ dropped: item, from, kept: bySlug.get(item.slug) });
    }
  });
  return dropped;
}
