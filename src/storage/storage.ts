/**
 * The one small interface every storage backend implements. Backends are the only code that
 * touches the filesystem or the network; everything else works on text and bytes.
 *
 * @module
 */

/** A place to read and write whole files. Paths are the backend's own (no protocol prefix). */
export interface Storage {
  /** The protocol this backend serves (`file`, `memory`...). */
  readonly protocol: string;
  /** The file's bytes, or `undefined` when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
  /**
   * Replaces the file's content atomically: a reader sees the old content or the new one,
   * never a mix. Missing parent folders are created.
   */
  write(path: string, data: Uint8Array | string): Promise<void>;
  /** Whether a file exists at `path`. */
  exists(path: string): Promise<boolean>;
  /** Removes the file if it exists. */
  remove(path: string): Promise<void>;
}

/** Options passed to a backend when it is created (endpoint, region, credentials...). */
export type StorageOptions = Readonly<Record<string, unknown>>;
