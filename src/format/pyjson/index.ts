/**
 * JSON as Python's `json` module reads and writes it: `NaN`, `Infinity` and `-Infinity`
 * literals, integers of any size (`bigint` beyond the safe range), whole floats (`1.0`) kept
 * apart from integers (`1`) by marks beside the value, and output byte for byte equal to
 * `json.dumps(value, **options)` — `sort_keys=True, indent=4` for project files, which can
 * also be split into and assembled from per-record texts.
 *
 * @module
 */
export { dumpPyJson, PROJECT_FILE_FORMAT } from "./dump.js";
export { dumpsPyJson, dumpsPyJsonSlowly } from "./dumps.js";
export { PyJsonSyntaxError, placeOf, type TextPlace } from "./errors.js";
export { pyFloatRepr } from "./floatRepr.js";
export { byCodePoint, sortedKeys } from "./keys.js";
export { MAX_NESTING, nestingDepth } from "./limits.js";
export {
  childMarks,
  type FloatMarks,
  isMarkedFloat,
  marksAt,
  marksOfItems,
  withMark,
  withMarksAt,
} from "./marks.js";
export type { PyJsonOptions } from "./options.js";
export { type PyJsonRead, parsePyJson, type ReadOptions, readPyJson } from "./parse.js";
export { formatPath, type Key } from "./path.js";
export {
  dumpProjectRecord,
  isExactDouble,
  joinProjectRecords,
  needsExactRead,
  PROJECT_LAYOUT,
  type ProjectRecordRead,
  type RecordTextRead,
  type RecordVouch,
  readProjectRecord,
  readProjectRecords,
  splitProjectRecords,
  type VouchedRecordRead,
} from "./records.js";
export { dumpRecordText } from "./recordText.js";
export { pyNumber, pyString } from "./scalars.js";
