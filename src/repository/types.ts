/**
 * The options and views of a repository: how it is opened, how versions are loaded, logged
 * and expired, and what one version looks like from outside.
 *
 * @module
 */

import type { ArtifactRecord } from "../format/schemas.js";
import { copyJson } from "../own.js";
import type { StorageOptions } from "../storage/index.js";
import type { Entry, VersionQuery } from "./versions.js";

/**
 * How a repository is opened, as in Python lazyscribe 2.x:
 * - `"r"`: every artifact is read; nothing can be logged, expired or saved.
 * - `"w"`: the existing file is not read; saving replaces it.
 * - `"w+"` (default): every artifact is read, and new ones can be logged.
 */
export type RepositoryMode = "r" | "w" | "w+";

/** Options of {@link Repository.open}. */
export interface RepositoryOptions {
  /** How to open the repository (default `"w+"`). */
  readonly mode?: RepositoryMode;
  /** Options for the storage backend. */
  readonly storageOptions?: StorageOptions;
}

/** Options of {@link Repository.loadArtifact}: which version, and reader options for the handler. */
export interface RepositoryLoadOptions extends VersionQuery {
  /** Check the runtime facts the handler recorded against this runtime (default true). */
  readonly validate?: boolean;
  /** Reader options for the handler. */
  readonly [readerOption: string]: unknown;
}

/** Options of {@link Repository.logArtifact}: a file name, and writer options for the handler. */
export interface RepositoryLogOptions {
  /**
   * The file name inside `<repository folder>/<name>/` (default `<slug of name>-<YYYYMMDDHHMMSS>.<suffix>`,
   * or `...-v<version>.<suffix>` when another version of the name already has that file).
   * A name another version of the artifact uses is refused: each version keeps its own file.
   */
  readonly fname?: string;
  /** Writer options for the handler. */
  readonly [writerOption: string]: unknown;
}

/** Options of {@link Repository.setArtifactExpiry}. */
export interface ExpiryOptions extends VersionQuery {
  /**
   * When the version expires: a `Date` or an ISO 8601 string; absent for now; `null` to
   * remove the expiry.
   */
  readonly expiry?: Date | string | null;
}

/** One version of an artifact in a repository. */
export interface RepositoryArtifact {
  /** The artifact's name (its folder in the repository). */
  readonly name: string;
  /** The file name inside `<repository folder>/<name>/`. */
  readonly fname: string;
  /** The alias of its handler. */
  readonly handler: string;
  /** The integer version (0 for the first). */
  readonly version: number;
  /** When the version was created (to the second, UTC). */
  readonly createdAt: Date;
  /** When the version expires (or expired), or `null`. */
  readonly expiry: Date | null;
  /** Whether the version's file has not been written yet (it is written by `save()`). */
  readonly dirty: boolean;
  /** The metadata record as the repository file holds it (a copy). */
  readonly record: ArtifactRecord;
}

/** What the repository shows of one version: a frozen copy. */
export function view(entry: Entry): RepositoryArtifact {
  return Object.freeze({
    name: entry.record.name,
    fname: entry.record.fname,
    handler: entry.record.handler,
    version: entry.record.version ?? 0,
    createdAt: new Date(entry.createdAt.getTime()),
    expiry: entry.expiry === null ? null : new Date(entry.expiry.getTime()),
    dirty: entry.data !== undefined,
    record: copyJson(entry.record),
  });
}
