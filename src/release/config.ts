/**
 * Releases made from a configuration file: the repositories a `pyproject.toml` (Python's
 * `release_from_toml`) or a `package.json` lists, each released into the `releases.json`
 * beside it with a tag made from the package's version.
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { nowToTheSecond } from "../artifacts/record.js";
import { LazyscribeError, ValidationError } from "../errors.js";
import { raiseIssue } from "../format/projectFile.js";
import {
  PackageJsonSchema,
  PyprojectSchema,
  type ReleaseSettings,
} from "../format/releasesFile.js";
import { Repository } from "../repository/repository.js";
import {
  dirnameOf,
  isAbsoluteLocation,
  joinPath,
  resolveLocation,
  type StorageOptions,
} from "../storage/index.js";
import { dump, load } from "./file.js";
import { createRelease, Release } from "./release.js";

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
