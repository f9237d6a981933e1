/**
 * Small steps on local files that several local modules take: writing or reading a range of
 * bytes through a handle whatever the system does in one call, and flushing a folder.
 *
 * @module
 */
import { type FileHandle, open } from "node:fs/promises";
import { StorageError } from "./errors.js";

/** Writes all of `data` at `position` of `handle`. */
export async function writeAt(
  handle: FileHandle,
  data: Uint8Array,
  position: number,
): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Reads the `length` bytes at `position` of `handle`, into `out` at `offset` when given.
 *
 * @returns `out`, or a new buffer of the bytes.
 * @throws StorageError naming `path` when the file ends before them.
 */
export async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
  path: string,
  out: Buffer = Buffer.allocUnsafe(length),
  offset = 0,
): Promise<Buffer> {
  for (let done = 0; done < length; ) {
    const { bytesRead } = await handle.read(out, offset + done, length - done, position + done);
    if (bytesRead === 0) {
      throw new StorageError(
        `${path} ended at byte ${position + done} where ${position + length} bytes were expected`,
      );
    }
    done += bytesRead;
  }
  return out;
}

/** Flushes a folder's entries (a rename, a file made or removed) to the disk; best effort. */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform allows it; the rename or removal is already atomic for other processes.
  }
}
