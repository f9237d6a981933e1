/**
 * Releases: named sets of artifact versions of a repository (the newest version of each
 * artifact when the release is made), kept in a `releases.json` beside the repository, as
 * Python lazyscribe 2.2.1's `lazyscribe.release` module makes them.
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { readArtifactFile, writeArtifactFile } from "./artifacts/io.js";
import { nowToTheSecond } from "./artifacts/record.js";
import {
  InvalidVersionError,
  LazyscribeError,
  SaveError,
  ValidationError,
  VersionNotFoundError,
} from "./errors.js";
import { raiseIssue } from "./format/projectFile.js";
import { byCodePoint, dumpsPyJson } from "./format/pyjson/index.js";
import {
  PackageJsonSchema,
  PyprojectSchema,
  parseReleasesFile,
  type ReleaseRecord,
  type ReleaseSettings,
} from "./format/releasesFile.js";
import { serializeRepositoryFile } from "./format/repositoryFile.js";
import { formatTimestamp, parseTimestamp } from "./format/timestamps.js";
import { Repository } from "./repository.js";
import {
  dirnameOf,
  isAbsoluteLocation,
  joinPath,
  resolveLocation,
  type StorageOptions,
} from "./storage/index.js";

/** An artifact and its version in a release: `["features", 1]`. */
export type ReleasedArtifact = readonly [name: string, version: number];

