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
 * Opening a project runs it on each record as `JSON.parse` read it, as the record reader's
 * vouch ({@link vouchedWrittenRecord}): the same walk then also checks that every number is
 * one Python reads alike and that nothing nests too deep, which spares the reader a second
 * walk over every value to learn it.
 *
 * @module
 */
import { isExactDouble, MAX_NESTING, needsExactRead } from "./pyjson/index.js";
import {
  EXPERIMENT_KEYS,
  everyItem,
  isJsonValue,
  isMetricValue,
  isPlainRecord,
  type StoredExperiment,
  TEST_KEYS,
} from "./schemas.js";
import { readTimestamp } from "./timestamps.js";

const DEPENDENCY = /^[^|]*\|[^|]+$/;

/**
 * How values are checked: as the schema checks them (`vouch` false), or also as the record
 * reader's vouch (`vouch` true): every number exact (`isExactDouble`), no container deeper
 * than the room left, and the values the schema does not look into (unknown keys, artifacts)
 * walked by `needsExactRead`. `room` is the levels of nesting left for the value checked.
 */
interface Rules {
  readonly vouch: boolean;
}

const SCHEMA: Rules = { vouch: false };
const VOUCH: Rules = { vouch: true };

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

/** {@link isMetricValue} of a value `JSON.parse` read, its numbers exact, within `room`. */
function isExactMetricValue(value: unknown, room: number): boolean {
  switch (typeof value) {
    case "number":
      return isExactDouble(value);
    case "string":
    case "boolean":
      return true;
  }
  if (value === null) return true;
  if (!Array.isArray(value) || room === 0) return false;
  for (let i = 0; i < value.length; i++) if (!isExactMetricValue(value[i], room - 1)) return false;
  return true;
}

/** {@link isJsonValue} of a value `JSON.parse` read, its numbers exact, within `room`. */
function isExactJsonValue(value: unknown, room: number): boolean {
  switch (typeof value) {
    case "number":
      return isExactDouble(value);
    case "string":
    case "boolean":
      return true;
  }
  if (value === null) return true;
  if (room === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isExactJsonValue(value[i], room - 1)) return false;
    return true;
  }
  if (!isPlainRecord(value)) return false;
  // `for...in` visits inherited enumerable keys too: a refusal here only declines the vouch.
  for (const key in value) if (!isExactJsonValue(value[key], room - 1)) return false;
  return true;
}

/** The checks of one kind of dict's values: the plain one, and the vouch's exact one. */
interface ValueChecks {
  readonly plain: (value: unknown) => boolean;
  readonly exact: (value: unknown, room: number) => boolean;
}

const METRICS: ValueChecks = { plain: isMetricValue, exact: isExactMetricValue };
const PARAMETERS: ValueChecks = { plain: isJsonValue, exact: isExactJsonValue };

/** Whether `value` is a dict (metrics or parameters) whose values pass `checks`. */
function isDictOf(value: unknown, checks: ValueChecks, rules: Rules, room: number): boolean {
  if (!isRecordObject(value)) return false;
  if (rules.vouch) {
    if (room === 0) return false;
    for (const key in value) if (!checks.exact(value[key], room - 1)) return false;
    return true;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (!checks.plain(value[keys[i] as string])) return false;
  }
  return true;
}

/** For the vouch: the values of `record`'s keys outside `known` need no exact reading. */
function areOthersExact(
  record: Record<string, unknown>,
  known: ReadonlySet<string>,
  room: number,
): boolean {
  for (const key in record) {
    if (!known.has(key) && needsExactRead(record[key], room - 1)) return false;
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

/** Whether every item of `value` is an artifact (within `room`, for the vouch). */
function areArtifacts(value: unknown, rules: Rules, room: number): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (!isArtifact(item)) return false;
    if (rules.vouch && needsExactRead(item, room - 1)) return false;
  }
  return true;
}

function isTest(value: unknown, rules: Rules, room: number): boolean {
  if (!isRecordObject(value)) return false;
  const { name, description, metrics, parameters, artifacts } = value;
  return (
    isString(name) &&
    name.length > 0 &&
    (description === null || isString(description)) &&
    isDictOf(metrics, METRICS, rules, room - 1) &&
    isDictOf(parameters, PARAMETERS, rules, room - 1) &&
    areArtifacts(artifacts, rules, room - 1) &&
    (!rules.vouch || (room > 0 && areOthersExact(value, TEST_KEYS, room)))
  );
}

function areTests(value: unknown, rules: Rules, room: number): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isTest(value[i], rules, room - 1)) return false;
  return true;
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
  return checkedRecord(value, SCHEMA);
}

/**
 * {@link writtenRecord} of a record as `JSON.parse` read it, as the record reader's vouch
 * (see `RecordVouch`): `undefined` also when a number in it may read otherwise in Python or
 * it nests too deep, so that a result vouches for the record as read.
 */
export function vouchedWrittenRecord(value: unknown): StoredExperiment | undefined {
  return checkedRecord(value, VOUCH);
}

/** The room of a record in a project file: the list holds it, one level down. */
const RECORD_ROOM = MAX_NESTING - 1;

function checkedRecord(value: unknown, rules: Rules): StoredExperiment | undefined {
  if (!isRecordObject(value)) return undefined;
  const r = value;
  const room = RECORD_ROOM;
  const ok =
    isString(r.name) &&
    r.name.length > 0 &&
    isString(r.author) &&
    isString(r.last_updated_by) &&
    isString(r.short_slug) &&
    isString(r.slug) &&
    isDictOf(r.metrics, METRICS, rules, room - 1) &&
    isDictOf(r.parameters, PARAMETERS, rules, room - 1) &&
    Array.isArray(r.dependencies) &&
    everyItem(r.dependencies, isDependency) &&
    isStringList(r.tags) &&
    areArtifacts(r.artifacts, rules, room - 1) &&
    areTests(r.tests, rules, room - 1) &&
    isString(r.created_at) &&
    isString(r.last_updated) &&
    (!rules.vouch || areOthersExact(r, EXPERIMENT_KEYS, room));
  if (!ok) return undefined;
  const createdAt = readTimestamp(r.created_at as string);
  const lastUpdated = readTimestamp(r.last_updated as string);
  if (createdAt === undefined || lastUpdated === undefined) return undefined;
  return { ...r, created_at: createdAt, last_updated: lastUpdated } as StoredExperiment;
}
