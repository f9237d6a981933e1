import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dumpProjectRecord,
  type FloatMarks,
  MAX_NESTING,
} from "../../../src/format/pyjson/index.js";
import { layoutMarks } from "../../../src/format/pyjson/layoutMarks.js";
import { scan } from "../../../src/format/pyjson/scan.js";
import { markedRecord } from "./arbitraries.js";

/** What `scan` finds in a record's text: the reference `layoutMarks` must agree with. */
const scanned = (text: string) => scan(text, MAX_NESTING - 1).marks;

/** Keys that need no escape, so that every line of the record stays on the layout. */
const plainKey = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
const plain: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(0, 1, -0, 0.5, 1e16, 1.5e-7, 2 ** 53, 12, null, true, false, "a", 'q"', "é\\"),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(plainKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("layoutMarks: whole floats found line by line", () => {
  it("finds what scan finds in every record written in Python's layout, or gives up", () => {
    fc.assert(
      fc.property(markedRecord(6), ([value, marks]) => {
        const text = dumpProjectRecord(value as object, marks);
        const found = layoutMarks(text);
        if (found !== null) expect(found).toEqual(scanned(text));
        expect(scanned(text)).toEqual(marks);
      }),
      { numRuns: 1000 },
    );
  });

  it("does not give up on a record whose keys need no escape", () => {
    fc.assert(
      fc.property(fc.dictionary(plainKey, plain, { maxKeys: 6 }), (value) => {
        const text = dumpProjectRecord(value, everyWholeNumber(value));
        const found = layoutMarks(text);
        expect(found).not.toBeNull();
        expect(found).toEqual(scanned(text));
      }),
      { numRuns: 500 },
    );
  });

  it("gives up on any other layout, or finds what scan finds", () => {
    const layouts = [
      (v: unknown) => JSON.stringify(v),
      (v: unknown) => JSON.stringify(v, null, 4),
      (v: unknown) => JSON.stringify(v, null, 2),
      (v: unknown) => JSON.stringify(v, null, 4).replaceAll("\n", "\n    "),
      (v: unknown) => JSON.stringify(v, null, 4).replaceAll("\n", "\r\n    "),
    ];
    fc.assert(
      fc.property(
        fc.dictionary(plainKey, plain, { maxKeys: 6 }),
        fc.integer({ min: 0, max: layouts.length - 1 }),
        (value, layout) => {
          const text = (layouts[layout] as (v: unknown) => string)(value);
          const found = layoutMarks(text);
          if (found !== null) expect(found).toEqual(scanned(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("marks whole floats at every depth, and only them", () => {
    const text = [
      "{",
      '        "a": 1.0,',
      '        "b": [',
      "            2,",
      "            -0.0,",
      "            {",
      '                "c": 1e+16,',
      '                "d": 1.5e-07',
      "            },",
      "            [],",
      '            "x\\"1.0"',
      "        ],",
      '        "e": {},',
      '        "f": 100.000,',
      '        "g": -0',
      "    }",
    ].join("\n");
    expect(layoutMarks(text)).toEqual({ a: true, b: { 1: true, 2: { c: true } }, f: true });
    expect(layoutMarks(text)).toEqual(scanned(text));
  });

  it.each([
    ["keys out of order", '{\n        "b": 1.0,\n        "a": 2\n    }'],
    ["a repeated key", '{\n        "a": 1.0,\n        "a": 2\n    }'],
    ["a key that needs decoding", '{\n        "\\u00e9": 1.0\n    }'],
    ["two items on a line", '{\n        "a": [\n            1, 2.0\n        ]\n    }'],
    ["two members on a line", '{\n        "a": 1, "b": 2.0\n    }'],
    ["a string with more after it", '{\n        "a": "x", "b": 2.0\n    }'],
    ["other indentation", '{\n      "a": 1.0\n    }'],
    ["text after the record", '{\n        "a": 1.0\n    }\n'],
    ["a line break inside brackets", '{\n        "a": [1.0,\n        2]\n    }'],
  ])("gives up on %s", (_, text) => {
    expect(layoutMarks(text)).toBeNull();
  });
});

/** Marks that make every whole number of `value` a whole float (`1.0`), at every depth. */
function everyWholeNumber(value: unknown): FloatMarks | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? true : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  const node: Record<string, FloatMarks> = {};
  for (const [key, item] of Object.entries(value)) {
    const below = everyWholeNumber(item);
    if (below !== undefined) Object.defineProperty(node, key, { value: below, enumerable: true });
  }
  return Object.keys(node).length === 0 ? undefined : node;
}
