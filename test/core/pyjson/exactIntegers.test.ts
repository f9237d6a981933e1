/**
 * The integer literals `JSON.parse` reads otherwise than Python, found in a record's text and
 * put back as Python reads them, on the fast path of reading records.
 */
import { describe, expect, it } from "vitest";
import {
  holdsInexactInteger,
  withExactIntegers,
} from "../../../src/format/pyjson/exactIntegers.js";

describe("integer literals JSON.parse reads otherwise than Python", () => {
  it("are found where a number starts, not in floats nor in words of strings", () => {
    expect(holdsInexactInteger('{"a": 12345678901234567890}')).toBe(true);
    expect(holdsInexactInteger('{"a": [1,-12345678901234567890]}')).toBe(true);
    expect(holdsInexactInteger('{"a":\n-0}')).toBe(true);
    expect(holdsInexactInteger("-0")).toBe(true);
    expect(holdsInexactInteger('{"a": 1e+16, "b": -0.0, "c": 0.30000000000000004}')).toBe(false);
    expect(holdsInexactInteger('{"a": 12345678901234567.0, "b": 12345678901234567e2}')).toBe(false);
    expect(holdsInexactInteger('{"tags": ["group-0", "value-0", "id1234567890123456789"]}')).toBe(
      false,
    );
    expect(holdsInexactInteger('{"a": 123456789012345, "b": 0, "c": -1}')).toBe(false);
  });

  it("are put back as Python reads them, beside strings that hold such words", () => {
    const text =
      '{\n    "tags": ["group-0", "a -0"],\n    "seed": 9223372036854775808,\n    "ints": [-0, 1000000000000000, -9007199254740993],\n    "__proto__": 12345678901234567890\n}';
    const value = withExactIntegers(text) as Record<string, unknown>;
    expect(value).toBeUndefined();
    const clean = text.replace('"a -0"', '"a"');
    const read = withExactIntegers(clean) as Record<string, unknown>;
    expect(read.seed).toBe(9223372036854775808n);
    expect(read.ints).toEqual([0, 1000000000000000, -9007199254740993n]);
    expect(Object.is((read.ints as number[])[0], 0)).toBe(true);
    expect(read.tags).toEqual(["group-0", "a"]);
    expect(Object.hasOwn(read, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(read, "__proto__")?.value).toBe(12345678901234567890n);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
  });

  it("decline text whose strings read as the sentinels, however they are escaped", () => {
    expect(withExactIntegers('{"a": 12345678901234567890, "b": "\\u0000\\u0069nt0:0"}')).toBe(
      undefined,
    );
    expect(withExactIntegers('{"a": 12345678901234567890, "b": "\\u0000int0:0"}')).toEqual({
      a: 12345678901234567890n,
      b: "\u0000int0:0",
    });
  });
});
