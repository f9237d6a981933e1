/**
 * Opening and reading local files safely: only regular files are read (a folder, a FIFO or a
 * device such as `/dev/zero` is refused without reading and without waiting), within a size
 * limit.
 *
 * @module
 */
import type { BigIntStats } from "node:fs";
import { constants, type FileHandle, open } from "node:fs/promises";
import { fileError, StorageError } from "./errors.js";
import { tooLargeError } from "./limits.js";

/** A regular file opened for reading, with its size and version token. */
export interface OpenFile {
  readonly handle: FileHandle;
  readonly size: number;
  /** The inode, size and modification time (see `Versioned.version`). */
  readonly version: string;
}

/** What a file that is not a regular one is, in words. */
function kindOf(s: BigIntStats): string {
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Opens `path` for reading if it is a regular file of at most `limit` bytes. The file is opened
 * without blocking (a FIFO with no writer would otherwise hold the open forever) and checked
 * through the open handle, so what is checked is what is read.
 *
 * @returns `undefined` when there is no such file.
 * @throws StorageError for a folder (`EISDIR`), another kind of file (`ENOTREG`), a file over
 *   the limit (`EFBIG`) or a failure of the system.
 */
export async function openRegularFile(path: string, limit: number): Promise<OpenFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return undefined;
    throw fileError("reading", path, error);
  }
  try {
    const s = await handle.stat({ bigint: true });
    if (s.isDirectory()) {
      throw new StorageError(`${path} is a folder, not a file; name the file inside it`, {
        code: "EISDIR",
      });
    }
    if (!s.isFile()) {
      throw new StorageError(
        `${path} is ${kindOf(s)}, not a file: lazyscribe reads only regular files`,
        { code: "ENOTREG" },
      );
    }
    const size = Number(s.size);
    if (size > limit) throw tooLargeError(path, size, limit);
    return { handle, size, version: versionToken(s) };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw fileError("reading", path, error);
  }
}

/**
 * Reads an opened file to its end, refusing it if it has grown past `limit` since it was
 * opened.
 */
export async function readToEnd(file: OpenFile, path: string, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(file.size + 1, limit + 1)));
  let filled = 0;
  try {
    for (;;) {
      if (filled === buffer.length) {
        chunks.push(buffer);
        buffer = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
        filled = 0;
      }
      const { bytesRead } = await file.handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      total += bytesRead;
      if (total > limit) throw tooLargeError(path, total, limit);
    }
  } catch (error) {
    throw fileError("reading", path, error);
  }
  chunks.push(buffer.subarray(0, filled));
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/**
 * The version token of a local file: its device, inode, size and modification time, so that a
 * file replaced (a new inode) or rewritten in place (size or time) has another.
 */
export function versionToken(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
}
