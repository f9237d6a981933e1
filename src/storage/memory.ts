/**
 * `memory://` files: kept in this process, shared by every project that names the same path.
 * For tests and ephemeral use.
 *
 * @module
 */
import { writeBatch } from "./batch.js";
import { KeyedQueue } from "./queue.js";
import {
  type FileChange,
  type FileWrite,
  type Storage,
  type UpdateOptions,
  type Versioned,
  wholeContent,
} from "./storage.js";

interface MemoryFile {
  readonly data: Uint8Array;
  readonly version: string;
}

const files = new Map<string, MemoryFile>();
const queue = new KeyedQueue();
let writes = 0;

function store(path: string, data: Uint8Array | string): string {
  const version = String(++writes);
  files.set(path, {
    data: typeof data === "string" ? new TextEncoder().encode(data) : data.slice(),
    version,
  });
  return version;
}

/** The in-memory backend (`memory://<path>`). */
export class MemoryStorage implements Storage {
  readonly protocol = "memory";

  async read(path: string): Promise<Uint8Array | undefined> {
    return files.get(path)?.data.slice();
  }

  async readVersioned(path: string): Promise<Versioned | undefined> {
    const file = files.get(path);
    return file === undefined ? undefined : { data: file.data.slice(), version: file.version };
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    store(path, data);
  }

  /** Stores every file (each write is whole at once: nothing can fail half-way). */
  async writeMany(files: readonly FileWrite[]): Promise<void> {
    await writeBatch(files, files.length, async ({ path, data }) => {
      store(path, data);
    });
  }

  /** Updates of the same path run one after the other (this process is the only writer). */
  async update(path: string, change: FileChange, options: UpdateOptions = {}): Promise<string> {
    return queue.run(path, () => this.#update(path, change, options.signal));
  }

  async #update(path: string, change: FileChange, signal?: AbortSignal): Promise<string> {
    const file = files.get(path);
    const current =
      file === undefined
        ? undefined
        : { version: file.version, read: async () => file.data.slice() };
    const data = await wholeContent(await change(current), current);
    signal?.throwIfAborted();
    return store(path, data);
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
