/**
 * Whole-float marks: where a parsed value held floats that JavaScript reads as integers
 * (`1.0`, `0.0`, `1e+16`, `-0.0`), so that the writer gives them back as Python wrote them.
 *
 * JavaScript has one number type: `JSON.parse("1.0")` and `JSON.parse("1")` are both `1`.
 * The marks live beside the value, not inside it nor keyed by its objects' identity, so a
 * value can be copied, frozen, spread or `structuredClone`d and still be written back byte
 * for byte, as long as its marks travel with it. Every holder of read values keeps them so:
 * the project keeps each record's marks beside its text, an `Experiment` or `Test` the marks
 * of the record it was built from (as `floatMarks`, updated when a value is logged over one
 * that was read), a repository each artifact record's. The writers take marks as an
 * argument and find them nowhere else.
 *
 * ## Representation
 *
 * {@link FloatMarks} is a sparse mirror of the value: `true` marks the value itself as a whole
 * float; an object maps the keys of the containers that hold marked floats (object keys, or
 * array indices written as decimal strings) to the marks below them. Containers without any
 * whole float below them are absent, so the marks of a typical record are a few keys. The
 * mirror nodes are plain objects of which only own keys count (a key `__proto__` is data,
 * set as an own property). Marks are values: treat them as read-only and derive new ones
 * with {@link withMark} or {@link withMarksAt}, which share what they do not change.
 * `undefined` means "no whole floats".
 *
 * A mark says how a number at its path is written; it says nothing about the value there. A
 * value replaced at a marked path keeps the mark until the holder drops it (`withMark(marks,
 * path, false)`): `logMetric` and `logParameter` do, so a whole number logged from JavaScript
 * is written as an integer.
 *
 * ```ts
 * readPyJson('{"a": [1.0, 2], "b": {"c": 0.0}, "d": 1}').marks
 * // { a: { "0": true }, b: { c: true } }
 * readPyJson("1.0").marks   // true
 * ```
 *
 * For a project file, the marks of record `i` are `childMarks(marks, i)`: the core keeps
 * them beside each record.
 *
 * @module
 */
import { setOwn } from "../../own.js";
import type { Key } from "./path.js";

/**
 * Where a value holds whole floats: `true` for the value itself, or a sparse mirror of its
 * containers (see the module comment). `undefined` when there are none.
 */
export type FloatMarks = true | { readonly [key: string]: FloatMarks };

/** A fresh, prototype-less mirror node (internal to building marks). */
export type MarkNode = { [key: string]: FloatMarks };

/** A new, empty mirror node. */
export function newMarkNode(): MarkNode {
  return {};
}

/** The marks below `key` of a container whose marks are `marks`. */
export function childMarks(marks: FloatMarks | undefined, key: Key): FloatMarks | undefined {
  if (marks === undefined || marks === true || !Object.hasOwn(marks, key)) return undefined;
  return marks[key];
}

/** The marks at `path` below `marks` (`true` if that value is a whole float). */
export function marksAt(
  marks: FloatMarks | undefined,
  path: readonly Key[],
): FloatMarks | undefined {
  let here = marks;
  for (const key of path) {
    here = childMarks(here, key);
    if (here === undefined) return undefined;
  }
  return here;
}

/** Whether the value at `path` was read as a whole float. */
export function isMarkedFloat(marks: FloatMarks | undefined, path: readonly Key[]): boolean {
  return marksAt(marks, path) === true;
}

/**
 * New marks with the value at `path` marked as a whole float (`isFloat` true), or with every
 * mark at and below `path` removed (`isFloat` false: the value there was replaced). `marks`
 * is not changed; untouched branches are shared.
 */
export function withMark(
  marks: FloatMarks | undefined,
  path: readonly Key[],
  isFloat: boolean,
): FloatMarks | undefined {
  return withMarksAt(marks, path, isFloat ? true : undefined);
}

/**
 * New marks whose marks at `path` are `below` (`undefined`: none there), whatever they were:
 * how the marks of a part (a test's, a record's in a list) are put into those of the whole.
 * `marks` is not changed; untouched branches are shared.
 */
export function withMarksAt(
  marks: FloatMarks | undefined,
  path: readonly Key[],
  below: FloatMarks | undefined,
): FloatMarks | undefined {
  if (path.length === 0) return below;
  const [head, ...rest] = path as [Key, ...Key[]];
  const node = marks === undefined || marks === true ? undefined : marks;
  const before = childMarks(node, head);
  const after = withMarksAt(before, rest, below);
  if (after === before) return marks;
  const copy = newMarkNode();
  if (node !== undefined) {
    for (const key of Object.keys(node)) setOwn(copy, key, node[key] as FloatMarks);
  }
  if (after === undefined) delete copy[head];
  else setOwn(copy, String(head), after);
  return Object.keys(copy).length === 0 ? undefined : copy;
}

/**
 * The marks of a list (or an object) from the marks of its items: `items[i]` gives the marks
 * of the item at key `i` (or `undefined`). One node for the whole list, however long.
 */
export function marksOfItems(items: readonly (FloatMarks | undefined)[]): FloatMarks | undefined {
  let node: MarkNode | undefined;
  for (let i = 0; i < items.length; i++) {
    const below = items[i];
    if (below === undefined) continue;
    node ??= newMarkNode();
    node[String(i)] = below;
  }
  return node;
}

/** Marks built by the parser with the nodes that repeated keys left empty pruned away. */
export function prunedMarks(marks: FloatMarks | undefined): FloatMarks | undefined {
  if (marks === undefined || marks === true) return marks;
  const node = marks as MarkNode;
  for (const key of Object.keys(node)) {
    const below = prunedMarks(node[key]);
    if (below === undefined) delete node[key];
  }
  return Object.keys(node).length === 0 ? undefined : node;
}
