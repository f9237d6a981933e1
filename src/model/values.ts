/**
 * Checks and copies of the values users log. A value that cannot be stored in a project file
 * is refused here, before anything changes, with an error that names the metric or parameter.
 *
 * @module
 */
import { ValidationError } from "../errors.js";
import type { JsonValue, MetricValue } from "../format/schemas.js";
import { isPlainObject } from "../guards.js";
import { setOwn } from "../own.js";

type What = "metric" | "parameter";

function refuse(what: What, name: string, path: string[], problem: string): never {
  const where = path.length > 0 ? ` at ${path.join(".")}` : "";
  throw new ValidationError(`cannot log ${what} "${name}": ${problem}${where}`);
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (value instanceof Date) return "a Date (log its ISO string)";
  if (typeof value === "object" && value !== null) {
    return `a ${value.constructor?.name ?? "non-plain"} object (only plain objects and arrays are JSON)`;
  }
  return typeof value;
}

/**
 * Checks that `value` is JSON data (null, booleans, numbers, `bigint`s (written as integers),
 * strings, arrays and plain objects, without cycles) and returns a deep copy of it. Keys such as `__proto__` are copied as plain
 * data.
 *
 * @throws ValidationError naming the parameter and the path of the offending part.
 */
export function copyParameterValue(name: string, value: unknown): JsonValue {
  if (value === null || typeof value !== "object")
    return copyJson("parameter", name, value, [], NO_SEEN);
  return copyJson("parameter", name, value, [], new Set());
}

/** The `seen` set of scalar values: never written to, since scalars have no children. */
const NO_SEEN: Set<object> = new Set();

function copyJson(
  what: What,
  name: string,
  value: unknown,
  path: string[],
  seen: Set<object>,
): JsonValue {
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "boolean"
  ) {
    return value as JsonValue;
  }
  if (typeof value !== "object" || !(Array.isArray(value) || isPlainObject(value))) {
    refuse(what, name, path, `${describe(value)} cannot be stored`);
  }
  if (seen.has(value)) refuse(what, name, path, "the value contains a cycle");
  seen.add(value);
  let copy: JsonValue;
  if (Array.isArray(value)) {
    const out: JsonValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      out[i] = copyJson(what, name, value[i], path, seen);
      path.pop();
    }
    copy = out;
  } else {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      path.push(key);
      const item = copyJson(what, name, (value as Record<string, unknown>)[key], path, seen);
      setOwn(out, key, item);
      path.pop();
    }
    copy = out;
  }
  seen.delete(value);
  return copy;
}

/**
 * Checks that `value` can be a metric — a number (NaN and infinities included), a `bigint`
 * (written as an integer), a string, or an array of those (arrays may nest) — and returns a
 * copy of it.
 *
 * @throws ValidationError naming the metric and what was wrong.
 */
export function copyMetricValue(name: string, value: unknown): MetricValue {
  if (isMetricScalar(value)) return value as MetricValue;
  if (!Array.isArray(value)) {
    refuse("metric", name, [], `${describe(value)} is not a number, a string or an array of those`);
  }
  return copyMetricArray(name, value, [], new Set());
}

function copyMetricArray(
  name: string,
  value: unknown[],
  path: string[],
  seen: Set<object>,
): MetricValue[] {
  if (seen.has(value)) refuse("metric", name, path, "the value contains a cycle");
  seen.add(value);
  const out: MetricValue[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (isMetricScalar(item)) {
      out[i] = item as MetricValue;
    } else if (Array.isArray(item)) {
      path.push(String(i));
      out[i] = copyMetricArray(name, item, path, seen);
      path.pop();
    } else {
      refuse("metric", name, [...path, String(i)], `${describe(item)} is not a number or a string`);
    }
  }
  seen.delete(value);
  return out;
}

function isMetricScalar(value: unknown): value is number | bigint | string {
  return typeof value === "number" || typeof value === "bigint" || typeof value === "string";
}

/**
 * Checks a name given to an experiment, a test, a metric, a parameter or a tag.
 *
 * @throws ValidationError when the name is not a non-empty string.
 */
export function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new ValidationError(
      `${kind} name must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}`,
    );
  }
  return name;
}
