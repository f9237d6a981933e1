/**
 * The smallest repository that serves a release: a read-only view, or a copy of the release's
 * artifact versions (records and files) written elsewhere.
 *
 * @module
 */
import { readArtifactFile, writeArtifactFile } from "../artifacts/io.js";
import { SaveError } from "../errors.js";
import { Repository } from "../repository/repository.js";
import { dirnameOf, joinPath, resolveLocation, type StorageOptions } from "../storage/index.js";
import type { Release } from "./release.js";

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
    await storage.write(path, view.fileText());
  } catch (error) {
    throw new SaveError(
      `could not write repository ${options.target}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return Repository.open(options.target, { mode: "r", storageOptions: targetOptions });
}
