/**
 * The one small interface every storage backend implements. Backends are the only code that
 * touches the filesystem or the network; everything else works on text and bytes.
 *
 * @module
 */

/** A file's content and the token of that exact version of it. */
export interface Versioned {
  /** The file's bytes, as read. */
  readonly data: Uint8Array;
  /**
   * An opaque token that changes whenever the file is replaced: the ETag on S3; the inode,
   * size and modification time of a local file; a counter for `memory://`.
   */
  readonly version: string;
}

/** The file as {@link Storage.update} finds it: its version now, and its content on demand. */
export interface CurrentFile {
  /** The version token of the file as it is now (see {@link Versioned.version}). */
  readonly version: string;
  /** Reads the file's content (only when the change needs it: it may be large). */
  read(): Promise<Uint8Array>;
}

/**
 * What {@link Storage.update} writes, given the file as it is (`undefined`: no file yet).
 * It may be called more than once (on S3, after a conflicting write), so it must not have
 * other effects than computing the new content.
 */
export type FileChange = (
  current: CurrentFile | undefined,
) => Promise<Uint8Array | string> | Uint8Array | string;

/** Options of {@link Storage.update}. */
export interface UpdateOptions {
  /** Once aborted, the update is abandoned if the file has not been replaced yet. */
  readonly signal?: AbortSignal;
}

/** One file of a {@link Storage.writeMany} batch. */
export interface FileWrite {
  /** The backend's path of the file. */
  readonly path: string;
  /** Its new content. */
  readonly data: Uint8Array | string;
}

/** A place to read and write whole files. Paths are the backend's own (no protocol prefix). */
export interface Storage {
  /** The protocol this backend serves (`file`, `memory`, `s3`). */
  readonly protocol: string;
  /** The file's bytes, or `undefined` when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
  /**
   * The file's bytes with their version token, or `undefined` when there is no such file.
   * The token is the one of exactly these bytes, so that {@link Storage.update} can tell later
   * whether the file has been replaced since.
   */
  readVersioned(path: string): Promise<Versioned | undefined>;
  /**
   * Replaces the file's content atomically: a reader sees the old content or the new one,
   * never a mix. Missing parent folders are created. Last writer wins: use
   * {@link Storage.update} where another process may write the same file.
   */
  write(path: string, data: Uint8Array | string): Promise<void>;
  /**
   * Writes several files, each atomically as {@link Storage.write} does, several at a time;
   * when it returns, every file is as durable as after `write` (local files are flushed and
   * so are their folders, once per folder). When a file cannot be written, no new write
   * starts, those under way finish, and a {@link WriteManyError} says which file failed and
   * which were written.
   *
   * @throws WriteManyError naming the file that failed first (its `cause` is the backend's
   *   error) and listing the files that were written all the same.
   */
  writeMany(files: readonly FileWrite[]): Promise<void>;
  /**
   * Read-modify-write without lost updates: `change` receives the file as it is and returns
   * its new content, which replaces the file atomically, and no other `update` of the same
   * file (from this or another process) comes between the two. Local files hold a lock file
   * (`<file>.lock`) meanwhile; S3 writes conditionally (`If-Match` / `If-None-Match`) and
   * calls `change` again on a conflict; `memory://` queues updates in this process.
   *
   * On an S3 server that ignores conditional writes the read and the write are not guarded:
   * see {@link S3Storage}.
   *
   * With `options.signal`, the signal is checked right before the file is replaced: once
   * aborted, the update throws and the file is left as it was.
   *
   * @returns the version token of the content written.
   * @throws StorageError when the file cannot be read, locked or written; whatever `change`
   *   throws is passed on, and the file is then left as it was.
   */
  update(path: string, change: FileChange, options?: UpdateOptions): Promise<string>;
  /** Whether a file exists at `path`. */
  exists(path: string): Promise<boolean>;
  /** Removes the file if it exists. */
  remove(path: string): Promise<void>;
}

/** Options passed to a backend when it is created (endpoint, region, credentials...). */
export type StorageOptions = Readonly<Record<string, unknown>>;
