/**
 * Local files. Writes go to a temporary file in the same folder, are flushed, then renamed
 * over the target, so a reader or a crash never sees a half-written file. Updates hold a lock
 * file (`<file>.lock`, with proper-lockfile) around their read-modify-write, so concurrent
 * updates from several processes come one after the other.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  type FileHandle,
  mkdir,
  open,
  readFile,
  realpath,
  rename,
  rm,
  stat,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { LockOptions } from "proper-lockfile";
import { forEachLimited, writeBatch } from "./batch.js";
import { fileError, StorageError } from "./errors.js";
import { KeyedQueue } from "./queue.js";
import type {
  CurrentFile,
  FileChange,
  FileWrite,
  Storage,
  UpdateOptions,
  Versioned,
} from "./storage.js";

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/**
 * How long a lock may go without being refreshed before another process takes it over: the
 * lock of a process that was killed holds others back this long. The holder refreshes it every
 * `LOCK_STALE_MS / 2`.
 */
export const LOCK_STALE_MS = 10_000;

/**
 * How many files {@link LocalStorage.writeMany} has open at once: enough to keep the
 * file-system threads busy, few enough to stay far from the open-file limit.
 */
export const BATCH_CONCURRENCY = 32;

/** How long an update waits for a lock that another process holds before it gives up. */
export const LOCK_WAIT_MS = 60_000;

/**
 * Takes the lock of `path`, waiting (with growing, jittered pauses) while another process
 * holds it. Only "held by another" is waited on: any other failure (a read-only folder, a full
 * disk) is thrown at once.
 */
async function takeLock(
  path: string,
  options: LockOptions & { lockfilePath: string },
): Promise<() => Promise<void>> {
  // Loaded on the first update: it installs exit hooks that free the locks a process holds.
  const { lock } = await import("proper-lockfile");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await lock(path, { ...options, retries: 0 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || Date.now() > deadline) {
        throw error;
      }
      const pause = Math.min(200, 5 * 1.5 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
    }
  }
}

async function versionOf(handle: FileHandle): Promise<string> {
  const s = await handle.stat({ bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
}

/** The local filesystem backend (plain paths and `file://` URLs). */
export class LocalStorage implements Storage {
  readonly protocol = "file";
  /** Updates of this process, by path, so that they queue here instead of spinning on the lock. */
  readonly #queue = new KeyedQueue();

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw fileError("reading", path, error);
    }
  }

  async readVersioned(path: string): Promise<Versioned | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw fileError("reading", path, error);
    }
    try {
      const version = await versionOf(handle);
      return { data: await handle.readFile(), version };
    } catch (error) {
      throw fileError("reading", path, error);
    } finally {
      await handle.close();
    }
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    await this.#makeFolder(path);
    await this.#replace(path, data);
  }

  /**
   * Writes each file as {@link LocalStorage.write} does (a temporary file, flushed, renamed
   * over the target), {@link BATCH_CONCURRENCY} at a time, but flushes each folder once, after
   * the last rename in it, instead of after every file. Each folder is made once, and the
   * parents of the folders it makes are flushed too, so that the new folders last as well.
   */
  async writeMany(files: readonly FileWrite[]): Promise<void> {
    const folders = new Map<string, Promise<string | undefined>>();
    const flush = new Set<string>();
    await writeBatch(
      files,
      BATCH_CONCURRENCY,
      async ({ path, data }) => {
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

  async update(path: string, change: FileChange, options: UpdateOptions = {}): Promise<string> {
    return this.#queue.run(path, () => this.#lockedUpdate(path, change, options.signal));
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
    const folder = await this.#makeFolder(path);
    const lockfilePath = join(
      await realpath(folder).catch((error) => {
        throw fileError("locking", path, error);
      }),
      `${basename(path)}.lock`,
    );
    let lost: Error | undefined;
    let release: () => Promise<void>;
    try {
      release = await takeLock(path, {
        lockfilePath,
        realpath: false,
        stale: LOCK_STALE_MS,
        onCompromised: (error) => {
          lost = error;
        },
      });
    } catch (error) {
      throw fileError("locking", path, error);
    }
    try {
      let handle: FileHandle | undefined;
      try {
        handle = await open(path, "r");
      } catch (error) {
        if (!isMissing(error)) throw fileError("reading", path, error);
      }
      let data: Uint8Array | string;
      try {
        let current: CurrentFile | undefined;
        if (handle !== undefined) {
          const file = handle;
          const version = await versionOf(file).catch((error) => {
            throw fileError("reading", path, error);
          });
          current = {
            version,
            read: () =>
              file.readFile().catch((error) => {
                throw fileError("reading", path, error);
              }),
          };
        }
        data = await change(current);
      } finally {
        await handle?.close();
      }
      return await this.#replace(path, data, () => {
        signal?.throwIfAborted();
        if (lost !== undefined) {
          throw new StorageError(
            `writing ${path} failed: the lock ${lockfilePath} was taken over by another process (${lost.message}); nothing was written, save again`,
            { cause: lost, code: "ECOMPROMISED" },
          );
        }
      });
    } finally {
      if (lost === undefined) await release().catch(() => undefined);
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
    data: Uint8Array | string,
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
 * Writes `data` to a new temporary file beside `path`, flushes it, checks `beforeRename` and
 * renames it over `path`; the folder is not flushed. On failure the temporary file is removed.
 *
 * @returns the version token of the new file when `withVersion` is set.
 */
async function renameIntoPlace(
  path: string,
  data: Uint8Array | string,
  beforeRename: () => void,
  withVersion: boolean,
): Promise<string | undefined> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let version: string | undefined;
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
      if (withVersion) version = await versionOf(handle);
    } finally {
      await handle.close();
    }
    beforeRename();
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileError("writing", path, error);
  }
  return version;
}

/** Flushes a folder's entries (the rename) to the disk; not every platform allows it. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the rename is already atomic for readers and for killed processes.
  }
}
