/**
 * `memory://` files: kept in this process, shared by every project that names the same path.
 * For tests and ephemeral use.
 *
 * @module
 */
import type { Storage } from "./storage.js";

const files = new Map<string, Uint8Array>();

/** The in-memory backend (`memory://<path>`). */
export class MemoryStorage implements Storage {
  readonly protocol = "memory";

  async read(path: string): Promise<Uint8Array | undefined> {
    const data = files.get(path);
    return data === undefined ? undefined : data.slice();
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    files.set(path, typeof data === "string" ? new TextEncoder().encode(data) : data.slice());
  }

  async exists(path: string): Promise<boolean> {
    return files.has(path);
  }

  async remove(path: string): Promise<void> {
    files.delete(path);
  }

  /** Removes every `memory://` file (for tests). */
  static clear(): void {
    files.clear();
  }
}
