/**
 * JSON as Python's `json` module reads and writes it: `NaN`, `Infinity` and `-Infinity`
 * literals, whole floats (`1.0`) kept apart from integers (`1`), and output byte for byte
 * equal to `json.dumps(value, sort_keys=True, indent=4)`.
 *
 * @module
 */
export { dumpPyJson } from "./pyjsonDump.js";
export { parsePyJson } from "./pyjsonParse.js";
export { pyNumber, pyString, sortedKeys } from "./pyjsonWrite.js";
export { cloneJson, isWholeFloat, markWholeFloat } from "./wholeFloats.js";
