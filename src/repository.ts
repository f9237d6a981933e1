/**
 * A repository of versioned artifacts, Python lazyscribe's `Repository`: one JSON file of
 * artifact records (`repository.json`) and the artifact files under
 * `<repository folder>/<artifact name>/`.
 *
 * @module
 */
import { structuredPatch } from "diff";
import type { PromotionSource } from "./artifacts/collection.js";
import type { ArtifactData, HandlerOptions } from "./artifacts/handler.js";
import {
  type ArtifactWrite,
  readArtifactFile,
  removeQuietly,
  writeArtifactFile,
  writeArtifactFiles,
} from "./artifacts/io.js";
import { artifactPath, checkSegment, type ErrorClass } from "./artifacts/paths.js";
import {
  decodeArtifact,
  encodeArtifact,
  handlerForLoad,
  nowToTheSecond,
} from "./artifacts/record.js";
import { getHandler } from "./artifacts/registry.js";
import {
  ArtifactLoadError,
  ArtifactLogError,
  InvalidVersionError,
  LazyscribeError,
  NotFoundError,
  ReadOnlyError,
  SaveError,
  ValidationError,
  VersionNotFoundError,
} from "./errors.js";
import { cloneJson } from "./format/pyjson/index.js";
import { parseRepositoryFile, serializeRepositoryFile } from "./format/repositoryFile.js";
import type { ArtifactRecord } from "./format/schemas.js";
import { formatTimestamp, parseTimestamp, parseTimestampAt } from "./format/timestamps.js";
import { dirnameOf, joinPath, resolveLocation, type StorageOptions } from "./storage/index.js";

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

/** Options of {@link Repository.loadArtifact}: which version, and reader options for the handler. */
export interface RepositoryLoadOptions extends VersionQuery {
  /** Check the runtime facts the handler recorded against this runtime (default true). */
  readonly validate?: boolean;
  /** Reader options for the handler. */
  readonly [readerOption: string]: unknown;
}

