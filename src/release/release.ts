/**
 * Releases: named sets of artifact versions of a repository (the newest version of each
 * artifact when the release is made), kept in a `releases.json` beside the repository, as
 * Python lazyscribe 2.2.1's `lazyscribe.release` module makes them.
 *
 * @module
 */
import { z } from "zod";
import { nowToTheSecond } from "../artifacts/record.js";
import {
  InvalidVersionError,
  LazyscribeError,
  ValidationError,
  VersionNotFoundError,
} from "../errors.js";
import { raiseIssue } from "../format/projectFile.js";
import { byCodePoint } from "../format/pyjson/index.js";
import {
  parseReleasesFile,
  type ReleaseRecord,
  ReleaseRecordSchema,
} from "../format/releasesFile.js";
import { formatTimestamp, type Timestamp } from "../format/timestamps.js";
import type { Repository } from "../repository/repository.js";
import { countCreatedBy, createdInSecond, sortByCreation } from "../repository/versions.js";

/** An artifact and its version in a release: `["features", 1]`. */
export type ReleasedArtifact = readonly [name: string, version: number];

const ReleaseInputSchema = z.object({
  tag: z.string(),
  artifacts: ReleaseRecordSchema.shape.artifacts,
  createdAt: z.date().refine((d) => !Number.isNaN(d.getTime()), "createdAt is an invalid Date"),
});

/**
 * A release: a tag (`"v1.0.0"`), the artifact versions it holds, and when it was made (UTC,
 * to the second). Python's `lazyscribe.release.Release`.
 */
export class Release {
  /** The release's tag, commonly a semantic or calendar version. */
  readonly tag: string;
  /** The artifacts and their versions, sorted by name. */
  readonly artifacts: readonly ReleasedArtifact[];
  /** When the release was made. */
  readonly createdAt: Date;
  /** The `created_at` text read from a file, written back as it is (its offset kept). */
  readonly #createdAtText: string | undefined;

  /**
   * @param created - default: now, to the second; a timestamp read from a file keeps its text.
   * @throws ValidationError for a tag that is not a string or versions that are not
   *   non-negative integers.
   */
  constructor(
    tag: string,
    artifacts: readonly ReleasedArtifact[],
    created: Date | Timestamp = nowToTheSecond(),
  ) {
    const createdAt = created instanceof Date ? created : created.date;
    const input = ReleaseInputSchema.safeParse({
      tag,
      artifacts: artifacts.map((a) => [...a]),
      createdAt,
    });
    if (!input.success) raiseIssue(input.error.issues, "a release");
    this.tag = tag;
    this.artifacts = Object.freeze(
      artifacts.map(([name, version]) => Object.freeze([name, version] as const)),
    );
    this.createdAt = new Date(createdAt.getTime());
    this.#createdAtText = created instanceof Date ? undefined : created.text;
    Object.freeze(this);
  }

  /** The release as `releases.json` holds it: `{tag, artifacts, created_at}`, in Python's key order. */
  toJSON(): ReleaseRecord {
    return {
      tag: this.tag,
      artifacts: this.artifacts.map(([name, version]) => [name, version]),
      created_at: this.#createdAtText ?? formatTimestamp(this.createdAt),
    };
  }

  /**
   * A release from its record in `releases.json`.
   *
   * @throws ValidationError when the record does not match the format.
   */
  static fromJSON(record: unknown): Release {
    const [r] = parseReleasesFile(JSON.stringify([record]), "a release record");
    if (r === undefined) throw new ValidationError("a release record is missing");
    return new Release(r.tag, r.artifacts, r.created_at);
  }
}

/** Options of {@link createRelease}. */
export interface CreateReleaseOptions {
  /** When the release is made (default: now, to the second). */
  readonly createdAt?: Date;
}

/**
 * Makes a release of a repository: the newest version of each of its artifacts that has not
 * expired, sorted by name. Artifacts whose every version has expired are left out.
 *
 * @throws LazyscribeError when the repository has changes that are not saved (a release
 *   describes the files as they are).
 *
 * @example
 * ```ts
 * const repository = await Repository.open("repository.json", { mode: "r" });
 * const release = createRelease(repository, "v1.0.0");
 * await dump([...(await load("releases.json")), release], "releases.json");
 * ```
 */
export function createRelease(
  repository: Repository,
  tag: string,
  options: CreateReleaseOptions = {},
): Release {
  if (repository.dirty) {
    throw new LazyscribeError(
      `cannot release repository ${repository.fpath}: it has changes that are not saved; save it first`,
    );
  }
  const names = [...new Set(repository.artifacts.map((a) => a.name))].sort(byCodePoint);
  const artifacts: ReleasedArtifact[] = [];
  for (const name of names) {
    try {
      artifacts.push([name, repository.getArtifactMetadata(name).version ?? 0]);
    } catch (error) {
      if (!(error instanceof VersionNotFoundError)) throw error;
    }
  }
  return new Release(tag, artifacts, options.createdAt ?? nowToTheSecond());
}

/** Options of {@link findRelease}. */
export interface FindReleaseOptions {
  /**
   * `"exact"` (default): the release with that tag, or made at that second. `"asof"` (dates
   * only): the newest release made at or before that time.
   */
  readonly match?: "exact" | "asof";
}

/**
 * Finds a release by tag (a string) or by creation time (a `Date`); without either, the
 * newest release.
 *
 * @throws VersionNotFoundError when no release matches (or there is none).
 * @throws InvalidVersionError for an `"asof"` match with a tag.
 * @throws ValidationError for a `match` other than "exact" or "asof".
 */
export function findRelease(
  releases: readonly Release[],
  version?: string | Date,
  options: FindReleaseOptions = {},
): Release {
  const match = options.match ?? "exact";
  if (match !== "exact" && match !== "asof") {
    throw new ValidationError(
      `invalid match ${JSON.stringify(match)}: use "exact" or "asof" ("asof" only with a Date)`,
    );
  }
  const sorted = sortByCreation(releases);
  if (version === undefined) {
    const latest = sorted[sorted.length - 1];
    if (latest === undefined)
      throw new VersionNotFoundError("there are no releases to choose from");
    return latest;
  }
  if (typeof version === "string") {
    if (match === "asof") {
      throw new InvalidVersionError(
        `cannot find release "${version}" "asof": a tag has no time; pass a Date to match "asof"`,
      );
    }
    const found = sorted.find((r) => r.tag === version);
    if (found === undefined)
      throw new VersionNotFoundError(`cannot find release with tag '${version}'`);
    return found;
  }
  if (!(version instanceof Date) || Number.isNaN(version.getTime())) {
    throw new InvalidVersionError("a release is found by a tag (a string) or a valid Date");
  }
  if (match === "exact") {
    const found = createdInSecond(sorted, version);
    if (found === undefined) {
      throw new VersionNotFoundError(
        `cannot find release with creation date of ${formatTimestamp(version)}`,
      );
    }
    return found;
  }
  const earliest = sorted[0];
  const made = countCreatedBy(sorted, version.getTime());
  if (earliest === undefined || made === 0) {
    throw new VersionNotFoundError(
      earliest === undefined
        ? "there are no releases to choose from"
        : `creation date ${formatTimestamp(version)} predates the earliest release: '${earliest.tag}' (${formatTimestamp(earliest.createdAt)})`,
    );
  }
  return sorted[made - 1] as Release;
}
