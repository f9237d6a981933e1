/**
 * Python lazyscribe's merge rule, as a pure function over experiments.
 *
 * @module
 */
import { insort, type Ordered, olderThan } from "./order.js";

/** What the merge rule needs to know of an experiment. */
export type Mergeable = Ordered;

interface Candidate<T> {
  readonly item: T;
  readonly list: number;
  readonly position: number;
}

/**
 * Merges experiment lists as Python lazyscribe 2.2.1's `Project.merge` orders them, and keeps
 * the record its documentation promises:
 *
 * - order: the first list as it is, then each record of the later lists, in turn, inserted
 *   with Python's `bisect.insort` (see `insort`) unless the merged list already holds an
 *   equal record (`same`, Python's `==`);
 * - one record per slug is kept, at its place in that order: the newest by `lastUpdated`; on
 *   a tie, the record of the list that comes first (within one list, the later record).
 *
 * Python keeps instead the last record of each slug in that order, which is the same record
 * except when it breaks its own rule: records of one slug created in the same second can
 * leave an older one last, and an exact tie between different records leaves the later
 * project's last. There this merge keeps the documented record.
 *
 * @param same - Python's `==` between two experiments (identity at least).
 * @param less - Python's `<` between two experiments (`olderThan` by default).
 */
export function mergeExperiments<T extends Mergeable>(
  lists: readonly (readonly T[])[],
  same: (a: T, b: T) => boolean = (a, b) => a === b,
  less: (a: T, b: T) => boolean = olderThan,
): T[] {
  const merged: Candidate<T>[] = (lists[0] ?? []).map((item, position) => ({
    item,
    list: 0,
    position,
  }));
  const bySlug = new Map<string, Candidate<T>[]>();
  for (const candidate of merged) slugGroup(bySlug, candidate.item.slug).push(candidate);
  for (let list = 1; list < lists.length; list++) {
    (lists[list] as readonly T[]).forEach((item, position) => {
      const group = slugGroup(bySlug, item.slug);
      if (group.some((c) => same(c.item, item))) return;
      const candidate = { item, list, position };
      group.push(candidate);
      insort(merged, candidate, (a, b) => less(a.item, b.item));
    });
  }
  const winners = new Set<Candidate<T>>();
  for (const group of bySlug.values()) {
    let best = group[0] as Candidate<T>;
    for (const candidate of group) if (isNewer(candidate, best)) best = candidate;
    winners.add(best);
  }
  return merged.filter((c) => winners.has(c)).map((c) => c.item);
}

function slugGroup<T>(groups: Map<string, T[]>, slug: string): T[] {
  let group = groups.get(slug);
  if (group === undefined) {
    group = [];
    groups.set(slug, group);
  }
  return group;
}

/** The documented rule: newer by `lastUpdated`; on a tie, an earlier list, or later in one list. */
function isNewer<T extends Mergeable>(a: Candidate<T>, b: Candidate<T>): boolean {
  const delta = a.item.lastUpdated.getTime() - b.item.lastUpdated.getTime();
  if (delta !== 0) return delta > 0;
  return a.list < b.list || (a.list === b.list && a.position > b.position);
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