/** Options of {@link Repository.logArtifact}: a file name, and writer options for the handler. */
export interface RepositoryLogOptions {
  /** The file name inside `<repository folder>/<name>/` (default `<slug of name>-<YYYYMMDDHHMMSS>.<suffix>`). */
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

/** One version of an artifact, as the repository keeps it. */
interface Entry {
  readonly record: ArtifactRecord;
  readonly createdAt: Date;
  expiry: Date | null;
  /** The encoded value, until `save()` writes it. */
  data: ArtifactData | undefined;
}

const MODES: readonly RepositoryMode[] = ["r", "w", "w+"];

function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

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
 * const asOf = await repository.loadArtifact("features", {
 *   version: "2025-01-01T00:00:00",
 *   match: "asof",
 * });
 * ```
 */
export class Repository implements Iterable<ArtifactRecord> {
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
        repository.#entries = records.map((record, index) => repository.entryOf(record, index));
      }
    }
    return repository;
  }

  private entryOf(record: ArtifactRecord, index: number): Entry {
    return {
      record,
      createdAt: this.timestamp(record.created_at, index, "created_at"),
      expiry:
        record.expiry === null || record.expiry === undefined
          ? null
          : this.timestamp(record.expiry, index, "expiry"),
      data: undefined,
    };
  }

  private timestamp(text: string, record: number, field: string): Date {
    return parseTimestampAt(text, { file: this.fpath, record, path: [field] });
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
   *
   * @throws NotFoundError when there is none.
   */
  get(name: string): RepositoryArtifact {
    const entry = this.#entries.find((e) => e.record.name === name);
    if (entry === undefined) throw this.noSuchArtifact(name);
    return view(entry);
  }

  /** The artifact records, exactly what Python's `list(repository)` gives (fresh copies). */
  *[Symbol.iterator](): Iterator<ArtifactRecord> {
    for (const entry of this.#entries) yield cloneJson(entry.record);
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
   * @throws ArtifactLogError for a name that cannot name a folder, an unknown handler, a file
   *   name that would leave the artifact's folder, or a value the handler cannot write.
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
      version: this.nextVersion(name),
      writerOptions: writerOptions as HandlerOptions,
      what,
    });
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
    const file = this.fileOf(entry, ArtifactLoadError);
    const data = await readArtifactFile(file, this.describe(entry), this.storageOptions);
    return decodeArtifact(handler, entry.record, data, readerOptions, file);
  }

  /**
   * The metadata record of a version (by default the newest that has not expired): what
   * Python's `get_artifact_metadata` gives.
   *
   * @throws NotFoundError, VersionNotFoundError, InvalidVersionError as {@link Repository.loadArtifact}.
   */
  getArtifactMetadata(name: string, query: VersionQuery = {}): ArtifactRecord {
    return cloneJson(this.search(name, query.version, query.match).record);
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
      ? (version as readonly ArtifactVersion[])
          .map((v) => this.search(name, v, options.match))
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      : [
          this.search(name, version as ArtifactVersion, options.match),
          this.search(name, undefined, options.match),
        ];
    const texts: string[] = [];
    for (const entry of pair) {
      if (entry.data !== undefined) {
        throw new ArtifactLoadError(
          `${this.describe(entry)} is not saved yet: call repository.save() before comparing versions`,
        );
      }
      if (getHandler(entry.record.handler, name).binary) {
        throw new ArtifactLoadError(
          `${this.describe(entry)} is written by the binary handler "${entry.record.handler}": binary files cannot be compared with a diff`,
        );
      }
      const file = this.fileOf(entry, ArtifactLoadError);
      const bytes = await readArtifactFile(file, this.describe(entry), this.storageOptions);
      texts.push(new TextDecoder().decode(bytes));
    }
    const [older, newer] = pair as [Entry, Entry];
    return unifiedDiff(
      `${name}/${older.record.fname}`,
      `${name}/${newer.record.fname}`,
      texts[0] as string,
      texts[1] as string,
    );
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
    const chosen: Entry[] = [];
    if (Array.isArray(version)) {
      for (const [name, v] of version as readonly (readonly [string, ArtifactVersion])[]) {
        chosen.push(this.search(name, v, "exact"));
      }
    } else {
      const names = [...new Set(this.#entries.map((e) => e.record.name))].sort();
      for (const name of names) {
        try {
          chosen.push(this.search(name, version as Date | string, "asof"));
        } catch (error) {
          if (!(error instanceof VersionNotFoundError)) throw error;
        }
      }
    }
    const filtered = new Repository(this.fpath, "r", this.storageOptions);
    filtered.#entries = chosen.map((e) => ({
      record: cloneJson(e.record),
      createdAt: e.createdAt,
      expiry: e.expiry,
      data: undefined,
    }));
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
    const writes: ArtifactWrite[] = [];
    for (const entry of this.#entries) {
      const data = entry.data;
      if (data === undefined) continue;
      writes.push({
        location: this.fileOf(entry, SaveError),
        data,
        what: this.describe(entry),
        written: () => {
          if (entry.data === data) entry.data = undefined;
        },
      });
    }
    await writeArtifactFiles(writes, this.storageOptions);
    const text = serializeRepositoryFile(this.#entries.map((e) => e.record));
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
    const { record, what } = source;
    this.assertWritable(`promote ${what}`);
    const name = record.name;
    checkSegment(name, what, ArtifactLogError, "A repository artifact's name names its folder.");
    let createdAt: Date;
    try {
      createdAt = parseTimestamp(record.created_at);
    } catch (error) {
      throw new ArtifactLogError(`${what}: ${(error as Error).message}`, { cause: error });
    }
    const versions = this.#entries.filter((e) => e.record.name === name);
    if (versions.length > 0) {
      const latest = versions.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
      if (latest.createdAt >= createdAt) {
        throw new ArtifactLogError(
          `cannot promote ${what}: it is not newer than the latest version in repository ${this.fpath} ` +
            `(version ${latest.record.version ?? 0}, created ${latest.record.created_at}; the artifact was created ${record.created_at})`,
        );
      }
      record.version = this.nextVersion(name);
    }
    const entry: Entry = { record, createdAt, expiry: null, data: source.data };
    record.expiry = null;
    if (source.data !== undefined) {
      this.#entries.push(entry);
      return;
    }
    const target = this.fileOf(entry, ArtifactLogError);
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

  /** The version after the highest version of `name` (0 for a new name). */
  private nextVersion(name: string): number {
    let max = -1;
    for (const e of this.#entries) {
      if (e.record.name === name) max = Math.max(max, e.record.version ?? 0);
    }
    return max + 1;
  }

  /** `<repository folder>/<name>/<fname>`, refusing names that would leave the folder. */
  private fileOf(entry: Entry, ErrorClass: ErrorClass): string {
    const what = this.describe(entry);
    const folder = joinPath(
      this.dir,
      checkSegment(
        entry.record.name,
        what,
        ErrorClass,
        "A repository artifact's name names its folder.",
      ),
    );
    return artifactPath(folder, entry.record.fname, what, ErrorClass);
  }

  private describe(entry: Entry): string {
    return `artifact "${entry.record.name}" version ${entry.record.version ?? 0} of repository ${this.fpath}`;
  }

  private noSuchArtifact(name: string): NotFoundError {
    return new NotFoundError(`repository ${this.fpath} has no artifact named "${name}"`);
  }

  /**
   * Python's version search: the versions of `name` ordered by creation time, then the
   * newest live one (no version), the one created at that second (`"exact"` date), the
   * newest created at or before that time and not expired then (`"asof"` date), or the one
   * with that integer version.
   */
  private search(name: string, version: ArtifactVersion | undefined, match: unknown): Entry {
    const how = match ?? "exact";
    if (how !== "exact" && how !== "asof") {
      throw new ValidationError(
        `invalid match ${JSON.stringify(match)}: use "exact" or "asof" ("asof" only with a date or ISO string version)`,
      );
    }
    const versions = this.#entries
      .filter((e) => e.record.name === name)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (versions.length === 0) throw this.noSuchArtifact(name);
    if (version === undefined) {
      const now = Date.now();
      const live = versions.filter((e) => e.expiry === null || now < e.expiry.getTime());
      const latest = live[live.length - 1];
      if (latest === undefined) {
        throw new VersionNotFoundError(
          `every version of artifact "${name}" in repository ${this.fpath} has expired (as of ${formatTimestamp(new Date(now))})`,
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
      if (found === undefined) throw this.noSuchVersion(name, String(version));
      return found;
    }
    const when = versionDate(name, version);
    if (how === "exact") {
      const second = toSecond(when).getTime();
      const found = versions.find((e) => toSecond(e.createdAt).getTime() === second);
      if (found === undefined) throw this.noSuchVersion(name, formatTimestamp(when));
      return found;
    }
    const time = when.getTime();
    let eligible = 0;
    while (
      eligible < versions.length &&
      (versions[eligible] as Entry).createdAt.getTime() <= time
    ) {
      eligible++;
    }
    if (eligible === 0) {
      throw new VersionNotFoundError(
        `version ${formatTimestamp(when)} of artifact "${name}" predates its earliest version (${(versions[0] as Entry).record.created_at}) in repository ${this.fpath}`,
      );
    }
    for (let i = eligible - 1; i >= 0; i--) {
      const entry = versions[i] as Entry;
      if (entry.expiry === null || time < entry.expiry.getTime()) return entry;
    }
    throw new VersionNotFoundError(
      `the only versions of artifact "${name}" as of ${formatTimestamp(when)} had expired by then (repository ${this.fpath})`,
    );
  }

  private noSuchVersion(name: string, version: string): VersionNotFoundError {
    return new VersionNotFoundError(
      `repository ${this.fpath} has no version ${version} of artifact "${name}"`,
    );
  }

  private assertWritable(action: string): void {
    if (this.mode === "r") {
      throw new ReadOnlyError(`cannot ${action}: repository ${this.fpath} is read-only (mode "r")`);
    }
  }
}

function view(entry: Entry): RepositoryArtifact {
  return Object.freeze({
    name: entry.record.name,
    fname: entry.record.fname,
    handler: entry.record.handler,
    version: entry.record.version ?? 0,
    createdAt: new Date(entry.createdAt.getTime()),
    expiry: entry.expiry === null ? null : new Date(entry.expiry.getTime()),
    dirty: entry.data !== undefined,
    record: cloneJson(entry.record),
  });
}

/** A date or ISO string version as a `Date`. */
function versionDate(name: string, version: Date | string): Date {
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

function expiryDate(expiry: Date | string | null | undefined): Date | null {
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

/** The line breaks of Python's `str.splitlines()`, besides `\r\n`. */
const LINE_BREAKS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

/** Splits text into lines as Python's `str.splitlines()` does. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!LINE_BREAKS.has(c)) continue;
    lines.push(text.slice(start, i));
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** `start,length` as a unified diff's hunk header writes a range. */
function formatRange(start: number, length: number): string {
  return length === 1 ? String(start) : `${start},${length}`;
}

/** A unified diff of two texts, line by line, with three lines of context. */
function unifiedDiff(fromFile: string, toFile: string, a: string, b: string): string {
  const aLines = splitLines(a);
  const bLines = splitLines(b);
  const join = (lines: string[]) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  const patch = structuredPatch(
    fromFile,
    toFile,
    join(aLines),
    join(bLines),
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  if (patch.hunks.length === 0) return "";
  const out = [`--- ${fromFile}`, `+++ ${toFile}`];
  for (const hunk of patch.hunks) {
    out.push(
      `@@ -${formatRange(hunk.oldStart, hunk.oldLines)} +${formatRange(hunk.newStart, hunk.newLines)} @@`,
    );
    for (const line of hunk.lines) {
      if (!line.startsWith("\\")) out.push(line);
    }
  }
  return `${out.join("\n")}\n`;
}
