/**
 * Reading and writing project files: the JSON list of experiment records that Python
 * lazyscribe 2.2.1 writes, validated against the zod schemas.
 *
 * @module
 */
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import {
  childMarks,
  dumpPyJson,
  type FloatMarks,
  marksOfItems,
  type ProjectRecordRead,
  type PyJsonRead,
  PyJsonSyntaxError,
  readProjectRecords,
  readPyJson,
  type VouchedRecordRead,
} from "./pyjson/index.js";
import { type StoredExperiment, StoredExperimentSchema } from "./schemas.js";
import { vouchedWrittenRecord, writtenRecord } from "./writtenRecord.js";

/**
 * Reads JSON text as `readPyJson` does (the value and its whole floats' marks), turning a
 * refusal into a {@link ValidationError} that names the file, the line, the column and the
 * cause ("not JSON at line 1, column 1").
 */
export function readJsonFile(text: string, file: string): PyJsonRead {
  return asValidationError(() => readPyJson(text), file);
}

/** The value alone of {@link readJsonFile}, for files that hold no whole floats to keep. */
export function parseJsonFile(text: string, file: string): unknown {
  return readJsonFile(text, file).value;
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
  const reads = asValidationError(() => readProjectRecords(text, vouchedWrittenRecord), file);
  if (reads === undefined) {
    const data = parseJsonFile(text, file);
    throw new ValidationError(
      `a project file must hold a list of experiments, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  const records: LoadedRecord[] = new Array(reads.length);
  for (let i = 0; i < reads.length; i++) {
    const read = reads[i] as VouchedRecordRead<StoredExperiment>;
    const written = read.vouched ?? writtenRecord(read.value);
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
 * Reads a project file's text into validated experiment records, as `readProjectFile` does,
 * without their texts nor their whole floats' marks (`readProjectFile` keeps both: a record
 * written again without its marks has its whole floats written as integers).
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function parseProjectFile(text: string, file: string): StoredExperiment[] {
  return readProjectFile(text, file).map(({ record }) => record);
}

/** An item that writes itself with its whole floats' marks: an `Experiment`, a `Test`. */
interface MarkedItem {
  toJSON(): unknown;
  readonly floatMarks: FloatMarks | undefined;
}

function isMarkedItem(item: object): item is MarkedItem {
  return typeof (item as Partial<MarkedItem>).toJSON === "function" && "floatMarks" in item;
}

/**
 * Writes experiment records as Python's `json.dump(records, f, sort_keys=True, indent=4)`:
 * `Experiment`s with their own whole floats (`floatMarks`), plain records with theirs in
 * `marks` (the marks of the list, as `readPyJson` gives them for a project file).
 */
export function serializeProjectFile(records: readonly object[], marks?: FloatMarks): string {
  let all = marks;
  if (records.some(isMarkedItem)) {
    const items = records.map((r, i) => (isMarkedItem(r) ? r.floatMarks : childMarks(marks, i)));
    all = marksOfItems(items);
  }
  return dumpPyJson(records, all);
}
