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
import type { Storage, StorageOptions } from "./storage.js";

export { LocalStorage } from "./local.js";
export { MemoryStorage } from "./memory.js";
export * from "./paths.js";
export type { Storage, StorageOptions } from "./storage.js";

/** A backend and the path inside it that a location names. */
export interface ResolvedLocation {
  readonly storage: Storage;
  readonly path: string;
}

const local = new LocalStorage();
const memory = new MemoryStorage();

/**
 * The backend and path for `location`: a plain path or `file://` URL (local files) or
 * `memory://path`.
 *
 * @throws LazyscribeError for a protocol no backend serves.
 */
export function resolveLocation(location: string, _options: StorageOptions = {}): ResolvedLocation {
  const { protocol, path } = parseLocation(location);
  switch (protocol) {
    case "file":
      return {
        storage: local,
        path: location.startsWith("file://") ? fileURLToPath(location) : path,
      };
    case "memory":
      return { storage: memory, path };
    default:
      throw new LazyscribeError(
        `no storage backend for "${protocol}://" (in "${location}"); use a local path or memory://`,
      );
  }
}
