/**
 * Reading and writing repository files: the JSON list of artifact records that Python
 * lazyscribe 2.2.1's `Repository.save` writes (`json.dump(records, f, sort_keys=True,
 * indent=4)`), validated against the zod schema.
 *
 * @module
 */
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { raiseIssue, readJsonFile } from "./projectFile.js";
import { childMarks, dumpPyJson, type FloatMarks, marksOfItems } from "./pyjson/index.js";
import { type ArtifactRecord, ArtifactRecordSchema } from "./schemas.js";

/** A repository file: a list of artifact records (keys a handler adds are kept). */
export const RepositoryFileSchema = z.array(ArtifactRecordSchema);

/** A repository file's records, as read and as written. */
export type RepositoryFile = z.infer<typeof RepositoryFileSchema>;

/** An artifact record and where it holds whole floats (see `FloatMarks`). */
export interface MarkedArtifactRecord {
  readonly record: ArtifactRecord;
  readonly marks?: FloatMarks | undefined;
}

/**
 * Reads a repository file's text into validated artifact records: zod's output, with each
 * `created_at` as Python writes it back, and unknown keys kept; beside each, the marks of
 * its whole floats, for {@link serializeRepositoryFile}.
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function parseRepositoryFile(text: string, file: string): MarkedArtifactRecord[] {
  const { value: data, marks } = readJsonFile(text, file);
  if (!Array.isArray(data)) {
    throw new ValidationError(
      `a repository file must hold a list of artifacts, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  return data.map((raw: object, i) => {
    const result = ArtifactRecordSchema.safeParse(raw);
    if (!result.success) raiseIssue(result.error.issues, file, i);
    return { record: result.data, marks: childMarks(marks, i) };
  });
}

/**
 * Writes artifact records as Python's `json.dump(records, f, sort_keys=True, indent=4)`,
 * the numbers marked in each record's marks as floats.
 */
export function serializeRepositoryFile(records: readonly MarkedArtifactRecord[]): string {
  return dumpPyJson(
    records.map((r) => r.record),
    marksOfItems(records.map((r) => r.marks)),
  );
}
