/**
 * Local files. Writes go to a temporary file in the same folder, are flushed, then renamed
 * over the target, so a reader or a crash never sees a half-written file; a small splice of a
 * large file (an experiment appended or the last one changed) is written in place instead,
 * crash-safe through an undo journal (`localInPlace.ts`), and reads of this project never see
 * it half-done (`localSnapshot.ts`). Updates hold a lock file (`<file>.lock`, with
 * proper-lockfile, see `localLock.ts`) around their read-modify-write, so concurrent
 * updates from several processes come one after the other. A path that is a symbolic link is
 * written through: the file it points to is replaced (the temporary file and the lock are
 * beside that file) and the link stays. Reads take only regular files, up to a size limit.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { forEachLimited, writeBatch } from "./batch.js";
import { fileError, StorageError } from "./errors.js";
import { maxReadBytesOf } from "./limits.js";
import { writeTarget } from "./links.js";
import { syncFolder } from "./localFiles.js";
import { fitsInPlace, rollBack, spliceInPlace } from "./localInPlace.js";
import { takeLock } from "./localLock.js";
import { PartFailed, writeParts } from "./localParts.js";
import { openRegularFile, readToEnd, versionToken } from "./localRead.js";
import { readSnapshot } from "./localSnapshot.js";
import { fillSplice } from "./localSplice.js";
import { KeyedQueue } from "./queue.js";
import {
  type CurrentFile,
  checkSplice,
  type FileChange,
  type FileContent,
  type FileParts,
  type FileSplice,
  type FileWrite,
  isParts,
  isSplice,
  type Storage,
  type StorageOptions,
  type UpdateOptions,
  type Versioned,
} from "./storage.js";

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/**
 * How many files {@link LocalStorage.writeMany} has open at once: enough to keep the
 * file-system threads busy, few enough to stay far from the open-file limit.
 */
export const BATCH_CONCURRENCY = 32;

async function versionOf(handle: FileHandle): Promise<string> {
  return versionToken(await handle.stat({ bigint: true }));
}

/**
 * Updates of this process, by the real path of the file, so that they queue here instead of
 * spinning on the lock (shared by every `LocalStorage`: they all write the same disk).
 */
const queue = new KeyedQueue();

/**
 * The local filesystem backend (plain paths and `file://` URLs).
 *
 * Reads refuse what is not a regular file (a folder, a FIFO, a device such as `/dev/zero`)
 * without reading it, and a file larger than `maxReadBytes`.
 */
export class LocalStorage implements Storage {
  readonly protocol = "file";
  readonly #maxReadBytes: number;

  /** @param options `maxReadBytes`; other options are ignored. */
  constructor(options: StorageOptions = {}) {
    this.#maxReadBytes = maxReadBytesOf(options);
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return (await this.readVersioned(path))?.data;
  }

