import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dumpPyJson, PyJsonSyntaxError, readPyJson } from "../../../src/format/pyjson/index.js";

/**
 * The corpus of `scripts/generate-pyjson-differential.py`: texts (Python's output in several
 * layouts, hand-written edge cases, random corruptions) with what Python's `json.loads` made
 * of each.
 */
interface Case {
  readonly text: string;
  readonly python: string | null;
  readonly error: { readonly msg: string; readonly line: number; readonly column: number } | null;
}

const cases = JSON.parse(
  readFileSync(new URL("../../fixtures/pyjson/differential.json", import.meta.url), "utf8"),
) as Case[];
const accepted = cases.filter((c) => c.error === null);
const refused = cases.filter((c) => c.error !== null);

describe("readPyJson against Python's json.loads", () => {
  it("has a corpus with both outcomes", () => {
    expect(accepted.length).toBeGreaterThan(500);
    expect(refused.length).toBeGreaterThan(500);
  });

  it("reads what Python reads, to the same value, ints, floats and big integers included", () => {
    for (const c of accepted) {
      const { value, marks } = readPyJson(c.text);
      expect({ text: c.text, written: dumpPyJson(value, marks) }).toEqual({
        text: c.text,
        written: c.python,
      });
    }
  });

  it("refuses what Python refuses, at the line and column Python names", () => {
    for (const c of refused) {
      let error: unknown;
      try {
        readPyJson(c.text);
      } catch (e) {
        error = e;
      }
      expect(error, c.text).toBeInstanceOf(PyJsonSyntaxError);
      const { line, column } = error as PyJsonSyntaxError;
      expect({ text: c.text, line, column }).toEqual({
        text: c.text,
        line: c.error?.line,
        column: c.error?.column,
      });
    }
  });
});
