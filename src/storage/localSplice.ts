/**
 * The temporary file of a local splice (see `FileSplice`): the file copied, cut, completed
 * with the tail and the file's own bytes after it, and flushed, before `local.ts` renames it
 * over the file.
 *
 * @module
 */
import { constants } from "node:fs";
import { copyFile, type FileHandle, open, stat } from "node:fs/promises";
import { StorageError } from "./errors.js";
import { writeAt } from "./localFiles.js";
import { versionToken } from "./localRead.js";
import type { FileSplice } from "./storage.js";

/** How many bytes a splice moves at once from the file to its temporary copy. */
const COPY_CHUNK = 8 << 20;

/**
 * Fills the new temporary file `temp` with the first `splice.keep` bytes of `path`,
 * `splice.tail`, then the bytes of `path` from `splice.resume` on, and flushes it: the file
 * is copied (cloned where the filesystem can, else by the kernel, without passing through
 * this process); unless the tail takes exactly the place of the bytes it replaces, the copy
 * is cut at `keep`, the tail written and the file's bytes from `resume` copied after it, a
 * chunk at a time (from the page cache, as a rule). The copy is checked to be of the file
 * version `version` once everything is read (a writer that ignores the lock, such as Python
 * lazyscribe, may have rewritten it meanwhile: then the splice fails and nothing is written).
 *
 * @returns the version token of the temporary file.
 */
export async function fillSplice(
  path: string,
  temp: string,
  version: string,
  splice: FileSplice,
): Promise<string> {
  // A clone shares the file's blocks where the filesystem can (Btrfs, XFS), else a copy.
  await copyFile(path, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  const handle = await open(temp, "r+");
  try {
    const { keep, size } = splice;
    const resume = splice.resume ?? size;
    const tail = typeof splice.tail === "string" ? Buffer.from(splice.tail) : splice.tail;
    if (resume - keep !== tail.length) await handle.truncate(keep);
    await writeAt(handle, tail, keep);
    if (resume - keep !== tail.length && resume < size) {
      await copyBytes(path, resume, size, handle, keep + tail.length);
    }
    if (versionToken(await stat(path, { bigint: true })) !== version) {
      throw new StorageError(
        `${path} was rewritten by a process that does not take its lock while this save copied it; nothing was written, save again`,
      );
    }
    await handle.sync();
    return versionToken(await handle.stat({ bigint: true }));
  } finally {
    await handle.close();
  }
}

/** Copies the bytes `[from, to)` of the file `path` to `position` of `target`. */
async function copyBytes(
  path: string,
  from: number,
  to: number,
  target: FileHandle,
  position: number,
): Promise<void> {
  const source = await open(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(Math.min(COPY_CHUNK, to - from));
    for (let at = from; at < to; ) {
      const { bytesRead } = await source.read(chunk, 0, Math.min(chunk.length, to - at), at);
      if (bytesRead === 0) {
        throw new StorageError(`${path} ended at byte ${at} while this save copied it up to ${to}`);
      }
      await writeAt(target, chunk.subarray(0, bytesRead), position + (at - from));
      at += bytesRead;
    }
  } finally {
    await source.close();
  }
}
