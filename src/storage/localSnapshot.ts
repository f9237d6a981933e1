/**
 * Reading a local file whole while an in-place splice (`localInPlace.ts`) may be rewriting
 * it: a read never returns a torn file.
 *
 * - No journal beside the file: the file is read, then the read is kept only if there is
 *   still no journal and the file's version token is the one it had when opened. An in-place
 *   write happens only while its journal exists and moves the modification time past every
 *   time it gave the file before its journal goes, so a write that overlapped the read either
 *   left its journal there or changed the token: the read is tried again.
 * - A journal whose lock this process can take: its writer died. The file is rolled back
 *   (`rollBack`) under the lock, then read.
 * - A whole journal whose lock is held (a writer at work, or one killed less than
 *   `LOCK_STALE_MS` ago): the old file is put together without waiting from the file's bytes
 *   before `keep` (which an in-place write never touches) and the journal's old bytes, and kept
 *   if the same journal is still there afterwards; its token is the old file's.
 *   A file renamed over the journal's file since (another inode) is whole: it is read.
 * - A torn journal whose lock is held: its writer is writing it (or was killed doing so) and
 *   has not touched the file: the file is read, and kept if the journal is still not whole
 *   and the token the same afterwards (a whole journal is on the disk before the file is
 *   touched, so a write that overlapped the read left one, or moved the token).
 *
 * A reader that ignores the journal (Python lazyscribe, `cat`) reads the file as it is: during
 * an in-place write, from the new bytes' write to its end (a few milliseconds: a write of the
 * changed records and a flush), it may see the file half-written; after a writer was killed
 * mid-write, it sees the torn file until a process of this project opens or updates it (a
 * reader recovers it once the killed writer's lock is stale, at most `LOCK_STALE_MS`; an
 * update waits for the lock, then recovers it).
 *
 * @module
 */
import { lstat } from "node:fs/promises";
import { fileError, StorageError } from "./errors.js";
import { tooLargeError } from "./limits.js";
import { writeTarget } from "./links.js";
import { readAt } from "./localFiles.js";
import { rollBack, sameFile } from "./localInPlace.js";
import { journalIdNow, journalPathOf, readJournal } from "./localJournal.js";
import { LOCK_WAIT_MS, tryLock } from "./localLock.js";
import { openRegularFile, readToEnd, versionToken } from "./localRead.js";
import type { Versioned } from "./storage.js";

/**
 * Reads the file `path` whole, with its version token, as described in the module comment.
 *
 * @returns `undefined` when there is no such file.
 * @throws StorageError as `openRegularFile` and `readToEnd` do, when the file does not match
 *   its journal, or when it kept changing for `LOCK_WAIT_MS`.
 */
export async function readSnapshot(path: string, limit: number): Promise<Versioned | undefined> {
  const real = await writeTarget(path);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const found = (await hasJournal(real))
      ? await readBesideJournal(real, limit)
      : await readIfUnchanged(path, real, limit);
    if (found !== "again") return found;
    if (Date.now() > deadline) {
      throw new StorageError(
        `reading ${path} failed: it kept changing while it was read for ${LOCK_WAIT_MS / 1000} s (a save under way, or a process rewriting it again and again); read it again later`,
      );
    }
    const pause = Math.min(50, 1.5 ** attempt);
    await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
  }
}

async function hasJournal(real: string): Promise<boolean> {
  try {
    await lstat(journalPathOf(real));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return false;
    throw fileError("reading the journal of", real, error);
  }
}

/**
 * The file read whole, or `"again"` when a journal appeared (with `tornJournal`: a torn journal
 * was there before, and the journal became whole) or the file's token changed meanwhile.
 */
async function readIfUnchanged(
  path: string,
  real: string,
  limit: number,
  tornJournal = false,
): Promise<Versioned | undefined | "again"> {
  const file = await openRegularFile(path, limit);
  if (file === undefined) return undefined;
  try {
    const data = await readToEnd(file, path, limit);
    const changed = tornJournal
      ? (await readJournal(real)).kind === "complete"
      : await hasJournal(real);
    if (changed) return "again";
    const now = versionToken(await file.handle.stat({ bigint: true }));
    return now === file.version ? { data, version: file.version } : "again";
  } finally {
    await file.handle.close();
  }
}

/** The file as its journal says it was, after a recovery or put together, or `"again"`. */
async function readBesideJournal(
  real: string,
  limit: number,
): Promise<Versioned | undefined | "again"> {
  // A folder this process cannot write gives no lock either: no recovery, the file is read as
  // below.
  const lock = await tryLock(real).catch(() => undefined);
  if (lock !== undefined) {
    try {
      await rollBack(real);
    } finally {
      await lock.release();
    }
    return "again";
  }
  const state = await readJournal(real);
  if (state.kind === "none") return "again";
  // Its writer has not touched the file yet: the file is read, and kept if the journal did
  // not become whole meanwhile.
  if (state.kind === "torn") return readIfUnchanged(real, real, limit, true);
  const { journal } = state;
  if (journal.oldSize > limit) throw tooLargeError(real, journal.oldSize, limit);
  const file = await openRegularFile(real, Number.MAX_SAFE_INTEGER);
  if (file === undefined) return "again";
  try {
    if (!sameFile(await file.handle.stat({ bigint: true }), journal)) {
      // Another file was renamed over the journal's: it is whole, and no writer touches it
      // before the journal is gone.
      if (file.size > limit) throw tooLargeError(real, file.size, limit);
      const data = await readToEnd(file, real, limit);
      const now = versionToken(await file.handle.stat({ bigint: true }));
      const same = (await journalIdNow(real)) === journal.id && now === file.version;
      return same ? { data, version: file.version } : "again";
    }
    const data = Buffer.allocUnsafe(journal.oldSize);
    const oldEnd = journal.keep + journal.old.length;
    await readAt(file.handle, 0, journal.keep, real, data, 0);
    data.set(journal.old, journal.keep);
    await readAt(file.handle, oldEnd, journal.oldSize - oldEnd, real, data, oldEnd);
    if ((await journalIdNow(real)) !== journal.id) return "again";
    return { data, version: journal.oldVersion };
  } catch (error) {
    // The file was cut short by a writer that finished meanwhile: its journal is gone.
    if ((await journalIdNow(real)) !== journal.id) return "again";
    throw error;
  } finally {
    await file.handle.close();
  }
}
