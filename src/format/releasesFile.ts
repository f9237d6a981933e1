/**
 * The releases file (`releases.json`) that Python lazyscribe 2.2.1's `release.dump` writes,
 * and the configuration sections from which releases are made for several repositories at
 * once: `[tool.lazyscribe]` of a `pyproject.toml`, `"lazyscribe"` of a `package.json`.
 *
 * @module
 */
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { parseJsonFile, raiseIssue } from "./projectFile.js";
import { TimestampSchema } from "./timestamps.js";

/** One release as Python writes it: `{"tag": ..., "artifacts": [[name, version], ...], "created_at": ...}`. */
export const ReleaseRecordSchema = z.looseObject({
  /** The release's tag (`"v1.0.0"`). */
  tag: z.string(),
  /** The released versions: `[name, version]` pairs. */
  artifacts: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
  /** When the release was made (UTC). */
  created_at: TimestampSchema,
});
/** One release as it is written. */
export type ReleaseRecord = z.input<typeof ReleaseRecordSchema>;
/** One release as read: its timestamp decoded. */
export type StoredRelease = z.output<typeof ReleaseRecordSchema>;

/** A releases file: a list of releases. */
export const ReleasesFileSchema = z.array(ReleaseRecordSchema);

/**
 * Reads the text of a releases file into validated release records.
 *
 * @param file - the file's name (or a description of the text), for error messages.
 * @throws ValidationError naming the file, the release's index and the field.
 */
export function parseReleasesFile(text: string, file: string): StoredRelease[] {
  const data = parseJsonFile(text, file);
  if (!Array.isArray(data)) {
    throw new ValidationError(
      `a releases file must hold a list of releases, found ${data === null ? "null" : typeof data}`,
      { file },
    );
  }
  const records: StoredRelease[] = [];
  for (let i = 0; i < data.length; i++) {
    const result = ReleaseRecordSchema.safeParse(data[i]);
    if (!result.success) raiseIssue(result.error.issues, file, i);
    records.push(result.data);
  }
  return records;
}

/** The lazyscribe settings of a configuration file: which repositories get releases, and how tags read. */
export const ReleaseSettingsSchema = z.object({
  repositories: z.array(z.string().min(1, "a repository path cannot be empty")),
  version: z.string().min(1).optional(),
  format: z.string().min(1).optional(),
});
/** The lazyscribe settings of a configuration file. */
export type ReleaseSettings = z.infer<typeof ReleaseSettingsSchema>;

/** The parts of a `pyproject.toml` that releases read: `[project] version` and `[tool.lazyscribe]`. */
export const PyprojectSchema = z.looseObject({
  project: z.looseObject({ version: z.string().optional() }).optional(),
  tool: z.looseObject({ lazyscribe: ReleaseSettingsSchema }),
});

/** The parts of a `package.json` that releases read: `version` and `"lazyscribe"`. */
export const PackageJsonSchema = z.looseObject({
  version: z.string().optional(),
  lazyscribe: ReleaseSettingsSchema,
});
