/**
 * Reading and writing repository files: the JSON list of artifact records that Python
 * lazyscribe 2.2.1's `Repository.save` writes (`json.dump(records, f, sort_keys=True,
 * indent=4)`), validated against the zod schema.
 *
 * @module
 */
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { parseJsonFile, raiseIssue } from "./projectFile.js";
import { dumpPyJson } from "./pyjson/index.js";
import { type ArtifactRecord, ArtifactRecordSchema } from "./schemas.js";

/** A repository file: a list of artifact records (keys a handler adds are kept). */
export const RepositoryFileSchema = z.array(ArtifactRecordSchema);

/** A repository file's records, as read and as written. */
export type RepositoryFile = z.infer<typeof RepositoryFileSchema>;

/**
 * Reads a repository file's text into validated artifact records. The parsed objects are
 * kept as they are, so that unknown keys and whole floats are written back unchanged.
 *
 * @param file - the file's name, for error messages.
 * @throws ValidationError naming the file, the record's index and the field.
 */
export function parseRepositoryFile(text: string, file: string): ArtifactRecord[] {
  const data = parseJsonFile(text, file);
  if (!Array.isArray(data)) {
    throw new ValidationError(
      `a repository file must hold a list of artifacts, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  for (let i = 0; i < data.length; i++) {
    const result = ArtifactRecordSchema.safeParse(data[i]);
    if (!result.success) raiseIssue(result.error.issues, file, i);
  }
  return data as ArtifactRecord[];
}

/** Writes artifact records as Python's `json.dump(records, f, sort_keys=True, indent=4)`. */
export function serializeRepositoryFile(records: readonly ArtifactRecord[]): string {
  return dumpPyJson(records);
}
