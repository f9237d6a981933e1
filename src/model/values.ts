/**
 * Checks and copies of the values users log. A value that cannot be stored in a project file
 * is refused here, before anything changes, with an error that names the metric or parameter,
 * says what the value is in plain words and what is accepted.
 *
 * Logging accepts exactly what a project file holds (and what Python lazyscribe writes): a
 * parameter is any JSON value, a metric a number (NaN and infinities included), a string, a
 * boolean, `null` or a (nested) list of those.
 *
 * @module
 */
import { ValidationError } from "../errors.js";
import { MAX_JSON_DEPTH } from "../format/limits.js";
import type { JsonValue, MetricValue } from "../format/schemas.js";
import { isPlainObject } from "../guards.js";
import { setOwn } from "../own.js";

type What = "metric" | "parameter";

/**
 * How deeply a logged value may nest (arrays and objects, the outermost counting as 1): the
 * file's limit {@link MAX_JSON_DEPTH} less the five levels a project file wraps a test's
 * parameters in (the list of experiments, the record, its `tests`, the test, `parameters`).
 * A deeper value is refused when it is logged, so that every save stays readable.
 */
export const MAX_VALUE_DEPTH = MAX_JSON_DEPTH - 5;

const ACCEPTED: Record<What, string> = {
  parameter:
    "a parameter is JSON data: null, a boolean, a number, a string, or arrays and plain objects of those",
  metric: "a metric is a number, a string, a boolean, null, or a (nested) array of those",
};

function refuse(what: What, name: string, path: readonly string[], problem: string): never {
  const where = path.length > 0 ? ` at ${path.join(".")}` : "";
  throw new ValidationError(`cannot log ${what} "${name}": ${problem}${where} (${ACCEPTED[what]})`);
}

/**
 * What `value` is, in plain words, for messages: "null", "an object", "an array", "a
 * function", "a Date", "a Map", "an instance of Model"...
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "bigint":
      return "a bigint";
    case "boolean":
      return "a boolean";
    case "number":
      return "a number";
    case "string":
      return "a string";
    default:
      break;
  }
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date (log its ISO string)";
  if (isPlainObject(value as object)) return "an object";
  const type = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof type !== "string" || type === "") return "an object that is not a plain object";
  if (BUILT_INS.has(type)) return `a ${type}`;
  return `an instance of ${type} (only plain objects and arrays are JSON)`;
}

const BUILT_INS = new Set([
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "RegExp",
  "Promise",
  "Error",
  "Buffer",
  "Uint8Array",
  "Float32Array",
  "Float64Array",
  "Int32Array",
  "ArrayBuffer",
  "Number",
  "String",
  "Boolean",
]);

/**
 * Checks that `value` is JSON data (null, booleans, numbers, strings, arrays and plain objects,
 * without cycles, at most {@link MAX_VALUE_DEPTH} levels deep) and returns a deep copy of it.
 * Keys such as `__proto__` are copied as plain data.
 *
 * @throws ValidationError naming the parameter, the path of the offending part, what it is and
 *   what is accepted.
 */
export function copyParameterValue(name: string, value: unknown): JsonValue {
  if (isJsonScalar(value)) return value;
  if (typeof value === "object" && !Array.isArray(value) && isPlainObject(value)) {
    return copyTopObject(name, value as Record<string, unknown>);
  }
  return copyJson("parameter", name, value, [], []);
}

/**
 * {@link copyJson} of a plain object logged as a parameter, its scalar values copied without
 * the path and the ancestors that only a nested value needs (most parameter objects, such as
 * `{ depth: 3, lr: 0.01 }`, have none).
 */
function copyTopObject(name: string, value: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  let path: string[] | undefined;
  let seen: Ancestors | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (isJsonScalar(item)) {
      setOwn(out, key, item);
      continue;
    }
    path ??= [];
    seen ??= [value];
    path.push(key);
    setOwn(out, key, copyJson("parameter", name, item, path, seen));
    path.pop();
  }
  return out;
}

/** A bigint is an integer beyond 2**53 as Python's files hold them: written as an integer. */
function isJsonScalar(value: unknown): value is null | boolean | number | bigint | string {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "boolean"
  );
}

/**
 * The arrays and objects being copied, outermost first: a value met again among them is a
 * cycle. A list rather than a set, as it is as short as the value is deep (a few levels, at
 * most {@link MAX_VALUE_DEPTH}) and most values are copied without ever reaching it.
 */
type Ancestors = object[];

function enter(what: What, name: string, value: object, path: string[], seen: Ancestors): void {
  if (seen.includes(value)) refuse(what, name, path, "the value contains a cycle");
  if (path.length >= MAX_VALUE_DEPTH) {
    refuse(
      what,
      name,
      [],
      `the value nests more than ${MAX_VALUE_DEPTH} levels deep, more than a project file can hold and Python can read; flatten it or log it as an artifact`,
    );
  }
  seen.push(value);
}

function copyJson(
  what: What,
  name: string,
  value: unknown,
  path: string[],
  seen: Ancestors,
): JsonValue {
  if (isJsonScalar(value)) return value;
  if (typeof value !== "object" || !(Array.isArray(value) || isPlainObject(value))) {
    refuse(what, name, path, `${describeValue(value)} cannot be stored`);
  }
  enter(what, name, value, path, seen);
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
  seen.pop();
  return copy;
}

/**
 * Checks that `value` can be a metric — a number (NaN and infinities included), a `bigint`
 * (written as an integer), a string, a boolean, `null`, or an array of those (arrays may nest, at most {@link MAX_VALUE_DEPTH}
 * levels) — and returns a copy of it.
 *
 * @throws ValidationError naming the metric, what the value is and what is accepted.
 */
export function copyMetricValue(name: string, value: unknown): MetricValue {
  if (isJsonScalar(value)) return value;
  if (!Array.isArray(value)) refuse("metric", name, [], `${describeValue(value)} cannot be stored`);
  return copyMetricArray(name, value, [], []);
}

function copyMetricArray(
  name: string,
  value: unknown[],
  path: string[],
  seen: Ancestors,
): MetricValue[] {
  enter("metric", name, value, path, seen);
  const out: MetricValue[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (isJsonScalar(item)) {
      out[i] = item;
    } else if (Array.isArray(item)) {
      path.push(String(i));
      out[i] = copyMetricArray(name, item, path, seen);
      path.pop();
    } else {
      refuse("metric", name, [...path, String(i)], `${describeValue(item)} cannot be stored`);
    }
  }
  seen.pop();
  return out;
}

/**
 * Checks a name given to an experiment, a test, a metric, a parameter or a tag.
 *
 * @throws ValidationError when the name is not a non-empty string.
 */
export function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    const shown = typeof name === "string" ? '""' : describeValue(name).replace(/ \(.*\)$/, "");
    throw new ValidationError(`${kind} name must be a non-empty string, got ${shown}`);
  }
  return name;
}
