import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  childMarks,
  dumpProjectRecord,
  dumpPyJson,
  type FloatMarks,
  joinProjectRecords,
  MAX_NESTING,
  needsExactRead,
  PyJsonSyntaxError,
  readProjectRecord,
  readProjectRecords,
  readPyJson,
  splitProjectRecords,
} from "../../../src/format/pyjson/index.js";
import { markedRecord } from "./arbitraries.js";

/** Records: objects of Python-shaped values, with their marks. */
const records = fc.array(markedRecord(4), { maxLength: 6 }).map((list) => {
  const values = list.map(([value]) => value as object);
  const marks = list.map(([, m]) => m);
  const all = marks.some((m) => m !== undefined)
    ? (Object.fromEntries(
        marks.flatMap((m, i) => (m === undefined ? [] : [[String(i), m]])),
      ) as FloatMarks)
    : undefined;
  return { values, marks, all };
});

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether every number in `value` is a finite double (the promise of `plain`). */
function onlyFiniteNumbers(value: unknown): boolean {
  if (typeof value === "bigint") return false;
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value !== "object") return true;
  return Object.values(value).every(onlyFiniteNumbers);
}

function texts(whole: string): string[] {
  return splitProjectRecords(whole) ?? [];
}

/** Number literals around the places where `JSON.parse` and Python may read differently. */
const literal = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.integer({ min: 1, max: 25 }))
    .chain(([negative, digits]) =>
      fc
        .stringMatching(new RegExp(`^[1-9][0-9]{${digits - 1}}$`))
        .map((d) => (negative ? `-${d}` : d)),
    ),
  fc.constantFrom(
    "0",
    "-0",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740993",
    "9999999999999999",
    "-0.0",
    "-0e3",
    "0.0",
    "1e+16",
    "2e16",
    "9007199254740993.0",
    "12345678901234567890e-3",
    "1e400",
    "-1e400",
    "1e-400",
    "-1e-400",
    "-0.00000000000000000000000001",
    "0.30000000000000004",
    "NaN",
    '"12345678901234567890"',
    '"-0"',
    '"a 12345678901234567890 b"',
    '"\\\\12345678901234567890"',
    '"\\u12345678901234567890"',
    '"\\u0000int0:0"',
    '"\\u0000\\u0069nt0:0"',
    '"\\u0000int1:0"',
    '"\\u0000int0:7"',
    '{"12345678901234567890": -0, "-0": [12345678901234567890]}',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
);

describe("project files record by record", () => {
  it("reads a record's numbers as readPyJson does, on the fast path or not (property)", () => {
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 6 }), (literals) => {
        const items = literals.map((l) => `\n            ${l}`).join(",");
        const last = literals[literals.length - 1];
        const text = `{\n        "a": [${items}\n        ],\n        "b": ${literals[0]},\n        "__proto__": ${last}\n    }`;
        const exact = readPyJson(text, { maxNesting: MAX_NESTING - 1 });
        const read = readProjectRecord(text);
        expect(read.value).toEqual(exact.value);
        expect(read.marks).toEqual(exact.marks);
        if (read.plain) expect(onlyFiniteNumbers(read.value)).toBe(true);
      }),
      { numRuns: 500 },
    );
    const deep = `{"a": ${"[".repeat(MAX_NESTING)}1e+16${"]".repeat(MAX_NESTING)}}`;
    expect(() => readProjectRecord(deep)).toThrow(PyJsonSyntaxError);
  });

  it("assembles from per-record texts the bytes of writing the whole list (property)", () => {
    fc.assert(
      fc.property(records, ({ values, marks, all }) => {
        const whole = dumpPyJson(values, all);
        const texts = values.map((v, i) => dumpProjectRecord(v, marks[i]));
        expect(joinProjectRecords(texts)).toBe(whole);
        expect(splitProjectRecords(whole)).toEqual(texts);
        const read = readProjectRecords(whole);
        expect(read?.map((r) => r.text)).toEqual(texts);
        expect(read?.map((r) => r.value)).toEqual(values);
        expect(read?.map((r) => r.marks)).toEqual(marks);
      }),
      { numRuns: 300 },
    );
  });

  it("reads the same with a vouch, and keeps what it vouched for each record (property)", () => {
    fc.assert(
      fc.property(records, ({ values }) => {
        const whole = dumpPyJson(values);
        const asked: unknown[] = [];
        const vouch = (value: unknown) => {
          asked.push(value);
          return needsExactRead(value, MAX_NESTING - 1) ? undefined : { value };
        };
        const plain = readProjectRecords(whole);
        const vouched = readProjectRecords(whole, vouch);
        expect(vouched?.map(({ text, value, marks }) => ({ text, value, marks }))).toEqual(
          plain?.map(({ text, value, marks }) => ({ text, value, marks })),
        );
        for (const read of vouched ?? []) {
          const parsed = parseOrUndefined(read.text as string);
          const vouchable = parsed !== undefined && !needsExactRead(parsed, MAX_NESTING - 1);
          expect(read.vouched !== undefined).toBe(vouchable);
          if (read.vouched !== undefined) expect(read.vouched.value).toBe(read.value);
        }
        expect(asked).toHaveLength(
          texts(whole).filter((t) => parseOrUndefined(t) !== undefined).length,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("splits Python's layout at each record, an empty record included", () => {
    const text =
      '[\n    {\n        "a": 1.0\n    },\n    {},\n    {\n        "b": [\n            2\n        ]\n    }\n]';
    expect(splitProjectRecords(text)).toEqual([
      '{\n        "a": 1.0\n    }',
      "{}",
      '{\n        "b": [\n            2\n        ]\n    }',
    ]);
    expect(splitProjectRecords("[]")).toEqual([]);
    expect(readProjectRecords(text)?.[0]?.marks).toEqual({ a: true });
  });

  it("reads other layouts as a whole, without record texts", () => {
    const compact = '[{"a": 1.0}, {"b": NaN}]';
    expect(splitProjectRecords(compact)).toBeUndefined();
    const read = readProjectRecords(compact);
    expect(read?.map((r) => r.text)).toEqual([undefined, undefined]);
    expect(read?.map((r) => r.value)).toEqual([{ a: 1 }, { b: Number.NaN }]);
    expect(read?.map((r) => r.marks)).toEqual([{ a: true }, undefined]);
    expect(childMarks({ 1: { x: true } }, 1)).toEqual({ x: true });
  });

  it("falls back to the whole text when a record closes at the records' indentation inside", () => {
    // Valid JSON whose nested object closes at four spaces: the split pieces do not read.
    const odd = '[\n    {"a": {\n    }, "b": 1.0\n    }\n]';
    const read = readProjectRecords(odd);
    expect(read?.map((r) => r.value)).toEqual([{ a: {}, b: 1 }]);
    expect(read?.map((r) => r.marks)).toEqual([{ b: true }]);
  });

  it("says when the top level is not a list, and reports errors in the whole text", () => {
    expect(readProjectRecords('{"a": 1}')).toBeUndefined();
    const broken = '[\n    {\n        "a": 1,\n    }\n]';
    const error = (() => {
      try {
        readProjectRecords(broken);
      } catch (e) {
        return e as PyJsonSyntaxError;
      }
    })();
    expect(error).toBeInstanceOf(PyJsonSyntaxError);
    expect([error?.line, error?.column]).toEqual([4, 5]);
  });
});
