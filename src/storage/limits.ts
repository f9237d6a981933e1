/**
 * How much a backend reads at most: a file larger than the limit is refused before it is read
 * (a hostile or mistaken location such as a multi-gigabyte file must not fill the memory). The
 * limit is the `maxReadBytes` storage option.
 *
 * @module
 */
import { LazyscribeError } from "../errors.js";
import { StorageError } from "./errors.js";
import type { StorageOptions } from "./storage.js";

/**
 * The largest file a backend reads unless `storageOptions.maxReadBytes` says otherwise: 1 GiB.
 * A project file is far below it (a JSON text of more than about 512 M characters cannot be
 * held as one JavaScript string anyway); an artifact may come near it.
 */
export const DEFAULT_MAX_READ_BYTES = 2 ** 30;

/** Options every backend understands. */
export interface ReadLimitOptions {
  /**
   * The largest file, in bytes, that reading accepts (default {@link DEFAULT_MAX_READ_BYTES}):
   * a larger one is refused with a `StorageError` (code `EFBIG`) that names its size.
   */
  readonly maxReadBytes?: number;
}

/**
 * The read limit set in `options` (`maxReadBytes`), or the default.
 *
 * @throws LazyscribeError when `maxReadBytes` is not a positive whole number.
 */
export function maxReadBytesOf(options: StorageOptions): number {
  const value = options.maxReadBytes;
  if (value === undefined) return DEFAULT_MAX_READ_BYTES;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new LazyscribeError(
      `storageOptions.maxReadBytes must be a positive whole number of bytes, not ${String(value)}`,
    );
  }
  return value;
}

/** `300 bytes`, `1.5 GiB (1610612736 bytes)`. */
function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = "bytes";
  for (const next of ["KiB", "MiB", "GiB", "TiB"]) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number(value.toFixed(1))} ${unit} (${bytes} bytes)`;
}

/** The error for a file larger than the read limit. */
export function tooLargeError(location: string, size: number, limit: number): StorageError {
  return new StorageError(
    `reading ${location} refused: the file is ${sizeInWords(size)}, more than the ${sizeInWords(limit)} lazyscribe reads; raise storageOptions.maxReadBytes to read it`,
    { code: "EFBIG" },
  );
}
