/**
 * The writer of project and repository files: Python's
 * `json.dumps(value, sort_keys=True, indent=4)`, byte for byte.
 *
 * @module
 */
import { dumpsPyJson } from "./dumps.js";
import type { FloatMarks } from "./marks.js";
import type { PyJsonOptions } from "./options.js";

/** The options of the project and repository files: `json.dump(data, f, sort_keys=True, indent=4)`. */
export const PROJECT_FILE_FORMAT: PyJsonOptions = Object.freeze({ indent: 4, sortKeys: true });

/**
 * Serialises a JSON value exactly as Python's `json.dumps(value, sort_keys=True, indent=4)`,
 * the way lazyscribe writes project and repository files. Numbers marked in `marks` are
 * written as floats (`1.0`); `bigint`s as integer literals.
 *
 * @throws TypeError for a value JSON cannot hold (`undefined`, a function, a symbol, a class
 *   instance without `toJSON`), naming its path.
 * @throws RangeError for a circular structure, or a value nested deeper than `MAX_NESTING`.
 */
export function dumpPyJson(value: unknown, marks?: FloatMarks): string {
  return dumpsPyJson(value, PROJECT_FILE_FORMAT, marks);
}
