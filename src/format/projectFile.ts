/**
 * Reading and writing project files: the JSON list of experiment records that Python
 * lazyscribe 2.2.1 writes, validated against the zod schemas.
 *
 * @module
 */
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import { dumpPyJson, PyJsonSyntaxError, parsePyJson } from "./pyjson/index.js";
import { type ExperimentInput, ExperimentRecordSchema } from "./schemas.js";

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
 * Reads a project file's text into validated experiment records. The records keep the
 * parsed objects (metrics, parameters...) as they are, so that whole floats stay marked.
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function parseProjectFile(text: string, file: string): ExperimentInput[] {
  const data = parseJsonFile(text, file);
  if (!Array.isArray(data)) {
    throw new ValidationError(
      `a project file must hold a list of experiments, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  const records: ExperimentInput[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const raw = data[i];
    const result = ExperimentRecordSchema.safeParse(raw);
    if (!result.success) raiseIssue(result.error.issues, file, i);
    records[i] = withDefaults(raw as Record<string, unknown>, result.data);
  }
  return records;
}

const DEFAULTED = ["metrics", "parameters", "tests", "artifacts", "tags", "dependencies"] as const;

/**
 * The raw record (freshly parsed, so ours to complete) with Python's defaults filled in from
 * zod's output. The raw nested objects are kept, so that whole floats stay marked.
 */
function withDefaults(raw: Record<string, unknown>, parsed: ExperimentInput): ExperimentInput {
  for (const key of DEFAULTED) {
    if (raw[key] === undefined) raw[key] = parsed[key];
  }
  return raw as ExperimentInput;
}

/** Writes experiment records as Python's `json.dump(records, f, sort_keys=True, indent=4)`. */
export function serializeProjectFile(records: readonly object[]): string {
  return dumpPyJson(records);
}
