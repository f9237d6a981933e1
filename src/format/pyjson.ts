/**
 * JSON as Python's `json` module reads and writes it: `NaN`, `Infinity` and `-Infinity`
 * literals, whole floats (`1.0`) kept apart from integers (`1`), and output byte for byte
 * equal to `json.dumps(value, sort_keys=True, indent=4)`.
 *
 * @module
 */
import { dumpsPyJson, type PyJsonOptions } from "./pyjsonOptions.js";

export { parsePyJson } from "./pyjsonParse.js";
export { pyNumber, pyString, sortedKeys } from "./pyjsonWrite.js";
export { cloneJson, isWholeFloat, markWholeFloat } from "./wholeFloats.js";

/** The options of the project and repository files: `json.dump(data, f, sort_keys=True, indent=4)`. */
export const PROJECT_FILE_FORMAT: PyJsonOptions = Object.freeze({ indent: 4, sortKeys: true });

/**
 * Serialises a JSON value exactly as Python's `json.dumps(value, sort_keys=True, indent=4)`,
 * the way lazyscribe writes project and repository files.
 *
 * @throws TypeError for a value JSON cannot hold (`undefined`, a function, a symbol, a
 *   bigint, a class instance without `toJSON`), naming its path.
 * @throws RangeError for a circular structure.
 */
export function dumpPyJson(value: unknown): string {
  return dumpsPyJson(value, PROJECT_FILE_FORMAT);
}
