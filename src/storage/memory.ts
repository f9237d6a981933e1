/**
 * `memory://` files: kept in this process, shared by every project that names the same path.
 * For tests and ephemeral use.
 *
 * Every call answers at once: its Observable form (see `edge.ts`) emits in the subscriber's
 * call, so that a `memory://` project opens and saves synchronously (in virtual time, inside
 * RxJS's `TestScheduler.run()`); the promise form is the same call through `lastValueFrom`.
 *
 * @module
 */
import { defer, from, lastValueFrom, map, type Observable, of } from "rxjs";
import type { ObservableFileChange, ObservableStorage } from "./edge.js";
import { KeyedQueue } from "./queue.js";
import {
  type FileChange,
  type FileContent,
  type FileWrite,
  isParts,
  isSplice,
  joinParts,
  type Storage,
  splicedBytes,
  type UpdateOptions,
  type Versioned,
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

function snapshot(path: string): Versioned | undefined {
  const file = files.get(path);
  return file === undefined ? undefined : { data: file.data.slice(), version: file.version };
}

/** The bytes `content` gives for a file whose bytes are `before` (`undefined`: no file). */
function whole(content: FileContent, before: Uint8Array | undefined): Uint8Array | string {
  if (isParts(content)) return joinParts(content.parts);
  if (!isSplice(content)) return content;
  if (before === undefined) throw new Error("a splice needs an existing file");
  return splicedBytes(content, before);
}

/** The in-memory backend (`memory://<path>`). */
export class MemoryStorage implements Storage, ObservableStorage {
  readonly protocol = "memory";

  async read(path: string): Promise<Uint8Array | undefined> {
    return files.get(path)?.data.slice();
  }

  async readVersioned(path: string): Promise<Versioned | undefined> {
    return snapshot(path);
  }

  readVersioned$(path: string): Observable<Versioned | undefined> {
    return defer(() => of(snapshot(path)));
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    store(path, data);
  }

  /** Stores every file (each write is whole at once: nothing can fail half-way). */
  writeMany(files: readonly FileWrite[]): Promise<void> {
    return lastValueFrom(this.writeMany$(files));
  }

  writeMany$(files: readonly FileWrite[]): Observable<void> {
    return defer(() => {
      for (const { path, data } of files) store(path, data);
      return of(undefined);
    });
  }

  /** Updates of the same path run one after the other (this process is the only writer). */
  update(path: string, change: FileChange, options: UpdateOptions = {}): Promise<string> {
    return lastValueFrom(
      this.update$(
        path,
        (current) =>
          from(
            (async () =>
              change(
                current === undefined
                  ? undefined
                  : { version: current.version, read: () => lastValueFrom(current.read$()) },
              ))(),
          ),
        options,
      ),
    );
  }

  /**
   * Updates of the same path run one after the other (this process is the only writer); one
   * whose change answers at once completes in the subscriber's call.
   */
  update$(
    path: string,
    change: ObservableFileChange,
    options: UpdateOptions = {},
  ): Observable<string> {
    return queue.run$(
      path,
      defer(() => {
        const file = files.get(path);
        const current =
          file === undefined
            ? undefined
            : { version: file.version, read$: () => defer(() => of(file.data.slice())) };
        return change(current).pipe(
          map((content) => {
            const data = whole(content, file?.data);
            options.signal?.throwIfAborted();
            return store(path, data);
          }),
        );
      }),
    );
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
