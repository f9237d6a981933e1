/**
 * The options of Python's `json.dumps` that change its output, shared by both writers.
 *
 * @module
 */

/** The options of Python's `json.dumps` that change its output, with camelCase names. */
export interface PyJsonOptions {
  /**
   * Pretty-printing: a number of spaces or a string to indent each level with (Python's
   * `indent`). `null` or absent writes everything on one line.
   */
  readonly indent?: number | string | null;
  /** Write object keys sorted by code point (Python's `sort_keys`; default false). */
  readonly sortKeys?: boolean;
  /**
   * The item and key separators (Python's `separators`). Default `[", ", ": "]` on one line,
   * `[",", ": "]` when indenting.
   */
  readonly separators?: readonly [string, string];
  /** Escape every non-ASCII character as `\uXXXX` (Python's `ensure_ascii`; default true). */
  readonly ensureAscii?: boolean;
  /** Write `NaN`, `Infinity` and `-Infinity` (Python's `allow_nan`; default true); refuse them when false. */
  readonly allowNan?: boolean;
}
