/**
 * Reading and writing project files: the JSON list of experiment records that Python
 * lazyscribe 2.2.1 writes, validated against the zod schemas.
 *
 * @module
 */
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import { markContainers } from "./pyjson/containerMarks.js";
import {
  dumpPyJson,
  isWholeFloat,
  markWholeFloat,
  type ProjectRecordRead,
  PyJsonSyntaxError,
  parsePyJson,
  readProjectRecords,
} from "./pyjson/index.js";
import { type StoredExperiment, StoredExperimentSchema } from "./schemas.js";
import { writtenRecord } from "./writtenRecord.js";

/**
 * Parses JSON text, turning a refusal into a {@link ValidationError} that names the file,
 * the line, the column and the cause ("not JSON at line 1, column 1").
 */
export function parseJsonFile(text: string, file: string): unknown {
  return asValidationError(() => parsePyJson(text), file);
}

/** `read()`, with a refusal of the JSON reader made a {@link ValidationError} naming `file`. */
function asValidationError<T>(read: () => T, file: string): T {
  try {
    return read();
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

/** One validated record of a project file, with its text and whole floats. */
export interface LoadedRecord {
  /** zod's output: Python's defaults filled in, timestamps decoded; values as read. */
  readonly record: StoredExperiment;
  /**
   * The record's text in the file (`undefined` when the file is not in Python's layout) and
   * its whole floats, found on first access (see `readProjectRecords`).
   */
  readonly read: ProjectRecordRead;
}

/**
 * Reads a project file's text record by record (see `readProjectRecords`) and validates each
 * record (directly when it is in the form lazyscribe writes, see `writtenRecord.ts`; else by
 * `StoredExperimentSchema`): zod's output, with Python's defaults filled in and the timestamps decoded, beside
 * the record's text and marks. Metrics, parameters and the values of unknown keys are the
 * parsed objects themselves.
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field (or the line and
 *   column of text that is not JSON).
 */
export function readProjectFile(text: string, file: string): LoadedRecord[] {
  const reads = asValidationError(() => readProjectRecords(text), file);
  if (reads === undefined) {
    const data = parseJsonFile(text, file);
    throw new ValidationError(
      `a project file must hold a list of experiments, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  const records: LoadedRecord[] = new Array(reads.length);
  for (let i = 0; i < reads.length; i++) {
    const read = reads[i] as ProjectRecordRead;
    const written = writtenRecord(read.value);
    if (written !== undefined) {
      records[i] = { record: written, read };
      continue;
    }
    const result = StoredExperimentSchema.safeParse(read.value);
    if (!result.success) raiseIssue(result.error.issues, file, i);
    records[i] = { record: result.data, read };
  }
  return records;
}

/**
 * Reads a project file's text into validated experiment records (as `readProjectFile` does),
 * each one's whole floats recorded for the writers in the side
 * table of its containers.
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function parseProjectFile(text: string, file: string): StoredExperiment[] {
  return readProjectFile(text, file).map(({ record, read }) => {
    markContainers(record, read.marks);
    return record;
  });
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
