/**
 * JSON as Python's `json` module reads and writes it: `NaN`, `Infinity` and `-Infinity`
 * literals, whole floats (`1.0`) kept apart from integers (`1`), and output byte for byte
 * equal to `json.dumps(value, sort_keys=True, indent=4)`.
 *
 * JavaScript has one number type, so a whole float read from a file is remembered by its
 * position (the container object or array and the key) in a weak side table; the writer
 * consults that table so that an unchanged file is written back with the same bytes.
 *
 * @module
 */

import { setOwn } from "../own.js";

type Container = Record<string, unknown> | unknown[];
/** A key of an object or an index of an array. */
export type Key = string | number;

const wholeFloats = new WeakMap<object, Set<Key>>();

/** Whether `container[key]` was read as a whole float (`1.0`, `1e+16`) rather than an integer. */
export function isWholeFloat(container: object, key: Key): boolean {
  return wholeFloats.get(container)?.has(key) ?? false;
}

/** Records that `container[key]` holds a whole float (written `1.0`), or forgets it. */
export function markWholeFloat(container: object, key: Key, isFloat = true): void {
  let keys = wholeFloats.get(container);
  if (isFloat) {
    if (keys === undefined) {
      keys = new Set();
      wholeFloats.set(container, keys);
    }
    keys.add(key);
  } else {
    keys?.delete(key);
  }
}

/**
 * A deep copy of a JSON value that keeps the whole-float marks of every container.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const marks = wholeFloats.get(value);
  let copy: Container;
  if (Array.isArray(value)) {
    copy = value.map(cloneJson);
  } else {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      setOwn(out, key, cloneJson((value as Record<string, unknown>)[key]));
    }
    copy = out;
  }
  if (marks !== undefined) wholeFloats.set(copy, new Set(marks));
  return copy as T;
}
