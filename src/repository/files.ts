/**
 * The files of the versions of repository artifacts: versions of one name live in one folder
 * (`<repository folder>/<name>/`), so no two may have the same file name, or saving one would
 * overwrite the other; and the files a save writes.
 *
 * @module
 */
import type { ArtifactWrite } from "../artifacts/io.js";
import { distinctFname } from "../artifacts/paths.js";
import { ArtifactLogError, SaveError } from "../errors.js";
import type { ArtifactRecord } from "../format/schemas.js";
import { describeVersion, type Entry, versionFile } from "./versions.js";

/**
 * Gives `record` (a new version of its name) a file no other version of the name has: its
 * default name when free, else `...-v<version>.<suffix>` (two versions logged or promoted in
 * the same second). A file name the user chose is refused when taken.
 *
 * @param chosen - whether the user gave the file name.
 * @throws ArtifactLogError when a chosen file name is another version's.
 */
export function assignVersionFile(
  entries: readonly Entry[],
  record: ArtifactRecord,
  chosen: boolean,
  what: string,
): void {
  const taken = (fname: string) =>
    entries.some((e) => e.record.name === record.name && e.record.fname === fname);
  if (chosen && taken(record.fname)) {
    throw new ArtifactLogError(
      `${what}: another version of "${record.name}" already has the file ${JSON.stringify(record.fname)}, which this version would overwrite; pass another fname, or none to get a file of its own`,
    );
  }
  record.fname = distinctFname(record.fname, `v${record.version ?? 0}`, taken);
}

/**
 * The files to write for the versions of repository `fpath` logged since the last save; each
 * version's data is dropped once its file is written.
 *
 * @throws SaveError when a version's file name would leave the repository's folder.
 */
export function pendingVersionWrites(fpath: string, entries: readonly Entry[]): ArtifactWrite[] {
  const writes: ArtifactWrite[] = [];
  for (const entry of entries) {
    const data = entry.data;
    if (data === undefined) continue;
    writes.push({
      location: versionFile(fpath, entry, SaveError),
      data,
      what: describeVersion(fpath, entry),
      written: () => {
        if (entry.data === data) entry.data = undefined;
      },
    });
  }
  return writes;
}
