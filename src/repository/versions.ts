/**
 * The versions of a repository's artifacts: finding them by creation time (ordering, the
 * version made in a given second, the versions made by a given time: shared with releases),
 * Python's whole version search, the next version number, expiry and promotion times, and
 * where a version's file is.
 *
 * @module
 */
import type { ArtifactData } from "../artifacts/handler.js";
import { artifactPath, checkSegment, type ErrorClass } from "../artifacts/paths.js";
import { nowToTheSecond } from "../artifacts/record.js";
import {
  ArtifactLogError,
  InvalidVersionError,
  NotFoundError,
  ValidationError,
  VersionNotFoundError,
} from "../errors.js";
import type { FloatMarks } from "../format/pyjson/index.js";
import type { ArtifactRecord } from "../format/schemas.js";
import { formatTimestamp, parseTimestamp } from "../format/timestamps.js";
import { dirnameOf, joinPath } from "../storage/index.js";

/**
 * A version of an artifact: its integer version, its creation time as a `Date`, or an ISO
 * 8601 string of its creation time (`"2025-01-20T13:23:30"`).
 */
export type ArtifactVersion = number | Date | string;

/**
 * How a date or ISO string version is matched: `"exact"` (default) wants the version created
 * at that second; `"asof"` wants the newest version created at or before it that had not
 * expired then. Integer versions are always exact.
 */
export type VersionMatch = "exact" | "asof";

/** Which version of an artifact a method works on. */
export interface VersionQuery {
  /**
   * The version; absent for the newest version that has not expired as of now (expired
   * versions are skipped, as Python does).
   */
  readonly version?: ArtifactVersion;
  /** How `version` is matched (default `"exact"`). */
  readonly match?: VersionMatch;
}

/** One version of an artifact, as the repository keeps it. */
export interface Entry {
  readonly record: ArtifactRecord;
  /** Where the record holds whole floats, as the file had them (see `FloatMarks`). */
  readonly marks?: FloatMarks | undefined;
  readonly createdAt: Date;
  expiry: Date | null;
  /** The encoded value, until `save()` writes it. */
  data: ArtifactData | undefined;
}

/** Something made at a time: an artifact version or a release. */
export interface Dated {
  readonly createdAt: Date;
}

/** `date` truncated to the second (the precision of the files' timestamps). */
export function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** A copy of `items` ordered by creation time, oldest first (items made together keep their order). */
export function sortByCreation<T extends Dated>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The first of `sorted` made in the same second as `when`. */
export function createdInSecond<T extends Dated>(sorted: readonly T[], when: Date): T | undefined {
  const second = toSecond(when).getTime();
  return sorted.find((item) => toSecond(item.createdAt).getTime() === second);
}

/** How many of `sorted` (ordered by {@link sortByCreation}) were made at or before `time` (ms). */
export function countCreatedBy<T extends Dated>(sorted: readonly T[], time: number): number {
  let count = 0;
  while (count < sorted.length && (sorted[count] as T).createdAt.getTime() <= time) count++;
  return count;
}

/**
 * Python's version search in the versions of a repository: the versions of `name` ordered by creation time, then the
 * newest live one (no version), the one created at that second (`"exact"` date), the
 * newest created at or before that time and not expired then (`"asof"` date), or the one
 * with that integer version.
 */
export function searchVersion(
  entries: readonly Entry[],
  fpath: string,
  name: string,
  version: ArtifactVersion | undefined,
  match: unknown,
): Entry {
  const how = match ?? "exact";
  if (how !== "exact" && how !== "asof") {
    throw new ValidationError(
      `invalid match ${JSON.stringify(match)}: use "exact" or "asof" ("asof" only with a date or ISO string version)`,
    );
  }
  const versions = sortByCreation(entries.filter((e) => e.record.name === name));
  if (versions.length === 0) throw noSuchArtifact(fpath, name);
  if (version === undefined) {
    const now = Date.now();
    const live = versions.filter((e) => e.expiry === null || now < e.expiry.getTime());
    const latest = live[live.length - 1];
    if (latest === undefined) {
      throw new VersionNotFoundError(
        `every version of artifact "${name}" in repository ${fpath} has expired (as of ${formatTimestamp(new Date(now))})`,
      );
    }
    return latest;
  }
  if (typeof version === "number") {
    if (!Number.isInteger(version) || version < 0) {
      throw new InvalidVersionError(
        `invalid version ${version} of artifact "${name}": an integer version is a non-negative integer`,
      );
    }
    if (how === "asof") {
      throw new InvalidVersionError(
        `cannot match integer version ${version} of artifact "${name}" "asof": "asof" needs a date or an ISO 8601 string`,
      );
    }
    const found = versions.find((e) => (e.record.version ?? 0) === version);
    if (found === undefined) throw noSuchVersion(fpath, name, String(version));
    return found;
  }
  const when = versionDate(name, version);
  if (how === "exact") {
    const found = createdInSecond(versions, when);
    if (found === undefined) throw noSuchVersion(fpath, name, formatTimestamp(when));
    return found;
  }
  const time = when.getTime();
  const eligible = countCreatedBy(versions, time);
  if (eligible === 0) {
    throw new VersionNotFoundError(
      `version ${formatTimestamp(when)} of artifact "${name}" predates its earliest version (${(versions[0] as Entry).record.created_at}) in repository ${fpath}`,
    );
  }
  for (let i = eligible - 1; i >= 0; i--) {
    const entry = versions[i] as Entry;
    if (entry.expiry === null || time < entry.expiry.getTime()) return entry;
  }
  throw new VersionNotFoundError(
    `the only versions of artifact "${name}" as of ${formatTimestamp(when)} had expired by then (repository ${fpath})`,
  );
}

