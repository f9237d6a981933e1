/**
 * Chooses the storage backend for a location by its protocol.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { LazyscribeError } from "../errors.js";
import { LocalStorage } from "./local.js";
import { MemoryStorage } from "./memory.js";
import { parseLocation } from "./paths.js";
import { S3Storage } from "./s3.js";
import type { Storage, StorageOptions } from "./storage.js";

export type { ObservableCurrentFile, ObservableFileChange, ObservableStorage } from "./edge.js";
export { StorageError, WriteManyError } from "./errors.js";
export { DEFAULT_MAX_READ_BYTES, type ReadLimitOptions } from "./limits.js";
export { LocalStorage } from "./local.js";
export { LOCK_STALE_MS } from "./localLock.js";
export { MemoryStorage } from "./memory.js";
export * from "./paths.js";
export { S3Storage } from "./s3.js";
export type { S3AccessKey, S3Credentials, S3StorageOptions } from "./s3Options.js";
export type {
  CurrentFile,
  FileChange,
  FileContent,
  FileParts,
  FileSplice,
  FileWrite,
  Storage,
  StorageOptions,
  UpdateOptions,
  Versioned,
} from "./storage.js";

/** A backend and the path inside it that a location names. */
export interface ResolvedLocation {
  readonly storage: Storage;
  readonly path: string;
}

const local = new LocalStorage();
const memory = new MemoryStorage();
const NO_OPTIONS: StorageOptions = Object.freeze({});
/** One S3 backend (one client) per options object, so that a project reuses its connections. */
const s3 = new WeakMap<StorageOptions, S3Storage>();
/** Local backends for options that set a read limit of their own (`maxReadBytes`). */
const limitedLocal = new WeakMap<StorageOptions, LocalStorage>();

/**
 * The backend and path for `location`: a plain path or `file://` URL (local files),
 * `memory://path`, or `s3://bucket/key` (with `options` for the S3 client: endpoint, region,
 * credentials, forcePathStyle... see {@link S3StorageOptions}). For every backend,
 * `options.maxReadBytes` raises or lowers the size of the largest file read (see
 * {@link ReadLimitOptions}; 1 GiB by default).
 *
 * @throws LazyscribeError for a protocol no backend serves.
 */
export function resolveLocation(
  location: string,
  options: StorageOptions = NO_OPTIONS,
): ResolvedLocation {
  const { protocol, path } = parseLocation(location);
  switch (protocol) {
    case "file": {
      let storage = local;
      if (options.maxReadBytes !== undefined) {
        storage = limitedLocal.get(options) ?? new LocalStorage(options);
        limitedLocal.set(options, storage);
      }
      return {
        storage,
        path: location.startsWith("file://") ? fileURLToPath(location) : path,
      };
    }
    case "memory":
      return { storage: memory, path };
    case "s3": {
      let storage = s3.get(options);
      if (storage === undefined) {
        storage = new S3Storage(options);
        s3.set(options, storage);
      }
      return { storage, path };
    }
    default:
      throw new LazyscribeError(
        `no storage backend for "${protocol}://" (in "${location}"); use a local path, memory:// or s3://`,
      );
  }
}
