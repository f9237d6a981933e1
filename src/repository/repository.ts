/**
 * A repository of versioned artifacts, Python lazyscribe's `Repository`: one JSON file of
 * artifact records (`repository.json`) and the artifact files under
 * `<repository folder>/<artifact name>/`.
 *
 * @module
 */
import type { PromotionSource, PromotionTarget } from "../artifacts/collection.js";
import type { HandlerOptions } from "../artifacts/handler.js";
import {
  readArtifactFile,
  removeQuietly,
  writeArtifactFile,
  writeArtifactFiles,
} from "../artifacts/io.js";
import { checkSegment } from "../artifacts/paths.js";
import {
  decodeArtifact,
  encodeArtifact,
  handlerForLoad,
  nowToTheSecond,
} from "../artifacts/record.js";
import {
  ArtifactLoadError,
  ArtifactLogError,
  LazyscribeError,
  ReadOnlyError,
  SaveError,
  ValidationError,
} from "../errors.js";
import { parseRepositoryFile, serializeRepositoryFile } from "../format/repositoryFile.js";
import type { ArtifactRecord } from "../format/schemas.js";
import { formatTimestamp } from "../format/timestamps.js";
import {
  INSPECT,
  type InspectFunction,
  type InspectOptions,
  inspectFields,
} from "../model/inspect.js";
import { copyJson } from "../own.js";
import { dirnameOf, resolveLocation, type StorageOptions } from "../storage/index.js";
import { diffVersions } from "./diff.js";
import { assignVersionFile, pendingVersionWrites } from "./files.js";
import type {
  ExpiryOptions,
  RepositoryArtifact,
  RepositoryLoadOptions,
  RepositoryLogOptions,
  RepositoryMode,
  RepositoryOptions,
} from "./types.js";
import { view } from "./types.js";
import {
  type ArtifactVersion,
  chooseVersions,
  describeVersion,
  type Entry,
  entryOf,
  expiryDate,
  nextVersion,
  noSuchArtifact,
  promotionTime,
  searchVersion,
  sortByCreation,
  type VersionMatch,
  type VersionQuery,
  versionFile,
} from "./versions.js";

const MODES: readonly RepositoryMode[] = ["r", "w", "w+"];

/**
 * A repository of versioned artifacts: each `logArtifact` of a name adds its next version.
 * Versions can be loaded by integer version, by creation time (`"exact"`) or as of a time
 * (`"asof"`), expired, compared, filtered into read-only views and released.
 *
 * The repository file and the artifact files are the ones Python lazyscribe 2.2.1 writes.
 *
 * @example
 * ```ts
 * const repository = await Repository.open("repository.json", { mode: "w+" });
 * repository.logArtifact("features", [0, 1, 2], "json", { indent: 4 });
 * await repository.save();
 * const latest = await repository.loadArtifact("features");
 * const first = await repository.loadArtifact("features", { version: 0 });
 * ```
 */
export class Repository implements Iterable<ArtifactRecord>, PromotionTarget {
  /** The repository file, as given to {@link Repository.open}. */
  readonly fpath: string;
  /** How the repository was opened. */
  readonly mode: RepositoryMode;
  /** Options for the storage backend. */
  readonly storageOptions: StorageOptions;
  #entries: Entry[] = [];
  #metadataChanged = false;

  private constructor(fpath: string, mode: RepositoryMode, storageOptions: StorageOptions) {
    this.fpath = fpath;
    this.mode = mode;
    this.storageOptions = storageOptions;
  }

  /**
   * Opens (or starts) the repository at `fpath`: a path, a `file://` URL or `memory://path`.
   * A missing file gives an empty repository.
   *
   * @throws ValidationError when the mode is not "r", "w" or "w+", or when the file is not
   *   JSON or a record does not match the format (the message names the file, the record and
   *   the field).
   */
  static async open(
    fpath = "repository.json",
    options: RepositoryOptions = {},
  ): Promise<Repository> {
    const mode = options.mode ?? "w+";
    if (!MODES.includes(mode)) {
      throw new ValidationError(
        `invalid repository mode "${mode}" for ${fpath}: use one of "r", "w", "w+"`,
      );
    }
    const repository = new Repository(fpath, mode, options.storageOptions ?? {});
    if (mode !== "w") {
      const { storage, path } = resolveLocation(fpath, repository.storageOptions);
      const data = await storage.read(path);
      if (data !== undefined) {
        const records = parseRepositoryFile(new TextDecoder().decode(data), fpath);
        repository.#entries = records.map((r) => entryOf(r.record, r.marks));
      }
    }
    return repository;
  }

  /** The folder that holds the repository file and the artifact folders. */
  get dir(): string {
    return dirnameOf(this.fpath);
  }

  /** Every version of every artifact, in the order they were read or logged. */
  get artifacts(): readonly RepositoryArtifact[] {
    return this.#entries.map(view);
  }

  /** Whether something logged or changed (an expiry) has not been saved yet. */
  get dirty(): boolean {
    return this.#metadataChanged || this.#entries.some((e) => e.data !== undefined);
  }

