/**
 * The error storage backends raise, and the plain-words reasons for the operating system's
 * error codes.
 *
 * @module
 */
import { LazyscribeError } from "../errors.js";

/**
 * Raised by a storage backend when a file cannot be read, locked or written: the message says
 * what was done, to which file, why it failed and what to do. The original error is the
 * `cause`; its code (`EACCES`, `NoSuchBucket`...) is kept as `code`.
 */
export class StorageError extends LazyscribeError {
  /** The backend's code for the failure (`EROFS`, `ENOSPC`, `NoSuchBucket`...), if any. */
  readonly code: string | undefined;

  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code;
  }
}

/**
 * Raised by `Storage.writeMany` when a file of the batch cannot be written: the message
 * and code are those of that file's error (its `cause`).
 */
export class WriteManyError extends StorageError {
  /** The index in the batch of the file that failed first. */
  readonly failed: number;
  /** The indices of the files that were written, durably, before the batch stopped. */
  readonly written: readonly number[];

  constructor(failed: number, written: readonly number[], cause: unknown) {
    const code = (cause as { code?: unknown })?.code;
    super((cause as Error)?.message ?? String(cause), {
      cause,
      code: typeof code === "string" ? code : undefined,
    });
    this.failed = failed;
    this.written = written;
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied; make the folder writable or save elsewhere",
  EPERM: "the operation is not permitted; make the folder writable or save elsewhere",
  EROFS: "the file system is read-only; save elsewhere",
  ENOSPC: "no space left on the device; free some space and save again",
  EDQUOT: "the disk quota is exceeded; free some space and save again",
  EFBIG: "the file is larger than this process may write",
  ENOTDIR: "a part of the path is a file, not a folder; correct the path",
  EEXIST: "a part of the path is a file, not a folder; correct the path",
  EISDIR: "the path names a folder, not a file; correct the path",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files in this process",
  ELOCKED: "another process held the lock for too long; save again later",
};

/**
 * A {@link StorageError} for a failed local file operation: `"<action> <path> failed: <reason>
 * (<system message>)"`.
 */
export function fileError(action: string, path: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = code === undefined ? undefined : REASONS[code];
  const detail = (error as Error)?.message ?? String(error);
  return new StorageError(
    reason === undefined
      ? `${action} ${path} failed: ${detail}`
      : `${action} ${path} failed: ${reason} (${detail})`,
    { cause: error, code },
  );
}
