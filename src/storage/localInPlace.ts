/**
 * A local splice written in place, crash-safe through an undo journal (`localJournal.ts`).
 * Chosen over the copy-and-rename of `localSplice.ts` when the bytes it journals and writes
 * are at most a quarter of the file: an experiment appended or the last one changed among
 * thousands, where copying and flushing the whole file costs 10 to 50 times more. A change in
 * the middle of a file that moves the bytes after it keeps the copy.
 *
 * Steps, all under the file's lock: (1) the journal (old size, `keep`, the old bytes the
 * change overwrites, the new bytes, a checksum) is written and flushed, and its folder
 * flushed; (2) the new bytes are written at `keep` and the file cut to its new size; (3) its
 * modification time is moved past every time the kernel gave it during the write (so that
 * the version token changes even for a same-size rewrite within one tick of the clock, and a
 * reader that read mid-write sees another token afterwards); (4) the file is flushed; (5) the
 * journal is removed and the folder flushed. A crash before (1) ends leaves a torn journal and
 * an untouched file; a crash after it leaves a whole journal, and the next update or read
 * that can take the lock rolls the file back to exactly its old bytes ({@link rollBack})
 * before anything else (a file replaced by another one since, renamed over it, is whole: the
 * journal is dropped). A file that matches neither the journal's old nor its new bytes was
 * rewritten by someone else since: it is never overwritten (the recovery fails, naming both).
 *
 * @module
 */
import type { BigIntStats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { fileError, StorageError } from "./errors.js";
import { readAt, writeAt } from "./localFiles.js";
import {
  type Journal,
  journalPathOf,
  newJournalId,
  readJournal,
  removeJournal,
  writeJournal,
} from "./localJournal.js";
import { versionToken } from "./localRead.js";
import type { FileSplice } from "./storage.js";

/**
 * The largest share of the file that an in-place splice may journal (the old bytes it
 * overwrites plus the new ones). In place, a save writes the journal and the new bytes again
 * and flushes both, where the copy writes and flushes the whole file: at a quarter that is at
 * most about half the bytes, held in memory, and one more flush; past it the gain shrinks
 * while a killed save leaves more of the file torn for readers that ignore the journal. An
 * appended experiment or a changed last one among a few hundred or more is far below it.
 */
export const IN_PLACE_SHARE = 0.25;

/** The steps of an in-place splice after which a test may stop the process. */
export type InPlaceStep = "journaled" | "written" | "flushed";

/**
 * Called after each step of an in-place splice with the file's handle and its journal, and
 * waited for; for the tests only (they kill the process there, or read the file meanwhile).
 */
let stepHook:
  | ((step: InPlaceStep, handle: FileHandle, journal: Journal) => void | Promise<void>)
  | undefined;

/** Sets the step hook of the crash tests (`undefined` removes it). */
export function setInPlaceStepHook(hook: typeof stepHook): void {
  stepHook = hook;
}

/** Whether `splice` of a file of `size` bytes is written in place (see {@link IN_PLACE_SHARE}). */
export function fitsInPlace(splice: FileSplice, size: number): boolean {
  const resume = splice.resume ?? size;
  const tail =
    typeof splice.tail === "string" ? Buffer.byteLength(splice.tail) : splice.tail.length;
  const sameLength = resume - splice.keep === tail;
  const journaled = sameLength ? 2 * tail : size - splice.keep + tail + (size - resume);
  return journaled <= size * IN_PLACE_SHARE;
}

/**
 * Applies `splice` to the real file `path` in place (see the module comment); the caller holds
 * the lock and has checked the splice against the file. `beforeWrite` is checked once the
 * journal is on the disk, right before the file is touched: when it throws, the journal is
 * removed and nothing is written.
 *
 * @returns the version token of the new file.
 * @throws StorageError when the file is no longer the version `version` (rewritten by a
 *   process that ignores the lock) or cannot be written; the file is then rolled back.
 */
export async function spliceInPlace(
  path: string,
  version: string,
  splice: FileSplice,
  beforeWrite: () => void,
): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r+");
  } catch (error) {
    throw fileError("writing", path, error);
  }
  try {
    const before = await handle.stat({ bigint: true });
    if (versionToken(before) !== version) {
      throw new StorageError(
        `${path} was rewritten by a process that does not take its lock while this save read it; nothing was written, save again`,
      );
    }
    const journal = await journalOf(handle, path, version, splice);
    await writeJournal(path, journal);
    await stepHook?.("journaled", handle, journal);
    try {
      beforeWrite();
      if (versionToken(await handle.stat({ bigint: true })) !== version) {
        throw new StorageError(
          `${path} was rewritten by a process that does not take its lock while this save wrote its journal; nothing was written, save again`,
        );
      }
    } catch (error) {
      await removeJournal(path);
      throw error;
    }
    let token: string;
    try {
      token = await writeOver(handle, journal, "new", before, "written");
    } catch (error) {
      // The journal is whole: put the old bytes back now, or leave it to the next access.
      await writeOver(handle, journal, "old", before, undefined)
        .then(() => removeJournal(path))
        .catch(() => undefined);
      throw fileError("writing", path, error);
    }
    await stepHook?.("flushed", handle, journal);
    await removeJournal(path);
    return token;
  } finally {
    await handle.close();
  }
}

