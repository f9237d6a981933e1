import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumpsPyJsonFast } from "../../../src/format/pyjson/dumpsFast.js";
import {
  dumpsPyJson,
  dumpsPyJsonSlowly,
  MAX_NESTING,
  type PyJsonOptions,
  readPyJson,
} from "../../../src/format/pyjson/index.js";
import { marked } from "./arbitraries.js";

/** Strings that stress the writers: separators and quotes inside, escapes, non-ASCII, NUL. */
const tricky = fc.constantFrom(
  "a,b",
  "k:v",
  '"',
  '\\",',
  "\\",
  "\n\t\u0001",
  "\u007f",
  "é",
  "\u2028",
  "😀",
  "\ud800",
  "\udfff",
  "\uffff",
  "a\u0000b",
  "\u00001",
);

const key = fc.oneof(
  fc.string({ unit: "binary", maxLength: 4 }),
  tricky,
  fc.constantFrom("__proto__", "0", "9", "10", "01", "-1", "4294967294", "4294967295", "toJSON"),
);

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(-0, 1e-5, 1e16, 1e21, 2 ** 53 + 2, 0.5, 3),
    fc.string({ unit: "binary" }),
    tricky,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  ),
})).value;

const separators = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<[string, string]>([",", ":"], [", ", ": "], [",", ": "], [" , ", " : "]),
  fc.tuple(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
);

const options: fc.Arbitrary<PyJsonOptions> = fc.record(
  {
    indent: fc.oneof(
      fc.constant(null),
      fc.integer({ min: -2, max: 12 }),
      fc.constantFrom(2.5, "\t", "", "--", "0123456789", "0123456789a"),
      fc.string({ maxLength: 11 }),
    ),
    sortKeys: fc.boolean(),
    ensureAscii: fc.boolean(),
    allowNan: fc.boolean(),
    separators,
  },
  { requiredKeys: [] },
);

/** What `f` returns, or the error it throws (class and message). */
function outcome(f: () => string): string {
  try {
    return f();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe("dumpsPyJson's fast path", () => {
  it("gives the reference writer's bytes for every option combination it serves", () => {
    fc.assert(
      fc.property(json, options, (value, opts) => {
        const reference = outcome(() => dumpsPyJsonSlowly(value, opts));
        const fast = dumpsPyJsonFast(value, opts);
        if (fast !== undefined) expect(fast).toBe(reference);
        expect(outcome(() => dumpsPyJson(value, opts))).toBe(reference);
      }),
      { numRuns: 3000 },
    );
  });

  it("gives the reference writer's bytes for whole floats read from a file", () => {
    fc.assert(
      fc.property(json, options, (value, opts) => {
        const { value: reread, marks } = readPyJson(dumpsPyJsonSlowly(value));
        const fast = dumpsPyJsonFast(reread, opts, marks);
        if (fast !== undefined) expect(fast).toBe(dumpsPyJsonSlowly(reread, opts, marks));
      }),
      { numRuns: 1000 },
    );
  });

  it("serves Python's usual options", () => {
    const value = { b: [1, 2.5, "x, y: z"], a: { é: null, n: 1e-7 } };
    for (const opts of [
      {},
      { indent: 4 },
      { indent: 2, sortKeys: true },
      { indent: "\t", ensureAscii: false },
      { separators: [",", ":"] as const },
      { separators: [", ", ": "] as const, sortKeys: true },
      { indent: null, allowNan: false },
    ]) {
      expect(dumpsPyJsonFast(value, opts)).toBe(dumpsPyJsonSlowly(value, opts));
    }
    expect(dumpsPyJson(value)).toBe(
      '{"b": [1, 2.5, "x, y: z"], "a": {"\\u00e9": null, "n": 1e-07}}',
    );
  });

  it("leaves to the reference writer what the engine cannot lay out", () => {
    const value = { a: [1] };
    expect(dumpsPyJsonFast(value, { indent: 0 })).toBeUndefined();
    expect(dumpsPyJsonFast(value, { indent: 11 })).toBeUndefined();
    expect(dumpsPyJsonFast(value, { indent: 2, separators: [", ", ": "] })).toBeUndefined();
    expect(dumpsPyJsonFast({ 10: 1, 9: 2 }, { sortKeys: true })).toBeUndefined();
    expect(dumpsPyJsonFast([Number.NaN], { allowNan: false })).toBeUndefined();
    expect(dumpsPyJsonFast(["a\u0000"], {})).toBe('["a\\u0000"]');
    expect(dumpsPyJsonFast({ "k\u007f": 1 }, {})).toBeUndefined();
    expect(dumpsPyJsonFast([new Map()], {})).toBeUndefined();
    expect(dumpsPyJson({ 10: 1, 9: 2 }, { sortKeys: true })).toBe('{"10": 1, "9": 2}');
    expect(dumpsPyJson(value, { indent: 0 })).toBe('{\n"a": [\n1\n]\n}');
  });

  it("leaves circular values and values at the nesting limit to the reference writer", () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(dumpsPyJsonFast(cycle, {})).toBeUndefined();
    expect(() => dumpsPyJson(cycle)).toThrow(/Circular reference detected at "0"/);
    const nest = (levels: number): unknown => {
      let deep: unknown = 1;
      for (let i = 0; i < levels; i++) deep = [deep];
      return deep;
    };
    expect(dumpsPyJsonFast(nest(MAX_NESTING), {})).toBe(
      `${"[".repeat(MAX_NESTING)}1${"]".repeat(MAX_NESTING)}`,
    );
    expect(dumpsPyJsonFast(nest(MAX_NESTING + 1), {})).toBeUndefined();
    expect(() => dumpsPyJson(nest(MAX_NESTING + 1))).toThrow(
      'Cannot write the value at "0.0.0.0.0.0.0.0. … .0.0.0.0" (512 levels down): it is nested deeper than 512 levels',
    );
  });
});

describe("both writers with marks and big integers", () => {
  it("give the same bytes for every option combination", () => {
    fc.assert(
      fc.property(marked, options, ([value, marks], opts) => {
        const reference = outcome(() => dumpsPyJsonSlowly(value, opts, marks));
        const fast = dumpsPyJsonFast(value, opts, marks);
        if (fast !== undefined) expect(fast).toBe(reference);
        expect(outcome(() => dumpsPyJson(value, opts, marks))).toBe(reference);
      }),
      { numRuns: 1500 },
    );
  });

  it("write a bigint as its integer literal, and a marked number as a float", () => {
    const value = { big: -(2n ** 70n), one: 1, list: [2, 3] };
    const marks = { one: true, list: { 1: true } } as const;
    expect(dumpsPyJson(value, {}, marks)).toBe(
      '{"big": -1180591620717411303424, "one": 1.0, "list": [2, 3.0]}',
    );
    expect(dumpsPyJsonSlowly(value, { separators: [",", ":"] }, marks)).toBe(
      '{"big":-1180591620717411303424,"one":1.0,"list":[2,3.0]}',
    );
  });
});