  /** Whether the repository has an artifact with this name. */
  has(name: string): boolean {
    return this.#entries.some((e) => e.record.name === name);
  }

  /**
   * The first version logged of the artifact named `name` (Python's `repository[name]`).
   * @throws NotFoundError when there is none.
   */
  get(name: string): RepositoryArtifact {
    const entry = this.#entries.find((e) => e.record.name === name);
    if (entry === undefined) throw noSuchArtifact(this.fpath, name);
    return view(entry);
  }

  /** The artifact records, exactly what Python's `list(repository)` gives (fresh copies). */
  *[Symbol.iterator](): Iterator<ArtifactRecord> {
    for (const entry of this.#entries) yield copyJson(entry.record);
  }

  /**
   * Logs the next version of an artifact: version 0 for a new name, else one more than the
   * highest version of that name. The file is written by {@link Repository.save}.
   *
   * @param name - the artifact's name; it names the artifact's folder in the repository.
   * @param handler - the alias of a registered handler (`"json"`, `"v8"`...).
   * @param options - `fname`, and writer options for the handler (`indent`...).
   * @returns the new version.
   * @throws ReadOnlyError in mode "r".
   * Two versions never share a file: when the default file name is taken (two versions logged
   * in the same second), the version's is `<slug of name>-<YYYYMMDDHHMMSS>-v<version>.<suffix>`.
   *
   * @throws ArtifactLogError for a name that cannot name a folder, an unknown handler, a file
   *   name that would leave the artifact's folder or that another version of the name has, or
   *   a value the handler cannot write.
   */
  logArtifact(
    name: string,
    value: unknown,
    handler: string,
    options: RepositoryLogOptions = {},
  ): RepositoryArtifact {
    this.assertWritable(`log artifact "${name}"`);
    const what = `artifact "${name}" of repository ${this.fpath}`;
    checkSegment(name, what, ArtifactLogError, "A repository artifact's name names its folder.");
    const { fname, ...writerOptions } = options;
    const createdAt = nowToTheSecond();
    const { record, data } = encodeArtifact({
      name,
      value,
      handler,
      fname,
      createdAt,
      version: nextVersion(this.#entries, name),
      writerOptions: writerOptions as HandlerOptions,
      what,
    });
    assignVersionFile(this.#entries, record, fname !== undefined && fname !== null, what);
    const entry: Entry = { record, createdAt, expiry: null, data };
    this.#entries.push(entry);
    return view(entry);
  }

  /**
   * Loads a version of an artifact (by default the newest that has not expired).
   *
   * @throws NotFoundError when there is no artifact of that name.
   * @throws VersionNotFoundError when no version matches.
   * @throws InvalidVersionError for a string that is not an ISO 8601 time, an integer
   *   version that is not a non-negative integer, or `"asof"` with an integer version.
   * @throws ArtifactLoadError when its handler is not registered (the message names it), the
   *   runtime facts differ (unless `validate: false`), or the file cannot be read.
   */
  async loadArtifact(name: string, options: RepositoryLoadOptions = {}): Promise<unknown> {
    const { version, match, validate, ...readerOptions } = options;
    const entry = this.search(name, version, match);
    const handler = handlerForLoad(entry.record, validate !== false);
    if (entry.data !== undefined) {
      return decodeArtifact(handler, entry.record, entry.data, readerOptions, "not saved yet");
    }
    const file = versionFile(this.fpath, entry, ArtifactLoadError);
    const data = await readArtifactFile(
      file,
      describeVersion(this.fpath, entry),
      this.storageOptions,
    );
    return decodeArtifact(handler, entry.record, data, readerOptions, file);
  }

  /**
   * The metadata record of a version (by default the newest that has not expired): what
   * Python's `get_artifact_metadata` gives.
   *
   * @throws NotFoundError, VersionNotFoundError, InvalidVersionError as {@link Repository.loadArtifact}.
   */
  getArtifactMetadata(name: string, query: VersionQuery = {}): ArtifactRecord {
    return copyJson(this.search(name, query.version, query.match).record);
  }

  /**
   * Sets when a version expires (by default the newest version that has not expired, and by
   * default now). An expired version is skipped when the newest version is asked for, and by
   * `"asof"` lookups at or after its expiry; `"exact"` and integer lookups still find it.
   * The change is written by {@link Repository.save}.
   *
   * @throws ReadOnlyError in mode "r".
   * @throws ValidationError when `expiry` is not a valid date or ISO 8601 string.
   * @throws NotFoundError, VersionNotFoundError, InvalidVersionError as {@link Repository.loadArtifact}.
   */
  setArtifactExpiry(name: string, options: ExpiryOptions = {}): RepositoryArtifact {
    this.assertWritable(`set the expiry of artifact "${name}"`);
    const expiry = expiryDate(options.expiry);
    const entry = this.search(name, options.version, options.match);
    entry.expiry = expiry;
    entry.record.expiry = expiry === null ? null : formatTimestamp(expiry);
    this.#metadataChanged = true;
    return view(entry);
  }

  /**
   * A unified diff of two versions of a text artifact: `version` against the newest version,
   * or the two versions of a pair (older first). Empty when the contents are equal.
   *
   * @throws ArtifactLoadError when a version is not saved yet, its handler is binary or not
   *   registered, or its file cannot be read.
   * @throws NotFoundError, VersionNotFoundError, InvalidVersionError as {@link Repository.loadArtifact}.
   */
  async getVersionDiff(
    name: string,
    version: ArtifactVersion | readonly [ArtifactVersion, ArtifactVersion],
    options: { readonly match?: VersionMatch } = {},
  ): Promise<string> {
    const pair: Entry[] = Array.isArray(version)
      ? sortByCreation(
          (version as readonly ArtifactVersion[]).map((v) => this.search(name, v, options.match)),
        )
      : [
          this.search(name, version as ArtifactVersion, options.match),
          this.search(name, undefined, options.match),
        ];
    return diffVersions(name, pair as [Entry, Entry], this.fpath, this.storageOptions);
  }

  /**
   * A read-only repository with at most one version per artifact: the newest version of
   * each artifact as of a date (`"asof"`, honouring expiry; artifacts with no version then
   * are left out), or the exact versions listed (`[["features", 1], ["thresholds", 0]]`,
   * what a release holds).
   *
   * @throws LazyscribeError when something logged or changed has not been saved (a filter
   *   describes the files as they are).
   * @throws NotFoundError, VersionNotFoundError, InvalidVersionError for a listed version
   *   that cannot be found.
   */
  filter(version: Date | string | readonly (readonly [string, ArtifactVersion])[]): Repository {
    if (this.dirty) {
      throw new LazyscribeError(
        `cannot filter repository ${this.fpath}: it has changes that are not saved; call save() first`,
      );
    }
    const chosen = chooseVersions(this.#entries, this.fpath, version);
    const filtered = new Repository(this.fpath, "r", this.storageOptions);
    filtered.#entries = chosen.map((e) => ({ ...e, record: copyJson(e.record), data: undefined }));
    return filtered;
  }

  /**
   * Writes the artifact files logged since the last save, then the repository file
   * (atomically, through the storage backend). Artifact files come first, so the repository
   * file never lists a file that is not there.
   *
   * @throws ReadOnlyError in mode "r".
   * @throws SaveError naming the artifact and the path (or the repository file) that could not
   *   be written; the repository file is then left as it was.
   */
  async save(): Promise<void> {
    this.assertWritable("save");
    await writeArtifactFiles(pendingVersionWrites(this.fpath, this.#entries), this.storageOptions);
    const text = this.fileText();
    try {
      const { storage, path } = resolveLocation(this.fpath, this.storageOptions);
      await storage.write(path, text);
    } catch (error) {
      throw new SaveError(`could not save repository ${this.fpath}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#metadataChanged = false;
  }

  /**
   * @internal Takes an artifact promoted from an experiment (see `Experiment.promoteArtifact`).
   * A pending artifact is added as the next version, to be written by `save()`; a saved one is
   * copied into the repository, which is then saved; if that save fails, the copy is removed.
   */
  async acceptPromotion(source: PromotionSource): Promise<void> {
    const { record, marks, what } = source;
    this.assertWritable(`promote ${what}`);
    const name = record.name;
    checkSegment(name, what, ArtifactLogError, "A repository artifact's name names its folder.");
    const createdAt = promotionTime(this.#entries, this.fpath, record, what);
    assignVersionFile(this.#entries, record, false, what);
    const entry: Entry = { record, marks, createdAt, expiry: null, data: source.data };
    record.expiry = null;
    if (source.data !== undefined) {
      this.#entries.push(entry);
      return;
    }
    const target = versionFile(this.fpath, entry, ArtifactLogError);
    const bytes = await readArtifactFile(
      source.source as string,
      what,
      source.sourceStorageOptions ?? {},
    );
    await writeArtifactFile(
      { location: target, data: bytes, what, written: () => undefined },
      this.storageOptions,
    );
    this.#entries.push(entry);
    try {
      await this.save();
    } catch (error) {
      await removeQuietly(target, this.storageOptions);
      this.#entries = this.#entries.filter((e) => e !== entry);
      throw error;
    }
  }

  /** @internal The repository file's text for its versions, whole floats read included. */
  fileText(): string {
    return serializeRepositoryFile(this.#entries);
  }

  /** @internal What `console.log` shows: the file, the mode and each artifact's versions. */
  [INSPECT](depth: number, options: InspectOptions, inspect: InspectFunction): string {
    const artifacts = this.#entries.map((e) => `${e.record.name} v${e.record.version ?? 0}`);
    const fields = { fpath: this.fpath, mode: this.mode, artifacts };
    return inspectFields("Repository", this.fpath, fields, depth, options, inspect);
  }

  /** Python's version search (see {@link searchVersion}) in this repository's versions. */
  private search(name: string, version: ArtifactVersion | undefined, match: unknown): Entry {
    return searchVersion(this.#entries, this.fpath, name, version, match);
  }

  private assertWritable(action: string): void {
    if (this.mode === "r") {
      throw new ReadOnlyError(`cannot ${action}: repository ${this.fpath} is read-only (mode "r")`);
    }
  }
}
