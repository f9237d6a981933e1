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
  readProjectRecords,
  splitProjectRecords,
} from "../../../src/format/pyjson/index.js";
import { marked } from "./arbitraries.js";

/** Records: objects of Python-shaped values, with their marks. */
const records = fc
  .array(
    fc.uniqueArray(fc.tuple(fc.string({ maxLength: 5 }), marked), {
      maxLength: 4,
      selector: (e) => e[0],
    }),
    { maxLength: 6 },
  )
  .map((list) => {
    const values = list.map((members) => Object.fromEntries(members.map(([k, v]) => [k, v[0]])));
    const marks = list.map((members) => {
      const kept = members.filter(([, v]) => v[1] !== undefined);
      return kept.length === 0
        ? undefined
        : (Object.fromEntries(kept.map(([k, v]) => [k, v[1]])) as FloatMarks);
    });
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

function texts(whole: string): string[] {
  return splitProjectRecords(whole) ?? [];
}

describe("project files record by record", () => {
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
