/**
 * The lock of a local file: a lock folder `<file>.lock` beside the file the update writes
 * (with proper-lockfile), held by an update around its read-modify-write, and taken for a
 * moment by a reader that finds a journal left by a writer that died (see `localJournal.ts`).
 *
 * @module
 */
import { realpath } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileError } from "./errors.js";

/**
 * How long a lock may go without being refreshed before another process takes it over: the
 * lock of a process that was killed holds others back this long. The holder refreshes it every
 * `LOCK_STALE_MS / 2`.
 */
export const LOCK_STALE_MS = 10_000;

/** How long an update waits for a lock that another process holds before it gives up. */
export const LOCK_WAIT_MS = 60_000;

/** A lock taken: `release` frees it; `lost` is the error once another process took it over. */
export interface HeldLock {
  readonly lockfilePath: string;
  release(): Promise<void>;
  lost(): Error | undefined;
}

/** The lock folder of the real file `path` (its folder's links resolved). */
export async function lockfilePathOf(path: string): Promise<string> {
  const folder = await realpath(dirname(path)).catch((error) => {
    throw fileError("locking", path, error);
  });
  return join(folder, `${basename(path)}.lock`);
}

/**
 * Takes the lock of `path`, waiting (with growing, jittered pauses) while another process
 * holds it, up to {@link LOCK_WAIT_MS}. Only "held by another" is waited on: any other failure
 * (a read-only folder, a full disk) is thrown at once.
 *
 * @throws StorageError naming `path` when the lock cannot be taken.
 */
export async function takeLock(path: string): Promise<HeldLock> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const lock = await tryLock(path, Date.now() > deadline);
    if (lock !== undefined) return lock;
    const pause = Math.min(200, 5 * 1.5 ** attempt);
    await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
  }
}

/**
 * Takes the lock of `path` if no other process holds it.
 *
 * @returns the lock, or `undefined` when another process holds it (unless `throwIfHeld`).
 * @throws StorageError naming `path` when the lock cannot be taken for another reason.
 */
export async function tryLock(path: string, throwIfHeld = false): Promise<HeldLock | undefined> {
  // Loaded on the first lock: it installs exit hooks that free the locks a process holds.
  const { lock } = await import("proper-lockfile");
  const lockfilePath = await lockfilePathOf(path);
  let lost: Error | undefined;
  try {
    const release = await lock(path, {
      lockfilePath,
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: 0,
      onCompromised: (error: Error) => {
        lost = error;
      },
    });
    return {
      lockfilePath,
      release: async () => {
        if (lost === undefined) await release().catch(() => undefined);
      },
      lost: () => lost,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || throwIfHeld) {
      throw fileError("locking", path, error);
    }
    return undefined;
  }
}
