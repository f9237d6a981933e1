/**
 * Reading and writing project files: the JSON list of experiment records that Python
 * lazyscribe 2.2.1 writes, validated against the zod schemas.
 *
 * @module
 */
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import {
  dumpPyJson,
  isWholeFloat,
  markWholeFloat,
  PyJsonSyntaxError,
  parsePyJson,
} from "./pyjson/index.js";
import { type StoredExperiment, StoredExperimentSchema } from "./schemas.js";

/**
 * Parses JSON text, turning a refusal into a {@link ValidationError} that names the file,
 * the line, the column and the cause ("not JSON at line 1, column 1").
 */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return parsePyJson(text);
  } catch (error) {
    if (!(error instanceof PyJsonSyntaxError)) throw error;
    const problem = error.reason.includes("not JSON")
      ? error.message
      : `not valid JSON: ${error.message}`;
    throw new ValidationError(problem, { file }, { cause: error });
  }
}

/**
 * Throws a {@link ValidationError} for the first problem zod found, with its path.
 */
export function raiseIssue(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  record?: number,
): never {
  const issue = issues[0] as z.core.$ZodIssue;
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : "";
  throw new ValidationError(`${issue.message}${more}`, { file, record, path });
}

/**
 * Reads a project file's text into validated experiment records: zod's output, with Python's
 * defaults filled in and the timestamps decoded. Metrics, parameters and the values of
 * unknown keys are the parsed objects themselves, so that whole floats stay marked.
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function parseProjectFile(text: string, file: string): StoredExperiment[] {
  const data = parseJsonFile(text, file);
  if (!Array.isArray(data)) {
    throw new ValidationError(
      `a project file must hold a list of experiments, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  const records: StoredExperiment[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const raw = data[i];
    const result = StoredExperimentSchema.safeParse(raw);
    if (!result.success) raiseIssue(result.error.issues, file, i);
    records[i] = carryRecordMarks(raw as object, result.data);
  }
  return records;
}

type Nested = { tests?: object[]; artifacts?: object[] };

/**
 * zod's output (and input, when it encodes) is a new object for each record (experiment,
 * test, artifact); the whole-float marks of the values right under it (an unknown key holding
 * `1.0`) are carried over from the record it was made from. Deeper values are the same
 * objects, whose marks stay.
 */
export function carryRecordMarks<T extends object>(from: object, to: T): T {
  carryMarks(from, to);
  const fromTests = (from as Nested).tests ?? [];
  const toTests = (to as Nested).tests ?? [];
  for (let i = 0; i < fromTests.length; i++) {
    carryRecordMarks(fromTests[i] as object, toTests[i] as object);
  }
  const fromArtifacts = (from as Nested).artifacts ?? [];
  const toArtifacts = (to as Nested).artifacts ?? [];
  for (let i = 0; i < fromArtifacts.length; i++) {
    carryMarks(fromArtifacts[i] as object, toArtifacts[i] as object);
  }
  return to;
}

/** Carries the marks of the values right under `from` to the same keys of `to`. */
export function carryMarks(from: object, to: object): void {
  for (const key of Object.keys(from)) {
    if (isWholeFloat(from, key)) markWholeFloat(to, key);
  }
}

/** Writes experiment records as Python's `json.dump(records, f, sort_keys=True, indent=4)`. */
export function serializeProjectFile(records: readonly object[]): string {
  return dumpPyJson(records);
}
