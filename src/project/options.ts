/**
 * How a project is opened and saved: the modes and options of `Project.open` and
 * `project.save()`.
 *
 * @module
 */
import { defaultAuthor } from "../author.js";
import { LazyscribeError } from "../errors.js";
import { checkName } from "../model/values.js";
import type { StorageOptions } from "../storage/index.js";

/**
 * How a project is opened, as in Python lazyscribe:
 * - `"r"`: read-only; nothing can be logged, appended or saved.
 * - `"a"`: existing experiments are read-only; new ones can be logged and saved.
 * - `"w"`: the existing file is not read; saving replaces it.
 * - `"w+"`: every experiment is editable; `save()` sets `last_updated_by` on those that changed.
 */
export type ProjectMode = "r" | "a" | "w" | "w+";

/** Options of `Project.open`. */
export interface ProjectOptions {
  /** How to open the project (default `"a"`). */
  readonly mode?: ProjectMode;
  /** The author of new experiments and changes (default: the OS user name). */
  readonly author?: string;
  /** Options for the storage backend (endpoint, region, credentials...). */
  readonly storageOptions?: StorageOptions;
  /** Once aborted, opening stops (it throws the signal's reason). */
  readonly signal?: AbortSignal;
}

/** Options of `project.save()`. */
export interface SaveOptions {
  /**
   * Once aborted, a save that has not yet replaced the project file is abandoned (it throws,
   * and the file is left as it was); one that has is complete.
   */
  readonly signal?: AbortSignal;
}

const MODES: readonly ProjectMode[] = ["r", "a", "w", "w+"];

/**
 * The mode and author `options` give (by default `"a"` and the OS user name).
 *
 * @throws LazyscribeError for a mode that is not one of {@link ProjectMode}.
 * @throws ValidationError for an author that is not a valid name.
 */
export function openingMode(
  fpath: string,
  options: ProjectOptions,
): { mode: ProjectMode; author: string } {
  const mode = options.mode ?? "a";
  if (!MODES.includes(mode)) {
    throw new LazyscribeError(
      `invalid mode "${mode}" for ${fpath}: use one of "r", "a", "w", "w+"`,
    );
  }
  const author =
    options.author === undefined ? defaultAuthor() : checkName("author", options.author);
  return { mode, author };
}
