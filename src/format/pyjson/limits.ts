/**
 * The nesting limit that both the reader and the writer enforce, so that whatever is saved
 * can be read back, here and by Python.
 *
 * Python's `json` recurses once per level, so what it reads depends on the room left under
 * its recursion limit (1000 by default): measured with CPython 3.11, `json.loads` reads 993
 * levels from the top of a script and 891 from 100 frames down, and `json.dump(...,
 * indent=4)` writes 994. lazyscribe calls `json.load` a few dozen frames down, and users call
 * it from deeper still, so the limit is set well inside that: {@link MAX_NESTING} levels.
 * In a project file the list of experiments, the record and its `parameters` object are
 * three of them.
 *
 * @module
 */

/**
 * The deepest nesting (containers inside containers, the outermost counting as 1) that
 * `readPyJson` accepts and the writers write: 512. `[]` is 1 level deep, `[[1]]` 2.
 */
export const MAX_NESTING = 512;

/**
 * How deeply `value`'s arrays and objects nest (0 for a scalar), counted without recursion
 * so that any depth can be measured. Counting stops past `stopAt` (default
 * {@link MAX_NESTING}), and `stopAt + 1` is returned: a circular value counts as too deep.
 */
export function nestingDepth(value: unknown, stopAt = MAX_NESTING): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, level] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    const depth = level + 1;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > stopAt) return stopAt + 1;
    }
    const children = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) stack.push([child, depth]);
  }
  return deepest;
}