/** The error for an artifact name that repository `fpath` does not have. */
export function noSuchArtifact(fpath: string, name: string): NotFoundError {
  return new NotFoundError(`repository ${fpath} has no artifact named "${name}"`);
}

function noSuchVersion(fpath: string, name: string, version: string): VersionNotFoundError {
  return new VersionNotFoundError(
    `repository ${fpath} has no version ${version} of artifact "${name}"`,
  );
}

/** A date or ISO string version as a `Date`. */
export function versionDate(name: string, version: Date | string): Date {
  if (version instanceof Date) {
    if (Number.isNaN(version.getTime())) {
      throw new InvalidVersionError(`invalid version of artifact "${name}": an invalid Date`);
    }
    return version;
  }
  if (typeof version !== "string") {
    throw new InvalidVersionError(
      `invalid version ${String(version)} of artifact "${name}": use an integer, a Date or an ISO 8601 string`,
    );
  }
  try {
    return parseTimestamp(version);
  } catch {
    throw new InvalidVersionError(
      `invalid version identifier "${version}" of artifact "${name}": use an ISO 8601 time such as 2025-01-25T12:36:22`,
    );
  }
}

/** The expiry of `setArtifactExpiry`: `null` stays, absent is now, the rest to the second. */
export function expiryDate(expiry: Date | string | null | undefined): Date | null {
  if (expiry === null) return null;
  if (expiry === undefined) return nowToTheSecond();
  if (expiry instanceof Date && !Number.isNaN(expiry.getTime())) return toSecond(expiry);
  if (typeof expiry === "string") {
    try {
      return toSecond(parseTimestamp(expiry));
    } catch {
      // Reported below.
    }
  }
  throw new ValidationError(
    `invalid expiry ${String(expiry)}: use a Date or an ISO 8601 time such as 2025-03-01T00:00:00`,
  );
}

/** The version after the highest version of `name` in `entries` (0 for a new name). */
export function nextVersion(entries: readonly Entry[], name: string): number {
  let max = -1;
  for (const e of entries) {
    if (e.record.name === name) max = Math.max(max, e.record.version ?? 0);
  }
  return max + 1;
}

/**
 * When an artifact promoted into repository `fpath` was created. When the repository has
 * versions of its name, the artifact must be newer than the latest, and its record gets the
 * next version.
 *
 * @throws ArtifactLogError for a bad creation time, or an artifact that is not newer.
 */
export function promotionTime(
  entries: readonly Entry[],
  fpath: string,
  record: ArtifactRecord,
  what: string,
): Date {
  const name = record.name;
  let createdAt: Date;
  try {
    createdAt = parseTimestamp(record.created_at);
  } catch (error) {
    throw new ArtifactLogError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  const versions = entries.filter((e) => e.record.name === name);
  if (versions.length > 0) {
    const latest = versions.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
    if (latest.createdAt >= createdAt) {
      throw new ArtifactLogError(
        `cannot promote ${what}: it is not newer than the latest version in repository ${fpath} ` +
          `(version ${latest.record.version ?? 0}, created ${latest.record.created_at}; the artifact was created ${record.created_at})`,
      );
    }
    record.version = nextVersion(entries, name);
  }
  return createdAt;
}

/**
 * The versions a filtered repository keeps: the exact versions listed, or the newest version
 * of each artifact (by name) as of a date, leaving out artifacts with no version then.
 */
export function chooseVersions(
  entries: readonly Entry[],
  fpath: string,
  version: Date | string | readonly (readonly [string, ArtifactVersion])[],
): Entry[] {
  const chosen: Entry[] = [];
  if (Array.isArray(version)) {
    for (const [name, v] of version as readonly (readonly [string, ArtifactVersion])[]) {
      chosen.push(searchVersion(entries, fpath, name, v, "exact"));
    }
  } else {
    const names = [...new Set(entries.map((e) => e.record.name))].sort();
    for (const name of names) {
      try {
        chosen.push(searchVersion(entries, fpath, name, version as Date | string, "asof"));
      } catch (error) {
        if (!(error instanceof VersionNotFoundError)) throw error;
      }
    }
  }
  return chosen;
}

/** The version a validated record of a repository file (with its marks) describes. */
export function entryOf(record: ArtifactRecord, marks: FloatMarks | undefined): Entry {
  return {
    record,
    marks,
    // The schema checked both timestamps when the file was read.
    createdAt: parseTimestamp(record.created_at),
    expiry:
      record.expiry === null || record.expiry === undefined ? null : parseTimestamp(record.expiry),
    data: undefined,
  };
}

/** The file of a version of repository `fpath`: `<repository folder>/<name>/<fname>`, refusing names that would leave the folder. */
export function versionFile(fpath: string, entry: Entry, ErrorClass: ErrorClass): string {
  const what = describeVersion(fpath, entry);
  const folder = joinPath(
    dirnameOf(fpath),
    checkSegment(
      entry.record.name,
      what,
      ErrorClass,
      "A repository artifact's name names its folder.",
    ),
  );
  return artifactPath(folder, entry.record.fname, what, ErrorClass);
}

/** A version of repository `fpath`, for messages. */
export function describeVersion(fpath: string, entry: Entry): string {
  return `artifact "${entry.record.name}" version ${entry.record.version ?? 0} of repository ${fpath}`;
}
