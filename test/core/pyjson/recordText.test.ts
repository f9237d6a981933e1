import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumpRecordText, type FloatMarks } from "../../../src/format/pyjson/index.js";
import { fastRecordText } from "../../../src/format/pyjson/recordText.js";
import { type Marked, marked } from "./arbitraries.js";
import { referenceRecordText as reference } from "./referenceRecord.js";

/** Values the fast path must patch or refuse: placeholder look-alikes, odd numbers, unicode. */
const awkward = fc.constantFrom<Marked>(
  ["\u007f0", undefined],
  ["\u007f1", undefined],
  ["a\u007fb", undefined],
  ["5e-324", undefined],
  ["a5e-324", undefined],
  [5e-324, undefined],
  [-5e-324, undefined],
  ["café 日本", undefined],
  ["😀", undefined],
  ["\ud800", undefined],
  [1e-7, undefined],
  [5e-324, undefined],
  [1e16, undefined],
  [1e21, undefined],
  [-0, undefined],
  [Number.NaN, undefined],
  [Number.NEGATIVE_INFINITY, undefined],
  [2n ** 64n, undefined],
  [0.5, true],
  [[], undefined],
  [{}, undefined],
);

const key = fc.oneof(
  fc.string({ unit: "binary", maxLength: 5 }),
  fc.constantFrom(
    "__proto__",
    "toJSON",
    "0",
    "10",
    "é",
    "😀",
    "\u007f0",
    "a:b",
    "a,b",
    "z",
    "A",
    "5e-324",
  ),
);

/** A record (an object, its keys in random order) of Python-shaped values, with its marks. */
const record: fc.Arbitrary<Marked> = fc
  .uniqueArray(fc.tuple(key, fc.oneof({ weight: 3, arbitrary: marked }, awkward)), {
    maxLength: 8,
    selector: (e) => e[0],
  })
  .map((members): Marked => {
    const value = Object.fromEntries(members.map(([k, v]) => [k, v[0]]));
    const kept = members.filter(([, v]) => v[1] !== undefined);
    const marks =
      kept.length === 0
        ? undefined
        : (Object.fromEntries(kept.map(([k, v]) => [k, v[1]])) as FloatMarks);
    return [value, marks];
  });

describe("one record's text (dumpRecordText)", () => {
  it("gives the reference writer's bytes, through the engine for most records (property)", () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(record, ([value, marks]) => {
        runs++;
        const expected = reference(value as object, marks);
        const quick = fastRecordText(value as object, marks);
        if (quick !== undefined) {
          fast++;
          expect(quick).toBe(expected);
        }
        expect(dumpRecordText(value as object, marks)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    // The property must exercise the fast path, not only the fallback.
    expect(fast).toBeGreaterThan(runs / 10);
  });

  it("gives the reference writer's bytes for records whose keys are already sorted (property)", () => {
    /** The value with every object's keys inserted in sorted order, as `toRecord` gives them. */
    const sortedDeep = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortedDeep);
      if (value === null || typeof value !== "object") return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        Object.defineProperty(out, key, {
          value: sortedDeep((value as Record<string, unknown>)[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    };
    let fast = 0;
    fc.assert(
      fc.property(record, ([value, marks]) => {
        const sorted = sortedDeep(value) as object;
        const expected = reference(sorted, marks);
        const quick = fastRecordText(sorted, marks);
        if (quick !== undefined) {
          fast++;
          expect(quick).toBe(expected);
        }
        expect(dumpRecordText(sorted, marks)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    expect(fast).toBeGreaterThan(100);
  });

  it("writes marked whole floats at every depth, sorted keys and escapes at the file's nesting", () => {
    const value = {
      z: [1, { b: 2, a: 0 }],
      m: { x: 1e16, y: 1e-7, w: -0 },
      é: "日本",
      a: 12345678901234567890n,
      n: Number.NaN,
    };
    const marks: FloatMarks = { z: { 0: true, 1: { a: true } }, m: { x: true } };
    expect(fastRecordText(value, marks)).toBe(
      [
        "{",
        '        "a": 12345678901234567890,',
        '        "m": {',
        '            "w": -0.0,',
        '            "x": 1e+16,',
        '            "y": 1e-07',
        "        },",
        '        "n": NaN,',
        '        "z": [',
        "            1.0,",
        "            {",
        '                "a": 0.0,',
        '                "b": 2',
        "            }",
        "        ],",
        '        "\\u00e9": "\\u65e5\\u672c"',
        "    }",
      ].join("\n"),
    );
  });

  it("keeps a record's own placeholder look-alikes, through the reference writer", () => {
    const marks: FloatMarks = { b: true };
    for (const [value, text] of [
      [{ a: "5e-324", b: 1 }, '"5e-324"'],
      [{ a: "x5e-324", b: 1, c: 5e-324 }, '"x5e-324"'],
      [{ "5e-324": 2, b: 1 }, null],
    ] as const) {
      expect(fastRecordText(value, marks)).toBeUndefined();
      expect(dumpRecordText(value, marks)).toBe(reference(value, marks));
      if (text !== null) expect(dumpRecordText(value, marks)).toContain(text);
    }
    // The placeholder's own number is written as Python writes it.
    expect(fastRecordText({ a: 5e-324, b: -5e-324 }, undefined)).toBe(
      '{\n        "a": 5e-324,\n        "b": -5e-324\n    }',
    );
  });

  it("escapes a record's own DEL as Python does, on the fast path", () => {
    const value = { a: "\u007f0", b: 1 };
    const marks: FloatMarks = { b: true };
    const expected = '{\n        "a": "\\u007f0",\n        "b": 1.0\n    }';
    expect(fastRecordText(value, marks)).toBe(expected);
    expect(reference(value, marks)).toBe(expected);
  });

  it("leaves keys that are array indices, __proto__ keys and deep nesting to the reference writer", () => {
    expect(fastRecordText({ b: 1, 10: 2, 9: 3 }, undefined)).toBeUndefined();
    expect(dumpRecordText({ b: 1, 10: 2, 9: 3 }, undefined)).toBe(
      '{\n        "10": 2,\n        "9": 3,\n        "b": 1\n    }',
    );
    const proto = JSON.parse('{"z": 1, "__proto__": {"a": 1}}') as object;
    expect(dumpRecordText(proto, JSON.parse('{"__proto__": {"a": true}}') as FloatMarks)).toBe(
      '{\n        "__proto__": {\n            "a": 1.0\n        },\n        "z": 1\n    }',
    );
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(fastRecordText({ deep }, undefined)).toBeUndefined();
    expect(dumpRecordText({ deep }, undefined)).toBe(reference({ deep }, undefined));
  });

  it("leaves an array with its own toJSON to the reference writer, which calls it", () => {
    const list = Object.assign([1, 2], { toJSON: () => "as text" });
    expect(fastRecordText({ a: list }, undefined)).toBeUndefined();
    expect(dumpRecordText({ a: list }, undefined)).toBe('{\n        "a": "as text"\n    }');
  });

  it("refuses what is not JSON data as the reference writer does, naming the path", () => {
    expect(() => dumpRecordText({ a: { b: undefined } }, undefined)).toThrow(
      /Cannot write undefined at .*0.*a.*b/,
    );
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => dumpRecordText(circular, undefined)).toThrow(/Circular reference/);
  });
});
