import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dumpPyJson,
  dumpsPyJsonSlowly,
  isMarkedFloat,
  parsePyJson,
  pyFloatRepr,
  readPyJson,
} from "../../../src/format/pyjson/index.js";

const dumpPyJsonSlowly = (v: unknown) => dumpsPyJsonSlowly(v, { indent: 4, sortKeys: true });

describe("pyFloatRepr", () => {
  it.each([
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [1.5e-7, "1.5e-07"],
    [1e16, "1e+16"],
    [1e21, "1e+21"],
    [123456789012345.6, "123456789012345.6"],
    [3, "3.0"],
    [-0, "-0.0"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
  ])("writes %s as Python's repr %s", (value, text) => {
    expect(pyFloatRepr(value)).toBe(text);
  });
});

describe("dumpPyJson", () => {
  it("writes Python's indent=4, sort_keys=True layout", () => {
    expect(dumpPyJson({ b: [1, 2], a: {}, c: [], d: { z: null, y: true } })).toBe(
      '{\n    "a": {},\n    "b": [\n        1,\n        2\n    ],\n    "c": [],\n    "d": {\n        "y": true,\n        "z": null\n    }\n}',
    );
  });

  it("escapes non-ASCII as \\uXXXX with surrogate pairs, and DEL and control characters", () => {
    expect(dumpPyJson(['é 日本 😀 \u007f \u0001 "q" \\ \n\t'])).toBe(
      '[\n    "\\u00e9 \\u65e5\\u672c \\ud83d\\ude00 \\u007f \\u0001 \\"q\\" \\\\ \\n\\t"\n]',
    );
  });

  it("sorts keys by code point, as Python does", () => {
    const text = dumpPyJson({ "\uffff": 1, "😀": 2, b: 3, B: 4 });
    expect(text).toBe('{\n    "B": 4,\n    "b": 3,\n    "\\uffff": 1,\n    "\\ud83d\\ude00": 2\n}');
  });

  it("writes whole numbers as integers unless their marks say they were read as floats", () => {
    const { value, marks } = readPyJson('{"f": 1.0, "i": 1, "big": 1e+16, "list": [2.0, 2]}');
    expect(value).toEqual({ f: 1, i: 1, big: 1e16, list: [2, 2] });
    expect(isMarkedFloat(marks, ["f"])).toBe(true);
    expect(isMarkedFloat(marks, ["i"])).toBe(false);
    expect(dumpPyJson(value, marks)).toBe(
      '{\n    "big": 1e+16,\n    "f": 1.0,\n    "i": 1,\n    "list": [\n        2.0,\n        2\n    ]\n}',
    );
    // The value alone, or a copy of it, carries no marks: its whole numbers are integers
    // (1e16 is beyond 2**53 and always written as a float).
    expect(dumpPyJson(structuredClone(value))).toBe(
      '{\n    "big": 1e+16,\n    "f": 1,\n    "i": 1,\n    "list": [\n        2,\n        2\n    ]\n}',
    );
    expect(dumpPyJson(structuredClone(value), marks)).toBe(dumpPyJson(value, marks));
  });

  it("refuses values that are not JSON, naming where they are", () => {
    expect(() => dumpPyJson({ a: [1, undefined] })).toThrow('Cannot write undefined at "a.1"');
    expect(() => dumpPyJson({ f: () => 1 })).toThrow('Cannot write a function at "f"');
  });
});

describe("parsePyJson", () => {
  it("reads NaN, Infinity and -Infinity outside strings only", () => {
    const value = parsePyJson('[NaN, Infinity, -Infinity, "NaN", "1.0", 0.05]');
    expect(value).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      "NaN",
      "1.0",
      0.05,
    ]);
  });

  it("keeps __proto__ keys as plain data", () => {
    const value = parsePyJson('{"__proto__": {"polluted": 1}, "x": NaN}') as Record<
      string,
      unknown
    >;
    expect(Object.keys(value)).toEqual(["__proto__", "x"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("throws on invalid JSON", () => {
    expect(() => parsePyJson("[1, 2")).toThrow(SyntaxError);
    expect(() => parsePyJson("[nan]")).toThrow(SyntaxError);
  });
});

const pyDouble = fc.double();
const jsonWithFloats = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    pyDouble,
    fc.integer(),
    fc.string({ unit: "binary" }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: "binary" }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("write-then-read (property)", () => {
  it("reads back every value it writes, and writes the same bytes again", () => {
    fc.assert(
      fc.property(jsonWithFloats, (value) => {
        const text = dumpPyJson(value);
        const back = parsePyJson(text);
        expect(back).toEqual(value);
        expect(dumpPyJson(back)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("writes only printable ASCII", () => {
    fc.assert(
      fc.property(jsonWithFloats, (value) => {
        expect(dumpPyJson(value)).toMatch(/^[\x20-\x7e\n]*$/);
      }),
    );
  });
});

describe("the fast writer", () => {
  it("gives the same bytes as the reference writer", () => {
    const keyish = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom("0", "10", "9", "__proto__", "a\u0000b"),
    );
    const value = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.integer(),
        fc.constantFrom(1e16, 2 ** 53 + 2, -0, 1e-5, 1e21),
        fc.string({ unit: "binary" }),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(keyish, tie("value"), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(value, (v) => {
        expect(dumpPyJson(v)).toBe(dumpPyJsonSlowly(v));
        const reread = parsePyJson(dumpPyJson(v));
        expect(dumpPyJson(reread)).toBe(dumpPyJsonSlowly(reread));
      }),
      { numRuns: 1000 },
    );
  });
});
