/**
 * One string for each name logged again and again. A loop that logs `metric_${m}` or tags
 * `group-${i % 10}` for thousands of experiments makes a new string each time, equal to the
 * last; the metric history and the tags keep what they are given, so each experiment would
 * hold copies of the same few names. Given the first string of each name instead, they hold
 * none, and names compare at once (the same string).
 *
 * @module
 */

/**
 * How many names are remembered: far more than the metric names and tags of a project, and a
 * bound on what a program logging a new name every time can make this table hold.
 */
const CAPACITY = 4096;

const names = new Map<string, string>();

/**
 * The positions (the n-th value logged on an experiment or a test) whose last two names are
 * remembered: a loop logs the same names in the same order on each of its experiments and
 * their tests, so the name at a position is mostly one of the last two given there, found by
 * comparing two strings rather than looking the name up.
 */
const POSITIONS = 64;

/** The last two names given at each position: `recent[2 * p]` the latest, then the one before. */
const recent: string[] = new Array<string>(2 * POSITIONS).fill("");

/**
 * The first string equal to `name` given here (`name` itself, the first time): the same value,
 * so nothing that reads it can tell; once {@link CAPACITY} names are known, new names are
 * returned as they are.
 *
 * @param position - where the name comes in its owner's log (the n-th value logged), when it
 *   has one: the names last given at that position are tried first.
 */
export function sharedName(name: string, position = POSITIONS): string {
  const slot = 2 * position;
  if (position < POSITIONS) {
    const latest = recent[slot] as string;
    if (latest === name) return latest;
    const before = recent[slot + 1] as string;
    if (before === name) return before;
  }
  let shared = names.get(name);
  if (shared === undefined) {
    shared = name;
    if (names.size < CAPACITY) names.set(name, name);
  }
  if (position < POSITIONS) {
    recent[slot + 1] = recent[slot] as string;
    recent[slot] = shared;
  }
  return shared;
}