/** The journal of `splice` applied to the file open in `handle`. */
async function journalOf(
  handle: FileHandle,
  path: string,
  version: string,
  splice: FileSplice,
): Promise<Journal> {
  const { keep, size } = splice;
  const resume = splice.resume ?? size;
  const tail = typeof splice.tail === "string" ? Buffer.from(splice.tail) : splice.tail;
  const sameLength = resume - keep === tail.length;
  const oldEnd = sameLength ? resume : size;
  const old = await readAt(handle, keep, oldEnd - keep, path);
  const fresh = sameLength ? tail : Buffer.concat([tail, old.subarray(resume - keep)]);
  return {
    id: newJournalId(),
    keep,
    oldSize: size,
    newSize: keep + tail.length + (size - resume),
    oldVersion: version,
    old,
    fresh,
  };
}

/**
 * Writes the journal's new or old bytes at its `keep`, cuts the file to the size that goes
 * with them, moves its modification time past `before`'s and the kernel's, and flushes it.
 *
 * @returns the file's new version token.
 */
async function writeOver(
  handle: FileHandle,
  journal: Journal,
  which: "new" | "old",
  before: BigIntStats,
  step: InPlaceStep | undefined,
): Promise<string> {
  await writeAt(handle, which === "new" ? journal.fresh : journal.old, journal.keep);
  if (journal.newSize !== journal.oldSize) {
    await handle.truncate(which === "new" ? journal.newSize : journal.oldSize);
  }
  if (step !== undefined) await stepHook?.(step, handle, journal);
  const after = await moveTimePast(handle, before.mtimeNs);
  await handle.sync();
  return versionToken(after);
}

/**
 * Sets the file's modification time a few microseconds past both `floor` and the time the
 * kernel gave it (whose clock ticks every few milliseconds), so that its version token is new.
 * Times go through seconds as a float, which keeps about a quarter of a microsecond: the result
 * is checked and pushed further if it fell short.
 */
async function moveTimePast(handle: FileHandle, floor: bigint): Promise<BigIntStats> {
  let s = await handle.stat({ bigint: true });
  const base = s.mtimeNs > floor ? s.mtimeNs : floor;
  for (let micros = 4n; ; micros *= 2n) {
    const target = base + micros * 1000n;
    await handle.utimes(secondsOf(s.atimeNs), secondsOf(target));
    s = await handle.stat({ bigint: true });
    if (s.mtimeNs > base) return s;
  }
}

function secondsOf(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}

/**
 * Recovers the real file `path` from its journal, if it has one; the caller holds the lock,
 * so the writer that left the journal is gone. A torn journal is removed and the file left
 * as it is (its writer died before touching it); a whole one has the file's old bytes put
 * back, the file cut to its old size and flushed, then it is removed.
 *
 * @throws StorageError when the file holds bytes that neither the journal's writer nor its
 *   recovery could have left there (someone rewrote it since): both are left untouched.
 */
export async function rollBack(path: string): Promise<void> {
  const state = await readJournal(path);
  if (state.kind === "none") return;
  if (state.kind === "torn") return removeJournal(path);
  const { journal } = state;
  let handle: FileHandle;
  try {
    handle = await open(path, "r+");
  } catch (error) {
    // Removed since: the journal is of no file any more.
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return removeJournal(path);
    throw fileError("recovering", path, error);
  }
  try {
    const before = await handle.stat({ bigint: true });
    // Replaced by another file since (renamed over it): the new file is whole, the journal
    // is of a file that is gone.
    if (!sameFile(before, journal)) return await removeJournal(path);
    await checkLeftByWriter(handle, path, journal, Number(before.size));
    await writeOver(handle, journal, "old", before, undefined);
  } finally {
    await handle.close();
  }
  await removeJournal(path);
}

/** Whether `s` is of the very file (device and inode) whose journal is `journal`. */
export function sameFile(s: BigIntStats, journal: Journal): boolean {
  return journal.oldVersion.startsWith(`${s.dev}:${s.ino}:`);
}

/**
 * Checks that the file's bytes from `keep` on are ones a write of the journal's new bytes or
 * of its old ones (or a crash mid-way, which may leave zeros past the old end) leaves.
 */
async function checkLeftByWriter(
  handle: FileHandle,
  path: string,
  journal: Journal,
  size: number,
): Promise<void> {
  const { keep, old, fresh, oldSize, newSize } = journal;
  const refuse = (why: string) =>
    new StorageError(
      `${path} does not match its journal ${journalPathOf(path)} (${why}): the file was changed after a save was interrupted; neither was touched. Check the file, then remove the journal to keep it as it is`,
      { code: "EJOURNAL" },
    );
  if (size < Math.min(oldSize, newSize) || size > Math.max(oldSize, newSize)) {
    throw refuse(`it holds ${size} bytes, the save went from ${oldSize} to ${newSize}`);
  }
  const end = Math.min(size, keep + Math.max(old.length, fresh.length));
  const bytes = await readAt(handle, keep, Math.max(0, end - keep), path);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === old[i] || b === fresh[i] || (b === 0 && keep + i >= oldSize)) continue;
    throw refuse(`byte ${keep + i} is neither the old nor the new one`);
  }
}
