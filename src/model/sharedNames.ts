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
 * The first string equal to `name` given here (`name` itself, the first time): the same value,
 * so nothing that reads it can tell; once {@link CAPACITY} names are known, new names are
 * returned as they are.
 */
export function sharedName(name: string): string {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (names.size < CAPACITY) names.set(name, name);
  return name;
}
