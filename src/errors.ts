/**
 * The errors lazyscribe raises. Every one extends {@link LazyscribeError}, so a caller can
 * catch them all with one `instanceof` check and tell them apart by class.
 *
 * @module
 */

/** The base class of every error lazyscribe raises on purpose. */
export class LazyscribeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Raised when something tries to change a project, experiment or test that was opened
 * read-only (a project in mode "r", or existing experiments of a project in mode "a").
 */
export class ReadOnlyError extends LazyscribeError {}

/** Raised when a project, repository or artifact cannot be written. The data in memory is kept. */
export class SaveError extends LazyscribeError {}

/** Raised when an artifact cannot be logged (a duplicate name, a value the handler refuses...). */
export class ArtifactLogError extends LazyscribeError {}

/** Raised when an artifact cannot be loaded (a missing file, an unknown handler, a failed check). */
export class ArtifactLoadError extends LazyscribeError {}

/** Raised when a requested artifact version does not exist in a repository. */
export class VersionNotFoundError extends LazyscribeError {}

/** Raised when an artifact version is not newer than the latest one, or is otherwise invalid. */
export class InvalidVersionError extends LazyscribeError {}

/** Raised when a slug, dependency or project cannot be found. */
export class NotFoundError extends LazyscribeError {}

/** Where a validation error was found: the file, the record's index and the field's path. */
export interface ValidationLocation {
  /** The file that was read, when the input came from a file. */
  readonly file?: string;
  /** The index of the record in the file's top-level list. */
  readonly record?: number;
  /** The path of the offending field inside the record. */
  readonly path?: readonly (string | number)[];
}

/**
 * Raised for a file or an input that does not match lazyscribe's format: the message names
 * the file, the record's index and the field, and the same facts are kept as properties.
 */
export class ValidationError extends LazyscribeError {
  /** The file that was read, if any. */
  readonly file: string | undefined;
  /** The record's index in the file, if the error is inside a record. */
  readonly record: number | undefined;
  /** The path of the offending field inside the record. */
  readonly path: readonly (string | number)[];

  constructor(problem: string, where: ValidationLocation = {}, options?: ErrorOptions) {
    super(describe(problem, where), options);
    this.file = where.file;
    this.record = where.record;
    this.path = where.path ?? [];
  }
}

function describe(problem: string, where: ValidationLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.record !== undefined) parts.push(`record ${where.record}`);
  if (where.path !== undefined && where.path.length > 0) {
    parts.push(`field "${where.path.join(".")}"`);
  }
  return parts.length > 0 ? `${parts.join(", ")}: ${problem}` : problem;
}
