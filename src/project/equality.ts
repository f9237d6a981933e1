/**
 * Python lazyscribe's `==` between experiments, which its merge uses to skip a record the
 * merged list already holds (`if exp in cexp: continue`). attrs generates it: two experiments
 * are equal when they are of the same class (`ReadOnlyExperiment` or `Experiment`) and their
 * compared fields are equal by Python's rules (`1 == 1.0 == True`; a JSON `NaN` is one shared
 * object, so it equals itself inside a record); artifacts compare by handler class only and
 * dependencies not at all.
 *
 * @module
 */
import type { ArtifactRecord, ExperimentRecord, TestRecord } from "../format/schemas.js";

/** What the comparison needs of an experiment. */
export interface Comparable {
  readonly readOnly: boolean;
  readonly createdAt: Date;
  readonly lastUpdated: Date;
  toRecord(): ExperimentRecord;
}

const COMPARED_STRINGS = ["name", "author", "last_updated_by", "short_slug", "slug"] as const;
const SKIPPED = new Set([
  ...COMPARED_STRINGS,
  "created_at",
  "last_updated",
  "dependencies",
  "metrics",
  "parameters",
  "tests",
  "artifacts",
  "tags",
]);

/** Python's `a == b` for two experiments. */
export function experimentsEqual(a: Comparable, b: Comparable): boolean {
  if (a === b) return true;
  if (a.readOnly !== b.readOnly) return false;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return false;
  if (a.lastUpdated.getTime() !== b.lastUpdated.getTime()) return false;
  const ra = a.toRecord();
  const rb = b.toRecord();
  for (const key of COMPARED_STRINGS) if (ra[key] !== rb[key]) return false;
  return (
    pyEqual(ra.metrics, rb.metrics) &&
    pyEqual(ra.parameters, rb.parameters) &&
    pyEqual(ra.tags, rb.tags) &&
    sameHandlers(ra.artifacts, rb.artifacts) &&
    listsEqual(ra.tests as TestRecord[], rb.tests as TestRecord[], testsEqual) &&
    pyEqual(extraOf(ra), extraOf(rb))
  );
}

function testsEqual(a: TestRecord, b: TestRecord): boolean {
  return (
    a.name === b.name &&
    (a.description ?? null) === (b.description ?? null) &&
    pyEqual(a.metrics ?? {}, b.metrics ?? {}) &&
    pyEqual(a.parameters ?? {}, b.parameters ?? {}) &&
    sameHandlers(a.artifacts ?? [], b.artifacts ?? [])
  );
}

/** Artifacts of the same handler class are equal whatever their fields (all are `eq=False`). */
function sameHandlers(a: readonly ArtifactRecord[], b: readonly ArtifactRecord[]): boolean {
  return listsEqual(a, b, (x, y) => x.handler === y.handler);
}

function listsEqual<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equal(a[i] as T, b[i] as T)) return false;
  return true;
}

/** Fields of a record that Python lazyscribe does not know (compared as data, to be safe). */
function extraOf(record: ExperimentRecord): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!SKIPPED.has(key)) extra[key] = (record as Record<string, unknown>)[key];
  }
  return extra;
}

/**
 * Python's `==` on JSON data: numbers, booleans and integers of any size compare by value
 * (`True == 1 == 1.0`, `2**53 == 9007199254740992.0`), `NaN` equals itself (JSON's `NaN` is
 * one object, and containers compare identity first), lists by item, dicts by key set and value.
 */
export function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) {
    return na !== undefined && nb !== undefined && numbersEqual(na, nb);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && listsEqual(a, b, pyEqual);
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return false;
    if (!pyEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) {
      return false;
    }
  }
  return true;
}

function numeric(value: unknown): number | bigint | undefined {
  if (typeof value === "number" || typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return undefined;
}

function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (typeof a === "bigint" && typeof b === "bigint") return a === b;
  const [big, num] = typeof a === "bigint" ? [a, b as number] : [b as bigint, a as number];
  return Number.isInteger(num) && BigInt(num) === big;
}
