/**
 * The built-in `"json"` artifact handler: Python lazyscribe's `JSONArtifact`.
 *
 * @module
 */

import {
  dumpsPyJson,
  type FloatMarks,
  type PyJsonOptions,
  readPyJson,
} from "../format/pyjson/index.js";
import { type ArtifactData, ArtifactHandler, type HandlerOptions } from "./handler.js";

/** The writer options of the `"json"` handler: those of Python's `json.dump`. */
export type JsonWriterOptions = PyJsonOptions;

/** Python's keyword names, accepted too so that options read the same in both languages. */
const PYTHON_NAMES: Readonly<Record<string, keyof PyJsonOptions>> = {
  indent: "indent",
  sort_keys: "sortKeys",
  separators: "separators",
  ensure_ascii: "ensureAscii",
  allow_nan: "allowNan",
  sortKeys: "sortKeys",
  ensureAscii: "ensureAscii",
  allowNan: "allowNan",
};

/**
 * Writes JSON values as Python's `json.dump(value, f, **options)` does, byte for byte — with
 * Python's default separators (`[0, 1, 2]`) unless `indent` or `separators` say otherwise —
 * and reads them as Python's `json.load` does (`NaN`, `Infinity`, big integers exact).
 *
 * Writer options: `indent`, `sortKeys`, `separators`, `ensureAscii`, `allowNan` (Python's
 * snake_case names work too), and `marks`: where the value holds whole floats to write as
 * floats (`1.0`; see `FloatMarks`). A whole number is otherwise written as an integer, as
 * JavaScript has one number type. The reader option `marks: true` gives the value with its
 * marks (`{ value, marks }`, as `readPyJson` does), so that a value read from a file is
 * written again byte for byte. The handler records no runtime facts: JSON reads the same
 * everywhere.
 *
 * @example
 * ```ts
 * exp.logArtifact("features", ["a", "b"], "json", { indent: 4 });
 * const { value, marks } = await old.loadArtifact("config", { marks: true });
 * exp.logArtifact("config", value, "json", { marks }); // "lr": 1.0 stays 1.0
 * ```
 */
export class JsonHandler extends ArtifactHandler {
  readonly alias = "json";
  readonly suffix = "json";
  readonly binary = false;

  /** `json.dump(value, f, **options)`'s text; throws for unknown options and non-JSON values. */
  write(value: unknown, options: HandlerOptions): ArtifactData {
    const { marks, ...dumpOptions } = options;
    return dumpsPyJson(value, writerOptions(dumpOptions), checkMarks(marks));
  }

  /**
   * `json.load`'s value; with the reader option `marks: true`, `{ value, marks }` (the marks
   * of its whole floats). Throws for other reader options.
   */
  read(data: ArtifactData, options: HandlerOptions): unknown {
    const { marks, ...others } = options;
    const unknown = Object.keys(others);
    if (unknown.length > 0) {
      throw new TypeError(
        `unknown json reader option ${unknown.map((k) => `"${k}"`).join(", ")} (the json handler takes only marks: true)`,
      );
    }
    if (marks !== undefined && typeof marks !== "boolean") {
      throw new TypeError(`the json reader option "marks" must be true or false`);
    }
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    const read = readPyJson(text);
    return marks === true ? { value: read.value, marks: read.marks } : read.value;
  }
}

/** The writer option `marks`, checked: `undefined`, `true` or a mirror object. */
function checkMarks(marks: unknown): FloatMarks | undefined {
  if (marks === undefined || marks === true) return marks;
  if (typeof marks === "object" && marks !== null && !Array.isArray(marks)) {
    return marks as FloatMarks;
  }
  throw new TypeError(
    'the json writer option "marks" must be whole-float marks as readPyJson or loadArtifact(name, { marks: true }) gives them',
  );
}

function writerOptions(options: HandlerOptions): PyJsonOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const name = PYTHON_NAMES[key];
    if (name === undefined) {
      throw new TypeError(
        `unknown json writer option "${key}" (use indent, sortKeys, separators, ensureAscii, allowNan or marks)`,
      );
    }
    if (value !== undefined) out[name] = value;
  }
  return out as PyJsonOptions;
}
