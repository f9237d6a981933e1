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
import { readAt, writeAt } from "./localFiles.js";
import { versionToken } from "./localRead.js";
import type { FileSplice } from "./storage.js";

/** How many bytes a splice moves at once from the file to its temporary copy. */
const COPY_CHUNK = 8 << 20;

/**
 * Fills the new temporary file `temp` with the first `splice.keep` bytes of `path`,
 * `splice.tail`, then the bytes of `path` from `splice.resume` on, and flushes it: the file
 * is copied (cloned where the filesystem can, else by the kernel, without passing through
 * this process); the tail is written over the copy at `keep` and, unless it takes exactly the
 * place of the bytes it replaces, the file's bytes from `resume` are copied after it (reading
 * the next chunk while the last one is written), and the copy is cut to its new size if it
 * shrank. The copy is checked to be of the file version `version` once everything is read
 * (a writer that ignores the lock, such as Python lazyscribe, may have rewritten it
 * meanwhile: then the splice fails and nothing is written).
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
    const moved = keep + tail.length;
    await writeAt(handle, tail, keep);
    if (moved !== resume && resume < size) await copyBytes(path, resume, size, handle, moved);
    const end = moved + size - resume;
    if (end < size) await handle.truncate(end);
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

/**
 * Copies the bytes `[from, to)` of the file `path` to `position` of `target`, a chunk at a
 * time, each chunk read while the one before it is written.
 */
async function copyBytes(
  path: string,
  from: number,
  to: number,
  target: FileHandle,
  position: number,
): Promise<void> {
  const source = await open(path, "r");
  const length = Math.min(COPY_CHUNK, to - from);
  const chunks = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let at = from, k = 0; at < to; k++) {
      const size = Math.min(length, to - at);
      const chunk = await readAt(source, at, size, path, chunks[k % 2]);
      await writing;
      writing = writeAt(target, chunk.subarray(0, size), position + (at - from));
      at += size;
    }
    await writing;
  } catch (error) {
    await writing.catch(() => undefined);
    throw error;
  } finally {
    await source.close();
  }
}
