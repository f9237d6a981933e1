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
 * New content given as the first `keep` bytes of the file as {@link Storage.update} found it,
 * followed by `tail`, then by the file's own bytes from `resume` to its end: what a change
 * that leaves the start and the end of a large file as they were (a record appended, or one
 * rewritten) returns, so that the backend need not be handed the whole content. The file is
 * still replaced atomically, as for any update: the local backend writes a small splice of a
 * large file in place under an undo journal (`localInPlace.ts`), and otherwise copies the
 * current file into its temporary file, writes `tail` over the copy at `keep`, copies the
 * bytes from `resume` after it and cuts the copy if it shrank, before flushing and renaming it;
 * the others assemble the bytes.
 */
export interface FileSplice {
  /** How many bytes of the current file to keep (at most its size). */
  readonly keep: number;
  /** What follows them. */
  readonly tail: Uint8Array | string;
  /**
   * Where the current file's bytes that follow `tail` start (from `keep` to its size; the
   * size, or `undefined`: none follow).
   */
  readonly resume?: number;
  /**
   * The size in bytes of the file the change was computed for: the backend refuses the
   * splice when the file it holds has another size (a defect of the caller, never a guess).
   */
  readonly size: number;
}

/**
 * New content given in parts, each made only when the backend comes to it: the local backend
 * writes each part while the next one is being made, so that making a large file and writing
 * it overlap, and the file is never whole in memory; the others gather the parts first. The
 * parts are read once. An error thrown while a part is made fails the update with that very
 * error, and the file is left as it was.
 */
export interface FileParts {
  /** The parts, in the file's order: an iterable read once (a generator, as a rule). */
  readonly parts: Iterable<Uint8Array>;
}

/**
 * The new content a {@link FileChange} gives: whole, in {@link FileParts}, or as a
 * {@link FileSplice}.
 */
export type FileContent = Uint8Array | string | FileSplice | FileParts;

/**
 * What {@link Storage.update} writes, given the file as it is (`undefined`: no file yet).
 * It may be called more than once (on S3, after a conflicting write), so it must not have
 * other effects than computing the new content. A {@link FileSplice} needs a current file.
 */
export type FileChange = (current: CurrentFile | undefined) => Promise<FileContent> | FileContent;

/** Whether a change's content is a {@link FileSplice}. */
export function isSplice(content: FileContent): content is FileSplice {
  return typeof content === "object" && "keep" in content;
}

/** Whether a change's content is given in {@link FileParts}. */
export function isParts(content: FileContent): content is FileParts {
  return typeof content === "object" && "parts" in content;
}

/** The bytes of `parts`, one after the other. */
export function joinParts(parts: Iterable<Uint8Array>): Uint8Array {
  const list = [...parts];
  if (list.length === 1) return list[0] as Uint8Array;
  const out = new Uint8Array(list.reduce((size, part) => size + part.length, 0));
  let at = 0;
  for (const part of list) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The whole content a change gives (for backends that write whole objects): parts are
 * joined, a splice is assembled from the current file's bytes.
 *
 * @throws Error when a splice does not fit the current file; what making a part throws.
 */
export async function wholeContent(
  content: FileContent,
  current: CurrentFile | undefined,
): Promise<Uint8Array | string> {
  if (isParts(content)) return joinParts(content.parts);
  if (!isSplice(content)) return content;
  if (current === undefined) throw new Error("a splice needs an existing file");
  return splicedBytes(content, await current.read());
}

/**
 * The bytes of `splice` applied to the current file's bytes `before`.
 *
 * @throws Error when the splice does not fit them.
 */
export function splicedBytes(splice: FileSplice, before: Uint8Array): Uint8Array {
  checkSplice(splice, before.length);
  const tail =
    typeof splice.tail === "string" ? new TextEncoder().encode(splice.tail) : splice.tail;
  const resume = splice.resume ?? before.length;
  const out = new Uint8Array(splice.keep + tail.length + before.length - resume);
  out.set(before.subarray(0, splice.keep), 0);
  out.set(tail, splice.keep);
  out.set(before.subarray(resume), splice.keep + tail.length);
  return out;
}

/** @throws Error when `splice` was not computed for a file of `size` bytes. */
export function checkSplice(splice: FileSplice, size: number): void {
  const resume = splice.resume ?? size;
  if (splice.size !== size || splice.keep < 0 || splice.keep > resume || resume > size) {
    throw new Error(
      `the file holds ${size} bytes where the change expected ${splice.size} (keeping ${splice.keep}, resuming at ${resume}): nothing was written`,
    );
  }
}

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