const ReleaseInputSchema = z.object({
  tag: z.string(),
  artifacts: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
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

  /**
   * @param createdAt - default: now, to the second.
   * @throws ValidationError for a tag that is not a string or versions that are not
   *   non-negative integers.
   */
  constructor(
    tag: string,
    artifacts: readonly ReleasedArtifact[],
    createdAt: Date = nowToTheSecond(),
  ) {
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
    Object.freeze(this);
  }

  /** The release as `releases.json` holds it: `{tag, artifacts, created_at}`, in Python's key order. */
  toJSON(): ReleaseRecord {
    return {
      tag: this.tag,
      artifacts: this.artifacts.map(([name, version]) => [name, version]),
      created_at: formatTimestamp(this.createdAt),
    };
  }

  /**
   * A release from its record in `releases.json`.
   *
   * @throws ValidationError when the record does not match the format.
   */
  static fromJSON(record: unknown): Release {
    const [parsed] = parseReleasesFile(JSON.stringify([record]), "a release record");
    const r = parsed as ReleaseRecord;
    return new Release(r.tag, r.artifacts, parseTimestamp(r.created_at));
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
  const sorted = [...releases].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
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
    const second = Math.floor(version.getTime() / 1000);
    const found = sorted.find((r) => Math.floor(r.createdAt.getTime() / 1000) === second);
    if (found === undefined) {
      throw new VersionNotFoundError(
        `cannot find release with creation date of ${formatTimestamp(version)}`,
      );
    }
    return found;
  }
  const earliest = sorted[0];
  if (earliest === undefined || version.getTime() < earliest.createdAt.getTime()) {
    throw new VersionNotFoundError(
      earliest === undefined
        ? "there are no releases to choose from"
        : `creation date ${formatTimestamp(version)} predates the earliest release: '${earliest.tag}' (${formatTimestamp(earliest.createdAt)})`,
    );
  }
  let found = earliest;
  for (const release of sorted) {
    if (release.createdAt.getTime() <= version.getTime()) found = release;
  }
  return found;
}

/** Options of {@link dumps} and {@link dump}. */
export interface DumpOptions {
  /** Indentation, as Python's `json.dump(..., indent=...)` (default: one line). */
  readonly indent?: number | string | null;
}

/**
 * Releases as `releases.json` text, byte for byte what Python's `release.dumps(releases,
 * indent=...)` gives.
 */
export function dumps(releases: readonly Release[], options: DumpOptions = {}): string {
  return dumpsPyJson(
    releases.map((r) => r.toJSON()),
    { indent: options.indent ?? null },
  );
}

/**
 * Releases from `releases.json` text (Python's `release.loads`).
 *
 * @throws ValidationError when the text is not JSON or a release does not match the format.
 */
export function loads(text: string): Release[] {
  return parseReleasesFile(text, "releases text").map(
    (r) => new Release(r.tag, r.artifacts, parseTimestamp(r.created_at)),
  );
}

/** Options of {@link dump} and {@link load}: the storage backend's options. */
export interface ReleaseFileOptions extends DumpOptions {
  /** Options for the storage backend. */
  readonly storageOptions?: StorageOptions;
}

/**
 * Writes releases to a file (atomically, through the storage backend), as Python's
 * `release.dump` does.
 *
 * @throws SaveError when the file cannot be written.
 */
export async function dump(
  releases: readonly Release[],
  fpath: string,
  options: ReleaseFileOptions = {},
): Promise<void> {
  const text = dumps(releases, options);
  try {
    const { storage, path } = resolveLocation(fpath, options.storageOptions ?? {});
    await storage.write(path, text);
  } catch (error) {
    throw new SaveError(`could not write releases to ${fpath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Reads releases from a file, as Python's `release.load` does.
 *
 * @throws LazyscribeError when the file does not exist.
 * @throws ValidationError when it is not JSON or a release does not match the format.
 */
export async function load(
  fpath: string,
  options: { readonly storageOptions?: StorageOptions } = {},
): Promise<Release[]> {
  const { storage, path } = resolveLocation(fpath, options.storageOptions ?? {});
  const data = await storage.read(path);
  if (data === undefined) throw new LazyscribeError(`there is no releases file at ${fpath}`);
  const text = new TextDecoder().decode(data);
  return parseReleasesFile(text, fpath).map(
    (r) => new Release(r.tag, r.artifacts, parseTimestamp(r.created_at)),
  );
}

/** Options of {@link minimalRepositoryFromRelease}. */
export interface MinimalRepositoryOptions {
  /**
   * Where to write the minimal repository (a repository file location). The release's
   * artifact files are copied beside it. Absent: nothing is written, and the result is a
   * read-only view of the source repository.
   */
  readonly target?: string;
  /** Options for the target's storage backend (default: the source repository's). */
  readonly storageOptions?: StorageOptions;
}

/**
 * The smallest repository that serves a release: exactly the artifact versions it lists.
 * Without a `target`, a read-only view of `repository` (its `filter` by the release); with
 * one, a new repository file at `target` holding those versions' records, their files copied
 * beside it, opened read-only — a repository to ship with a deployment.
 *
 * @throws VersionNotFoundError / NotFoundError when the repository lacks a listed version.
 * @throws ArtifactLoadError when a file to copy cannot be read.
 * @throws SaveError when the target cannot be written.
 */
export async function minimalRepositoryFromRelease(
  repository: Repository,
  release: Release,
  options: MinimalRepositoryOptions = {},
): Promise<Repository> {
  const view = repository.filter(release.artifacts);
  if (options.target === undefined) return view;
  const targetOptions = options.storageOptions ?? repository.storageOptions;
  const targetDir = dirnameOf(options.target);
  for (const artifact of view.artifacts) {
    const what = `artifact "${artifact.name}" version ${artifact.version} of release "${release.tag}"`;
    const relative = [artifact.name, ...artifact.fname.split("/")];
    const data = await readArtifactFile(
      joinPath(view.dir, ...relative),
      what,
      repository.storageOptions,
    );
    await writeArtifactFile(
      { location: joinPath(targetDir, ...relative), data, what, written: () => undefined },
      targetOptions,
    );
  }
  try {
    const { storage, path } = resolveLocation(options.target, targetOptions);
    await storage.write(path, serializeRepositoryFile([...view]));
  } catch (error) {
    throw new SaveError(
      `could not write repository ${options.target}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return Repository.open(options.target, { mode: "r", storageOptions: targetOptions });
}

/** Options of the functions that make releases from a configuration file. */
export interface ReleaseFromConfigOptions {
  /**
   * The folder relative repository paths are resolved against (default: as given, that is
   * the working folder, as Python does).
   */
  readonly baseDir?: string;
  /** Options for the storage backend of the repositories and their releases files. */
  readonly storageOptions?: StorageOptions;
  /** When the releases are made (default: now, to the second). */
  readonly createdAt?: Date;
}

/** What a configuration-driven release did for one repository. */
export interface ConfigRelease {
  /** The repository file, as the configuration names it (resolved against `baseDir`). */
  readonly repository: string;
  /** The releases file written (or left alone): `releases.json` beside the repository. */
  readonly releasesFile: string;
  /** The release made. */
  readonly release: Release;
  /** False when the releases file already had a release with this tag (it is then left as it was). */
  readonly created: boolean;
}

/**
 * Makes a release for each repository that a `pyproject.toml` lists, as Python's
 * `release.release_from_toml` does: the tag is `[tool.lazyscribe] format` (default
 * `"v{version}"`, with `{version}`, `{year}`, `{month}`, `{day}`) filled with `[project]
 * version` (or `[tool.lazyscribe] version`); each release is added to the `releases.json`
 * beside its repository, written with `indent=4`, unless a release with that tag is there.
 *
 * @param text - the content of the `pyproject.toml`.
 * @throws ValidationError when the TOML is invalid or lacks `[tool.lazyscribe] repositories`
 *   or a version.
 */
export async function releaseFromToml(
  text: string,
  options: ReleaseFromConfigOptions = {},
): Promise<ConfigRelease[]> {
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (error) {
    throw new ValidationError(`not valid TOML: ${(error as Error).message}`, {
      file: "pyproject.toml",
    });
  }
  const parsed = PyprojectSchema.safeParse(data);
  if (!parsed.success) raiseIssue(parsed.error.issues, "pyproject.toml");
  const settings = parsed.data.tool.lazyscribe;
  const version = parsed.data.project?.version ?? settings.version;
  return releaseRepositories(settings, version, "pyproject.toml", "[project] version", options);
}

/**
 * Makes a release for each repository that a `package.json` lists under `"lazyscribe":
 * { "repositories": [...] }`, the TypeScript counterpart of {@link releaseFromToml}: the
 * version is the package's `version` (or `lazyscribe.version`), the tag format
 * `lazyscribe.format` (default `"v{version}"`).
 *
 * @param text - the content of the `package.json`.
 * @throws ValidationError when the JSON is invalid or lacks `lazyscribe.repositories` or a version.
 */
export async function releaseFromPackageJson(
  text: string,
  options: ReleaseFromConfigOptions = {},
): Promise<ConfigRelease[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`not valid JSON: ${(error as Error).message}`, {
      file: "package.json",
    });
  }
  const parsed = PackageJsonSchema.safeParse(data);
  if (!parsed.success) raiseIssue(parsed.error.issues, "package.json");
  const settings = parsed.data.lazyscribe;
  const version = parsed.data.version ?? settings.version;
  return releaseRepositories(settings, version, "package.json", '"version"', options);
}

/**
 * Reads a `package.json` or a `pyproject.toml` (by its name: a `.toml` file is TOML) and makes
 * the releases it lists; relative repository paths are resolved against the file's folder.
 *
 * @throws LazyscribeError when the file does not exist.
 * @throws ValidationError as {@link releaseFromToml} and {@link releaseFromPackageJson}.
 */
export async function releaseFromConfigFile(
  fpath: string,
  options: ReleaseFromConfigOptions = {},
): Promise<ConfigRelease[]> {
  const { storage, path } = resolveLocation(fpath, options.storageOptions ?? {});
  const data = await storage.read(path);
  if (data === undefined) throw new LazyscribeError(`there is no configuration file at ${fpath}`);
  const text = new TextDecoder().decode(data);
  const withBase = { ...options, baseDir: options.baseDir ?? dirnameOf(fpath) };
  return fpath.toLowerCase().endsWith(".toml")
    ? releaseFromToml(text, withBase)
    : releaseFromPackageJson(text, withBase);
}

async function releaseRepositories(
  settings: ReleaseSettings,
  version: string | undefined,
  file: string,
  versionField: string,
  options: ReleaseFromConfigOptions,
): Promise<ConfigRelease[]> {
  if (version === undefined) {
    throw new ValidationError(
      `no version to release: set ${versionField} or the lazyscribe "version" setting`,
      { file },
    );
  }
  const storageOptions = options.storageOptions ?? {};
  const results: ConfigRelease[] = [];
  for (const listed of settings.repositories) {
    const fpath =
      options.baseDir === undefined || isAbsoluteLocation(listed)
        ? listed
        : joinPath(options.baseDir, listed);
    const repository = await Repository.open(fpath, { mode: "r", storageOptions });
    const draft = createRelease(repository, "", {
      createdAt: options.createdAt ?? nowToTheSecond(),
    });
    const tag = formatTag(settings.format ?? "v{version}", version, draft.createdAt, file);
    const release = new Release(tag, draft.artifacts, draft.createdAt);
    const releasesFile = joinPath(dirnameOf(fpath), "releases.json");
    const { storage, path } = resolveLocation(releasesFile, storageOptions);
    const existing = (await storage.exists(path))
      ? await load(releasesFile, { storageOptions })
      : [];
    const created = !existing.some((r) => r.tag === tag);
    if (created) await dump([...existing, release], releasesFile, { indent: 4, storageOptions });
    results.push({ repository: fpath, releasesFile, release, created });
  }
  return results;
}

/** Python's `format.format(version=..., year=..., month=..., day=...)`. */
function formatTag(format: string, version: string, createdAt: Date, file: string): string {
  const fields: Record<string, string> = {
    version,
    year: String(createdAt.getUTCFullYear()),
    month: String(createdAt.getUTCMonth() + 1),
    day: String(createdAt.getUTCDate()),
  };
  return format.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, field: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    const value = fields[field as string];
    if (value === undefined) {
      throw new ValidationError(
        `the release format ${JSON.stringify(format)} uses {${field}}: only {version}, {year}, {month} and {day} are known`,
        { file },
      );
    }
    return value;
  });
}
