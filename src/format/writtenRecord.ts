/**
 * The fast path of reading a project file's records: a record in the form lazyscribe writes
 * (every key present, each of the schema's type, timestamps in the form written back) is
 * checked directly, and zod's output for it is built without zod. Anything else — a missing
 * key to default, a value of another type, a timestamp to normalise, an own `__proto__` key —
 * is left to `StoredExperimentSchema`, which fills in the defaults or explains the refusal.
 *
 * The check accepts nothing the schema refuses and gives what the schema gives: a property
 * test holds it to `StoredExperimentSchema` on generated and mutated records.
 *
 * @module
 */
import {
  everyItem,
  isJsonValue,
  isMetricValue,
  isPlainRecord,
  type StoredExperiment,
} from "./schemas.js";
import { readTimestamp } from "./timestamps.js";

const DEPENDENCY = /^[^|]*\|[^|]+$/;

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** A plain object without an own `__proto__` key (zod's records handle that key apart). */
function isRecordObject(value: unknown): value is Record<string, unknown> {
  return isPlainRecord(value) && !Object.hasOwn(value, "__proto__");
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && everyItem(value, isString);
}

function isMetrics(value: unknown): boolean {
  if (!isRecordObject(value)) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (!isMetricValue(value[keys[i] as string])) return false;
  }
  return true;
}

function isParameters(value: unknown): boolean {
  if (!isRecordObject(value)) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (!isJsonValue(value[keys[i] as string])) return false;
  }
  return true;
}

/** A timestamp text that reads, in the very form a save writes back. */
function isWrittenTimestamp(value: unknown): boolean {
  return isString(value) && readTimestamp(value)?.text === value;
}

function isArtifact(value: unknown): boolean {
  if (!isRecordObject(value)) return false;
  const { name, fname, handler, created_at, version, expiry } = value;
  return (
    isString(name) &&
    isString(fname) &&
    isString(handler) &&
    isWrittenTimestamp(created_at) &&
    (version === undefined ||
      (typeof version === "number" && Number.isSafeInteger(version) && version >= 0)) &&
    (expiry === undefined ||
      expiry === null ||
      (isString(expiry) && readTimestamp(expiry) !== undefined))
  );
}

function isTest(value: unknown): boolean {
  if (!isRecordObject(value)) return false;
  const { name, description, metrics, parameters, artifacts } = value;
  return (
    isString(name) &&
    name.length > 0 &&
    (description === null || isString(description)) &&
    isMetrics(metrics) &&
    isParameters(parameters) &&
    Array.isArray(artifacts) &&
    everyItem(artifacts, isArtifact)
  );
}

function isDependency(value: unknown): boolean {
  return isString(value) && DEPENDENCY.test(value);
}

/**
 * `StoredExperimentSchema`'s output for `value` when `value` is a record in the form
 * lazyscribe writes; `undefined` otherwise (then the schema must read it). The output shares
 * every value with `value`; only the record object is new, with its timestamps decoded.
 */
export function writtenRecord(value: unknown): StoredExperiment | undefined {
  if (!isRecordObject(value)) return undefined;
  const r = value;
  const ok =
    isString(r.name) &&
    r.name.length > 0 &&
    isString(r.author) &&
    isString(r.last_updated_by) &&
    isString(r.short_slug) &&
    isString(r.slug) &&
    isMetrics(r.metrics) &&
    isParameters(r.parameters) &&
    Array.isArray(r.dependencies) &&
    everyItem(r.dependencies, isDependency) &&
    isStringList(r.tags) &&
    Array.isArray(r.artifacts) &&
    everyItem(r.artifacts, isArtifact) &&
    Array.isArray(r.tests) &&
    everyItem(r.tests, isTest) &&
    isString(r.created_at) &&
    isString(r.last_updated);
  if (!ok) return undefined;
  const createdAt = readTimestamp(r.created_at as string);
  const lastUpdated = readTimestamp(r.last_updated as string);
  if (createdAt === undefined || lastUpdated === undefined) return undefined;
  return { ...r, created_at: createdAt, last_updated: lastUpdated } as StoredExperiment;
}
