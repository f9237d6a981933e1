/**
 * The built-in `"json"` artifact handler: Python lazyscribe's `JSONArtifact`.
 *
 * @module
 */

import { dumpsPyJson, type PyJsonOptions, parsePyJson } from "../format/pyjson/index.js";
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
 * and reads them as Python's `json.load` does (`NaN`, `Infinity`, whole floats kept).
 *
 * Writer options: `indent`, `sortKeys`, `separators`, `ensureAscii`, `allowNan` (Python's
 * snake_case names work too). The handler records no runtime facts: JSON reads the same
 * everywhere.
 *
 * @example
 * ```ts
 * exp.logArtifact("features", ["a", "b"], "json", { indent: 4 });
 * ```
 */
export class JsonHandler extends ArtifactHandler {
  readonly alias = "json";
  readonly suffix = "json";
  readonly binary = false;

  /** `json.dump(value, f, **options)`'s text; throws for unknown options and non-JSON values. */
  write(value: unknown, options: HandlerOptions): ArtifactData {
    return dumpsPyJson(value, writerOptions(options));
  }

  /** `json.load`'s value; the handler takes no reader options. */
  read(data: ArtifactData, options: HandlerOptions): unknown {
    const unknown = Object.keys(options);
    if (unknown.length > 0) {
      throw new TypeError(`the json handler takes no reader options (got ${unknown.join(", ")})`);
    }
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    return parsePyJson(text);
  }
}

function writerOptions(options: HandlerOptions): PyJsonOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const name = PYTHON_NAMES[key];
    if (name === undefined) {
      throw new TypeError(
        `unknown json writer option "${key}" (use indent, sortKeys, separators, ensureAscii or allowNan)`,
      );
    }
    if (value !== undefined) out[name] = value;
  }
  return out as PyJsonOptions;
}