  /**
   * The file whole, never torn by an in-place save under way (see `localSnapshot.ts`); a file
   * left half-written by a killed save is rolled back first.
   */
  async readVersioned(path: string): Promise<Versioned | undefined> {
    return readSnapshot(path, this.#maxReadBytes);
  }

  /** Replaces the file, or the file that `path` links to (the link stays). */
  async write(path: string, data: Uint8Array | string): Promise<void> {
    const target = await writeTarget(path);
    await this.#makeFolder(target);
    await this.#replace(target, data);
  }

  /**
   * Writes each file as {@link LocalStorage.write} does (a temporary file, flushed, renamed
   * over the target), `BATCH_CONCURRENCY` at a time, but flushes each folder once, after
   * the last rename in it, instead of after every file. Each folder is made once, and the
   * parents of the folders it makes are flushed too, so that the new folders last as well.
   */
  async writeMany(files: readonly FileWrite[]): Promise<void> {
    const folders = new Map<string, Promise<string | undefined>>();
    const flush = new Set<string>();
    await writeBatch(
      files,
      BATCH_CONCURRENCY,
      async ({ path: given, data }) => {
        const path = await writeTarget(given);
        const folder = dirname(path);
        let made = folders.get(folder);
        if (made === undefined) {
          made = makeFolder(path);
          folders.set(folder, made);
        }
        const created = await made;
        if (created !== undefined) flushParents(folder, created, flush);
        await renameIntoPlace(path, data, () => undefined, false);
        flush.add(folder);
      },
      () => forEachLimited([...flush], BATCH_CONCURRENCY, syncFolder),
    );
  }

  /**
   * Through a symbolic link, the file it points to is locked, read and replaced, and the link
   * stays: a project opened through a link and one opened at the real path share one lock.
   */
  async update(path: string, change: FileChange, options: UpdateOptions = {}): Promise<string> {
    const target = await writeTarget(path);
    return queue.run(target, () => this.#lockedUpdate(target, change, options.signal));
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw fileError("checking", path, error);
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw fileError("removing", path, error);
    }
  }

  async #lockedUpdate(path: string, change: FileChange, signal?: AbortSignal): Promise<string> {
    await this.#makeFolder(path);
    const lock = await takeLock(path);
    try {
      // A save killed mid-way in place left its journal: the file goes back to its old bytes.
      await rollBack(path);
      const file = await openRegularFile(path, this.#maxReadBytes);
      let data: FileContent;
      try {
        const current: CurrentFile | undefined =
          file === undefined
            ? undefined
            : { version: file.version, read: () => readToEnd(file, path, this.#maxReadBytes) };
        data = await change(current);
      } finally {
        await file?.handle.close();
      }
      const beforeWrite = () => {
        signal?.throwIfAborted();
        const lost = lock.lost();
        if (lost !== undefined) {
          throw new StorageError(
            `writing ${path} failed: the lock ${lock.lockfilePath} was taken over by another process (${lost.message}); nothing was written, save again`,
            { cause: lost, code: "ECOMPROMISED" },
          );
        }
      };
      if (!isSplice(data)) return await this.#replace(path, data, beforeWrite);
      if (file === undefined)
        throw new StorageError(`writing ${path} failed: there is no file to keep bytes of`);
      checkSplice(data, file.size);
      if (fitsInPlace(data, file.size)) {
        return await spliceInPlace(path, file.version, data, beforeWrite);
      }
      const version = await spliceIntoPlace(path, file.version, data, beforeWrite);
      await syncFolder(dirname(path));
      return version;
    } finally {
      await lock.release();
    }
  }

  async #makeFolder(path: string): Promise<string> {
    await makeFolder(path);
    return dirname(path);
  }

  /**
   * Writes `data` to a new temporary file beside `path`, flushes it, checks `beforeRename`,
   * renames it over `path` and flushes the folder.
   *
   * @returns the version token of the new file.
   */
  async #replace(
    path: string,
    data: Uint8Array | string | FileParts,
    beforeRename: () => void = () => undefined,
  ): Promise<string> {
    const version = await renameIntoPlace(path, data, beforeRename, true);
    await syncFolder(dirname(path));
    return version as string;
  }
}

/**
 * Adds to `flush` the parent of every folder from `folder` up to `created` (the outermost
 * one made), or up to the root if `created` is not met on the way.
 */
function flushParents(folder: string, created: string, flush: Set<string>): void {
  for (let f = folder; ; f = dirname(f)) {
    const parent = dirname(f);
    flush.add(parent);
    if (f === created || parent === f) return;
  }
}

/**
 * Makes the folder of `path` and its missing parents.
 *
 * @returns the first folder made (the outermost), or `undefined` when it existed.
 */
async function makeFolder(path: string): Promise<string | undefined> {
  try {
    return await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw fileError("creating the folder of", path, error);
  }
}

/**
 * Writes `data` to a new temporary file beside `path` (parts as they are made, see
 * `localParts.ts`), flushes it, checks `beforeRename` and renames it over `path`; the folder
 * is not flushed. On failure the temporary file is removed.
 *
 * @returns the version token of the new file when `withVersion` is set.
 */
async function renameIntoPlace(
  path: string,
  data: Uint8Array | string | FileParts,
  beforeRename: () => void,
  withVersion: boolean,
): Promise<string | undefined> {
  return replaceThroughTemp(path, beforeRename, async (temp) => {
    const handle = await open(temp, "wx");
    try {
      if (isParts(data)) await writeParts(handle, data.parts);
      else await handle.writeFile(data);
      await handle.sync();
      return withVersion ? await versionOf(handle) : undefined;
    } finally {
      await handle.close();
    }
  });
}

/**
 * Fills a new temporary file beside `path` (`fill` creates, writes and flushes it), checks
 * `beforeRename` and renames it over `path`; the folder is not flushed. On failure the
 * temporary file is removed and the error names `path`, unless making the content failed
 * (then that error is thrown as it is).
 */
async function replaceThroughTemp<T>(
  path: string,
  beforeRename: () => void,
  fill: (temp: string) => Promise<T>,
): Promise<T> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const result = await fill(temp);
    beforeRename();
    await rename(temp, path);
    return result;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error instanceof PartFailed ? error.error : fileError("writing", path, error);
  }
}

/**
 * Replaces `path` by the content `splice` makes of it (see {@link fillSplice}), as atomically
 * as {@link renameIntoPlace}: a crash at any point leaves the old file whole (and at worst a
 * stray temporary file).
 *
 * @returns the version token of the new file.
 */
function spliceIntoPlace(
  path: string,
  version: string,
  splice: FileSplice,
  beforeRename: () => void,
): Promise<string> {
  return replaceThroughTemp(path, beforeRename, (temp) => fillSplice(path, temp, version, splice));
}
