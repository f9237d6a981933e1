import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/errors.js";
import { parseProjectFile } from "../../../src/format/projectFile.js";
import {
  dumpPyJson,
  type FloatMarks,
  isMarkedFloat,
  MAX_NESTING,
  nestingDepth,
  PyJsonSyntaxError,
  readPyJson,
  withMark,
} from "../../../src/format/pyjson/index.js";
import { marked, wrap } from "./arbitraries.js";

/** The error `readPyJson(text)` throws. */
function refusal(text: string): PyJsonSyntaxError {
  try {
    readPyJson(text);
  } catch (error) {
    if (error instanceof PyJsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`readPyJson accepted ${JSON.stringify(text.slice(0, 80))}`);
}

describe("readPyJson: values", () => {
  it("reads integers beyond the safe range as exact bigints, and writes them back byte for byte", () => {
    for (const literal of ["9007199254740993", "12345678901234567890", "9007199254740992"]) {
      const text = `{\n    "seed": ${literal}\n}`;
      const { value, marks } = readPyJson<{ seed: unknown }>(text);
      expect(value.seed).toBe(BigInt(literal));
      expect(dumpPyJson(value, marks)).toBe(text);
    }
    expect(readPyJson("[9007199254740991, -9007199254740991]").value).toEqual([
      9007199254740991, -9007199254740991,
    ]);
    expect(readPyJson("-99999999999999999999").value).toBe(-99999999999999999999n);
  });

  it("reads NaN and the infinities outside strings, and -0 as Python's 0", () => {
    expect(readPyJson('[NaN, Infinity, -Infinity, "NaN", -0, "-0"]').value).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      "NaN",
      0,
      "-0",
    ]);
    expect(Object.is(readPyJson("[-0]").value, 0)).toBe(false);
    expect(Object.is((readPyJson("[-0]").value as number[])[0], 0)).toBe(true);
  });

  it("marks whole floats by path, beside the value, at every depth and at the top", () => {
    const text = '{"a": [1.0, 2, {"b": 0.0}], "c": 1e+16, "d": 1, "e": -0.0, "f": 0.5, "g": "1.0"}';
    const { value, marks } = readPyJson(text);
    expect(value).toEqual({ a: [1, 2, { b: 0 }], c: 1e16, d: 1, e: -0, f: 0.5, g: "1.0" });
    expect(marks).toEqual({ a: { 0: true, 2: { b: true } }, c: true, e: true });
    expect(readPyJson("1.0").marks).toBe(true);
    expect(readPyJson("[1, 2.5]").marks).toBeUndefined();
    expect(dumpPyJson(1, readPyJson("1.0").marks)).toBe("1.0");
  });

  it("gives marks that do not depend on the objects: a copy is written back the same", () => {
    const text = dumpPyJson({ m: { acc: 1, loss: 0.25, n: 3 }, xs: [0, 1] }, {
      m: { acc: true },
      xs: { 1: true },
    } as FloatMarks);
    expect(text).toBe(
      '{\n    "m": {\n        "acc": 1.0,\n        "loss": 0.25,\n        "n": 3\n    },\n    "xs": [\n        0,\n        1.0\n    ]\n}',
    );
    const { value, marks } = readPyJson(text);
    expect(dumpPyJson(structuredClone(value), marks)).toBe(text);
  });

  it("updates marks without touching the old ones", () => {
    const { marks } = readPyJson('{"m": {"a": 1.0, "b": 2.0}}');
    const changed = withMark(marks, ["m", "a"], false);
    expect(changed).toEqual({ m: { b: true } });
    expect(marks).toEqual({ m: { a: true, b: true } });
    expect(withMark(changed, ["m", "b"], false)).toBeUndefined();
    expect(isMarkedFloat(withMark(undefined, ["x", 0], true), ["x", 0])).toBe(true);
  });

  it("keeps the last of repeated keys, as Python does, with its own int or float", () => {
    expect(readPyJson('{"a": NaN, "a": 1}').value).toEqual({ a: 1 });
    expect(readPyJson('{"a": 1.0, "a": 1}').marks).toBeUndefined();
    expect(readPyJson('{"a": 1, "a": 1.0}').marks).toEqual({ a: true });
    expect(readPyJson('{"a": {"b": 1.0}, "a": {"c": 2}}').marks).toBeUndefined();
    expect(readPyJson('{"\\u0061": 1.0, "a": 1}').marks).toBeUndefined();
    expect(readPyJson('{"a": 1.0, "\\":": 2, "\\u0062": 3.0}').marks).toEqual({ a: true, b: true });
    const colons = ":".repeat(10_000);
    expect(readPyJson(`{"a": 1.0, "${colons}": 2, "b": "${colons}"}`).marks).toEqual({ a: true });
  });

  it("keeps __proto__ keys as plain data", () => {
    const { value, marks } = readPyJson('{"__proto__": {"polluted": 1.0}, "x": NaN}');
    expect(Object.keys(value as object)).toEqual(["__proto__", "x"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(isMarkedFloat(marks, ["__proto__", "polluted"])).toBe(true);
  });
});

describe("readPyJson: refusals name the place and the cause", () => {
  it.each([
    ["hello", "not JSON at line 1, column 1"],
    ["<html><body>", "not JSON at line 1, column 1"],
    ["\ufeff[]", "not JSON at line 1, column 1"],
    ["", "empty text, not JSON at line 1, column 1"],
    [
      "[1, 2",
      "the JSON ends too early, expected ',' or ']' (the file may be truncated) at line 1, column 6",
    ],
    [
      '[\n    {"a": "b\n',
      "character U+000A inside a string (JSON needs it escaped) at line 2, column 13",
    ],
    ['{"a" 1}', "unexpected '1': expected ':' after a key at line 1, column 6"],
    ['["a\\qb"]', "invalid escape '\\q' in a string at line 1, column 4"],
    [
      "[01]",
      "unexpected '1' (a malformed number): expected ',' or ']' after an array item at line 1, column 3",
    ],
    ["[1] x", "unexpected 'x': extra data after the JSON value at line 1, column 5"],
    ["[nan]", "unexpected 'n': expected a value at line 1, column 2"],
    [
      "[01234567890123456789]",
      "unexpected '1' (a malformed number): expected ',' or ']' after an array item at line 1, column 3",
    ],
    ["[NaN.5]", "unexpected '.': expected ',' or ']' after an array item at line 1, column 5"],
  ])("%j: %s", (text, message) => {
    expect(refusal(text).message).toBe(message);
  });

  it("counts columns in characters, as Python does", () => {
    const error = refusal('["😀😀", x]');
    expect([error.line, error.column, error.position]).toEqual([1, 8, 9]);
  });

  it("refuses a broken file full of escaped quotes at the string that never ends", () => {
    const text = `[NaN, 1.0, "${'\\"'.repeat(200_000)}`;
    const error = refusal(text);
    expect(error.reason).toBe("unterminated string starting here (the file may be truncated)");
    expect([error.line, error.column]).toEqual([1, 12]);
  });

  it("reads a string of 8.5 million characters beside NaN and whole floats", () => {
    const long = "x".repeat(8_500_000);
    const text = dumpPyJson({ big: long, nan: Number.NaN, one: 1 }, { one: true } as FloatMarks);
    const { value, marks } = readPyJson<Record<string, unknown>>(text);
    expect(value.big).toBe(long);
    expect(value.nan).toBeNaN();
    expect(marks).toEqual({ one: true });
  });
});

describe("the nesting limit", () => {
  const nested = (levels: number) => `${"[".repeat(levels)}1.0${"]".repeat(levels)}`;

  it(`reads ${MAX_NESTING} levels and refuses one more, at the bracket that goes too deep`, () => {
    expect(readPyJson(nested(MAX_NESTING)).marks).toBeDefined();
    const error = refusal(nested(MAX_NESTING + 1));
    expect(error.message).toBe(
      `nested deeper than 512 levels at line 1, column ${MAX_NESTING + 1}`,
    );
  });

  it("refuses a 10,000-deep file with an error naming the file, not a RangeError", () => {
    const error = (() => {
      try {
        parseProjectFile(nested(10_000), "deep/project.json");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      "deep/project.json: not valid JSON: nested deeper than 512 levels at line 1, column 513",
    );
  });

  it("is the writer's limit too: what is deeper is refused, naming its path", () => {
    const [value] = wrap([1, undefined], MAX_NESTING + 1);
    expect(() => dumpPyJson(value)).toThrow(
      'Cannot write the value at "0.k.0.k.0.k.0.k. … .0.k.0.k" (512 levels down): it is nested deeper than 512 levels, which Python\'s json and this reader do not read',
    );
    expect(nestingDepth(value)).toBe(MAX_NESTING + 1);
    expect(nestingDepth(wrap([1, undefined], 100_000)[0])).toBe(MAX_NESTING + 1);
  });
});

describe("write then read (property)", () => {
  it("gives back the same value and marks, and the same bytes again", () => {
    fc.assert(
      fc.property(marked, ([value, marks]) => {
        const text = dumpPyJson(value, marks);
        const back = readPyJson(text);
        expect(back.value).toEqual(value);
        expect(back.marks).toEqual(marks);
        expect(dumpPyJson(back.value, back.marks)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it("holds up to the nesting limit, and the writer refuses beyond it", () => {
    fc.assert(
      fc.property(marked, fc.integer({ min: 0, max: MAX_NESTING + 8 }), (inner, levels) => {
        const [value, marks] = wrap(inner, levels);
        if (nestingDepth(value) > MAX_NESTING) {
          expect(() => dumpPyJson(value, marks)).toThrow(RangeError);
          return;
        }
        const back = readPyJson(dumpPyJson(value, marks));
        expect(back.value).toEqual(value);
        expect(back.marks).toEqual(marks);
      }),
      { numRuns: 60 },
    );
  });
});

/** One random edit of a text: a character deleted, inserted or replaced, or a cut. */
const edit = fc.tuple(
  fc.nat(),
  fc.constantFrom("delete", "insert", "replace", "cut"),
  fc.constantFrom(...'"{}[],:\\ 0123456789.eE+-NaIx\n\u0000é'),
);

describe("corrupted files (property)", () => {
  it("are refused with a place inside the text, or read as a value that is a fixed point", () => {
    fc.assert(
      fc.property(marked, edit, ([value, marks], [at, kind, ch]) => {
        const text = dumpPyJson(value, marks);
        const i = at % (text.length + 1);
        const broken =
          kind === "delete"
            ? text.slice(0, i) + text.slice(i + 1)
            : kind === "insert"
              ? text.slice(0, i) + ch + text.slice(i)
              : kind === "replace"
                ? text.slice(0, i) + ch + text.slice(i + 1)
                : text.slice(0, i);
        let read: ReturnType<typeof readPyJson>;
        try {
          read = readPyJson(broken);
        } catch (error) {
          expect(error).toBeInstanceOf(PyJsonSyntaxError);
          const { position, line, column } = error as PyJsonSyntaxError;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(broken.length);
          expect(line).toBe(broken.slice(0, position).split("\n").length);
          expect(column).toBeGreaterThanOrEqual(1);
          return;
        }
        const again = dumpPyJson(read.value, read.marks);
        const reread = readPyJson(again);
        expect(reread.value).toEqual(read.value);
        expect(dumpPyJson(reread.value, reread.marks)).toBe(again);
      }),
      { numRuns: 600 },
    );
  });
});
