/**
 * Whole-float marks kept in a side table keyed by container identity. A project keeps each
 * record's identity-free `FloatMarks` beside its text (`marks.ts`, found in the text only when
 * needed) and writes unchanged records from their text; the side table is filled for a record
 * only when its experiment is built, because the model (experiments, tests, repositories,
 * JSON artifacts) still carries marks on its objects: `markWholeFloat` when a value is
 * replaced, `cloneJson` when one is copied. The writers consult it only when no `FloatMarks`
 * are given, and `parsePyJson` fills it from the marks it reads. It goes away once the model
 * keeps `FloatMarks` beside its values too.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import type { FloatMarks } from "./marks.js";
import type { Key } from "./path.js";

type Container = Record<string, unknown> | unknown[];

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
 * Records `marks` in the side table for the containers of `value` (a value cannot be marked
 * at the top level: containers carry the marks). Visits only the marked containers.
 */
export function markContainers(value: unknown, marks: FloatMarks | undefined): void {
  if (marks === undefined || marks === true || value === null || typeof value !== "object") {
    return;
  }
  const container = value as Record<string, unknown>;
  for (const key of Object.keys(marks)) {
    const below = marks[key] as FloatMarks;
    const slot: Key = Array.isArray(value) ? Number(key) : key;
    if (below === true) markWholeFloat(container, slot);
    else markContainers(container[key], below);
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

/**
 * The `FloatMarks` of `value` as the side table holds them for its containers: the reverse of
 * {@link markContainers}, for the writers that take marks beside the value.
 */
export function marksOfContainers(value: unknown): FloatMarks | undefined {
  if (value === null || typeof value !== "object") return undefined;
  let node: Record<string, FloatMarks> | undefined;
  const own = wholeFloats.get(value);
  if (own !== undefined && own.size > 0) {
    node = {};
    for (const key of own) setOwn(node, String(key), true);
  }
  const container = value as Record<string, unknown>;
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const size = keys === undefined ? (value as unknown[]).length : keys.length;
  for (let i = 0; i < size; i++) {
    const key = keys === undefined ? String(i) : (keys[i] as string);
    const child = keys === undefined ? (value as unknown[])[i] : container[key];
    if (child === null || typeof child !== "object") continue;
    const below = marksOfContainers(child);
    if (below === undefined) continue;
    node ??= {};
    setOwn(node, key, below);
  }
  return node;
}
