/**
 * The artifacts of an experiment or a test: their metadata records (written in the project
 * file as they are, so unknown handlers and keys survive) and, for artifacts logged since the
 * last save, the encoded data waiting to be written by `project.save()`.
 *
 * @module
 */
import { ArtifactLoadError, ArtifactLogError } from "../errors.js";
import type { FloatMarks } from "../format/pyjson/index.js";
import type { ArtifactRecord } from "../format/schemas.js";
import { copyJson } from "../own.js";
import type { StorageOptions } from "../storage/index.js";
import type { ArtifactData, HandlerOptions } from "./handler.js";
import { type ArtifactWrite, readArtifactFile } from "./io.js";
import { artifactPath, checkStorable, distinctFname } from "./paths.js";
import { decodeArtifact, encodeArtifact, handlerForLoad, nowToTheSecond } from "./record.js";

/** Where an owner's artifact files are: its folder, and the options of the storage backend. */
export interface ArtifactLocation {
  readonly folder: string;
  readonly storageOptions: StorageOptions;
  /**
   * The owner of another artifact with this file name in the same folder (another test of
   * the experiment whose name has the same slug), if any.
   */
  readonly sharedBy?: (fname: string) => string | undefined;
}

/**
 * Options of `logArtifact` on experiments and tests. Every key other than `fname` and
 * `overwrite` is a writer option passed to the handler (`indent` for `"json"`, say).
 */
export interface LogArtifactOptions {
  /**
   * The file name, relative to the experiment's (or test's) folder; it may name a subfolder
   * (`"nested/config.json"`). Default: `<slug of name>-<YYYYMMDDHHMMSS>.<handler suffix>`.
   */
  readonly fname?: string;
  /** Replace an artifact of the same name instead of refusing it (default false). */
  readonly overwrite?: boolean;
  /** Writer options for the handler. */
  readonly [writerOption: string]: unknown;
}

/**
 * Options of `loadArtifact` on experiments and tests. Every key other than `validate` is a
 * reader option passed to the handler.
 */
export interface LoadArtifactOptions {
  /** Check the runtime facts the handler recorded against this runtime (default true). */
  readonly validate?: boolean;
  /** Reader options for the handler. */
  readonly [readerOption: string]: unknown;
}

/** Artifacts logged since the last save, by their index in the records (for copies). */
export type PendingArtifacts = ReadonlyMap<number, ArtifactData>;

const UTF8 = new TextEncoder();

/** The pending map of owners without unwritten artifacts: always empty. */
const NO_PENDING = new Map<ArtifactRecord, ArtifactData>();

/** The artifacts of one experiment or test. */
export class ArtifactSet {
  /** The metadata records, in order: the very array written in the project file. */
  readonly records: ArtifactRecord[];
  /** Unwritten data by record; created on the first pending artifact (most owners have none). */
  #pendingData: Map<ArtifactRecord, ArtifactData> | undefined;

  /** The unwritten data; an empty map, never written to, while there is none. */
  get #pending(): Map<ArtifactRecord, ArtifactData> {
    return this.#pendingData ?? NO_PENDING;
  }

  #addPending(record: ArtifactRecord, data: ArtifactData): void {
    this.#pendingData ??= new Map();
    this.#pendingData.set(record, data);
  }

  constructor(records: ArtifactRecord[], pending?: PendingArtifacts) {
    this.records = records;
    if (pending !== undefined) {
      for (const [index, data] of pending) {
        const record = records[index];
        if (record !== undefined) this.#addPending(record, data);
      }
    }
  }

  /** The record of the artifact named `name`, if any. */
  find(name: string): ArtifactRecord | undefined {
    return this.records.find((r) => r.name === name);
  }

  /** Whether the artifact's file still has to be written. */
  isPending(record: ArtifactRecord): boolean {
    return this.#pending.has(record);
  }

  /** The pending data, by index, to carry into a copy of the owner. */
  pendingByIndex(): Map<number, ArtifactData> {
    const out = new Map<number, ArtifactData>();
    this.records.forEach((record, index) => {
      const data = this.#pending.get(record);
      if (data !== undefined) out.set(index, data);
    });
    return out;
  }

  /**
   * Logs an artifact: encodes the value now, and keeps it until the owner's project is saved.
   * Two artifacts never share a file: a default file name another artifact has gets `-2`
   * (`-3`...) before its extension.
   *
   * @param owner - the experiment or test, for messages (`experiment "x"`).
   * @param location - the owner's folder, to check that the storage can hold the file
   *   (`undefined` for a test that belongs to no experiment yet).
   * @throws ArtifactLogError for a duplicate name without `overwrite`, an unknown handler, a
   *   file name that would leave the folder, that another artifact has, or that the storage
   *   cannot hold (a name over 255 bytes), or a value the handler cannot write.
   */
  log(
    owner: string,
    name: string,
    value: unknown,
    handler: string,
    options: LogArtifactOptions,
    location: () => ArtifactLocation | undefined,
  ): ArtifactRecord {
    const { fname, overwrite, ...writerOptions } = options;
    const what = `artifact "${name}" of ${owner}`;
    const index = this.records.findIndex((r) => r.name === name);
    if (index >= 0 && overwrite !== true) {
      throw new ArtifactLogError(
        `${owner} already has an artifact named "${name}": use another name, or pass { overwrite: true } to replace it`,
      );
    }
    const { record, data } = encodeArtifact({
      name,
      value,
      handler,
      fname,
      createdAt: nowToTheSecond(),
      writerOptions: writerOptions as HandlerOptions,
      what,
    });
    const others = this.records.filter((_, i) => i !== index);
    const at = location();
    const own = (f: string) => others.some((r) => r.fname === f);
    if (fname !== undefined && own(record.fname)) {
      throw new ArtifactLogError(
        `${what}: another artifact of ${owner} already has the file ${JSON.stringify(record.fname)}; pass another fname, or none to get a file of its own`,
      );
    }
    const sharer = fname === undefined ? undefined : at?.sharedBy?.(record.fname);
    if (sharer !== undefined) {
      throw new ArtifactLogError(
        `${what}: ${sharer} shares its folder (its name has the same slug) and already has the file ${JSON.stringify(record.fname)}; pass another fname, or give the test another name`,
      );
    }
    record.fname = distinctFname(
      record.fname,
      "2",
      (f) => own(f) || at?.sharedBy?.(f) !== undefined,
    );
    const folder = at?.folder;
    if (folder !== undefined) {
      checkStorable(
        artifactPath(folder, record.fname, what, ArtifactLogError),
        what,
        ArtifactLogError,
        "Give the experiment, the test or the artifact a shorter name (or a shorter fname).",
      );
    }
    if (index >= 0) {
      this.#pending.delete(this.records[index] as ArtifactRecord);
      this.records[index] = record;
    } else {
      this.records.push(record);
    }
    this.#addPending(record, data);
    return record;
  }

  /**
   * Loads an artifact's value: from the pending data when it is not saved yet, else from its
   * file in the owner's folder.
   *
   * @throws ArtifactLoadError when there is no artifact of that name, its handler is not
   *   registered (the message names it), the runtime facts differ, or the file is missing.
   */
  async load(
    owner: string,
    name: string,
    location: () => ArtifactLocation,
    options: LoadArtifactOptions,
  ): Promise<unknown> {
    const { validate, ...readerOptions } = options;
    const record = this.find(name);
    if (record === undefined) {
      throw new ArtifactLoadError(`${owner} has no artifact named "${name}"`);
    }
    const handler = handlerForLoad(record, validate !== false);
    const pending = this.#pending.get(record);
    if (pending !== undefined) {
      return decodeArtifact(handler, record, pending, readerOptions, "not saved yet");
    }
    const what = `artifact "${name}" of ${owner}`;
    const { folder, storageOptions } = location();
    const file = artifactPath(folder, record.fname, what, ArtifactLoadError);
    const data = await readArtifactFile(file, what, storageOptions);
    return decodeArtifact(handler, record, data, readerOptions, file);
  }

  /**
   * An artifact's bytes as its handler wrote them: the pending data before the project is
   * saved, else its file, read through the storage backend from the owner's folder. Only a
   * name the owner's records hold is looked up, so no caller-given path reaches the storage.
   *
   * @returns `undefined` when there is no artifact of that name.
   * @throws ArtifactLoadError when its file is missing or cannot be read.
   */
  async bytes(
    owner: string,
    name: string,
    location: () => ArtifactLocation,
  ): Promise<{ record: ArtifactRecord; data: Uint8Array } | undefined> {
    const record = this.find(name);
    if (record === undefined) return undefined;
    const pending = this.#pending.get(record);
    if (pending !== undefined) {
      return { record, data: typeof pending === "string" ? UTF8.encode(pending) : pending };
    }
    const what = `artifact "${name}" of ${owner}`;
    const { folder, storageOptions } = location();
    const file = artifactPath(folder, record.fname, what, ArtifactLoadError);
    return { record, data: await readArtifactFile(file, what, storageOptions) };
  }

  /**
   * The files to write on save: one per artifact logged since the last save. `owner` names
   * the owner for messages (asked only when there is a file to write).
   *
   * @throws the error of `location` when the owner's folder cannot be made (a bad slug).
   */
  writes(owner: () => string, location: () => ArtifactLocation): ArtifactWrite[] {
    if (this.#pending.size === 0) return [];
    const { folder } = location();
    const name = owner();
    const out: ArtifactWrite[] = [];
    for (const [record, data] of this.#pending) {
      const what = `artifact "${record.name}" of ${name}`;
      out.push({
        location: artifactPath(folder, record.fname, what, ArtifactLogError),
        data,
        what,
        written: () => {
          if (this.#pending.get(record) === data) this.#pending.delete(record);
        },
      });
    }
    return out;
  }

  /**
   * Promotes an artifact to a repository (see `Experiment.promoteArtifact`), with the marks
   * of its record's whole floats (`marksOf`, which the owner keeps).
   *
   * @throws ArtifactLoadError when there is no artifact of that name.
   */
  async promote(
    owner: string,
    name: string,
    repository: PromotionTarget,
    location: () => ArtifactLocation,
    marksOf: (record: ArtifactRecord) => FloatMarks | undefined,
  ): Promise<void> {
    const record = this.find(name);
    if (record === undefined) {
      throw new ArtifactLoadError(`${owner} has no artifact named "${name}" to promote`);
    }
    const what = `artifact "${name}" of ${owner}`;
    const marks = marksOf(record);
    const pending = this.#pending.get(record);
    if (pending !== undefined) {
      await repository.acceptPromotion({ record: copyJson(record), marks, data: pending, what });
      return;
    }
    const { folder, storageOptions } = location();
    await repository.acceptPromotion({
      record: copyJson(record),
      marks,
      source: artifactPath(folder, record.fname, what, ArtifactLoadError),
      sourceStorageOptions: storageOptions,
      what,
    });
  }
}

/** An artifact offered to a repository by `promoteArtifact`: its data, or the file that holds it. */
export interface PromotionSource {
  /** A copy of the artifact's record in the experiment. */
  readonly record: ArtifactRecord;
  /** Where the record holds whole floats (see `FloatMarks`), as the experiment read it. */
  readonly marks?: FloatMarks | undefined;
  /** The encoded value, when the artifact is not saved yet. */
  readonly data?: ArtifactData;
  /** The artifact's file, when it is saved. */
  readonly source?: string;
  /** The storage options for reading `source`. */
  readonly sourceStorageOptions?: StorageOptions;
  /** The artifact, for messages. */
  readonly what: string;
}

/**
 * What an artifact can be promoted to: a repository (`Repository` implements it). Declared
 * here so that artifacts do not depend on the repository that stores them.
 */
export interface PromotionTarget {
  /** Takes the artifact in as the repository's next version of its name. */
  acceptPromotion(source: PromotionSource): Promise<void>;
}
