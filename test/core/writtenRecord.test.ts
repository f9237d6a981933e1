/**
 * The fast path of reading records (`writtenRecord`) against the schema it stands for: on
 * records in the form lazyscribe writes and on every kind of damage to them, it either
 * declines (the schema then decides) or gives exactly the schema's output.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NESTING, needsExactRead } from "../../src/format/pyjson/index.js";
import { StoredExperimentSchema } from "../../src/format/schemas.js";
import { vouchedWrittenRecord, writtenRecord } from "../../src/format/writtenRecord.js";

const timestamp = fc
  .date({
    min: new Date(Date.UTC(1, 0, 1)),
    max: new Date(Date.UTC(9999, 11, 31)),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 19));
const anyJson = fc.jsonValue();
/** Keys as files hold them; an own `__proto__` key is left to the schema (declined). */
const key = fc.string().filter((k) => k !== "__proto__");
const metricValue = fc.oneof(fc.double(), fc.string(), fc.boolean(), fc.constant(null));
const artifact = fc.record(
  {
    name: fc.string(),
    fname: fc.string(),
    handler: fc.constantFrom("json", "pickle", "v8"),
    created_at: timestamp,
    version: fc.nat(),
    expiry: fc.option(timestamp, { nil: null }),
    extra_fact: anyJson,
  },
  { requiredKeys: ["name", "fname", "handler", "created_at"] },
);
const test = fc.record({
  name: fc.string({ minLength: 1 }),
  description: fc.option(fc.string(), { nil: null }),
  metrics: fc.dictionary(key, metricValue),
  parameters: fc.dictionary(key, anyJson),
  artifacts: fc.array(artifact, { maxLength: 2 }),
});
const record = fc.record({
  name: fc.string({ minLength: 1 }),
  author: fc.string(),
  last_updated_by: fc.string(),
  metrics: fc.dictionary(key, metricValue),
  parameters: fc.dictionary(key, anyJson),
  created_at: timestamp,
  last_updated: timestamp,
  dependencies: fc.array(
    fc
      .tuple(fc.string(), fc.string({ minLength: 1 }))
      .map(([p, s]) => `${p.replace(/\|/g, "")}|${s.replace(/\|/g, "") || "x"}`),
    { maxLength: 2 },
  ),
  short_slug: fc.string(),
  slug: fc.string(),
  tests: fc.array(test, { maxLength: 2 }),
  artifacts: fc.array(artifact, { maxLength: 2 }),
  tags: fc.array(fc.string(), { maxLength: 3 }),
  unknown_key: anyJson,
});

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [
    [...prefix, k],
    ...paths((value as Record<string, unknown>)[k], [...prefix, k]),
  ]);
}

/** The value at `path` inside `value`. */
function getAt(value: unknown, path: (string | number)[]): unknown {
  let at = value;
  for (const key of path) at = (at as Record<string | number, unknown>)[key];
  return at;
}

/** `value` with the value at `path` replaced (or deleted, for `undefined`). */
function damaged(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let holder = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined && !Array.isArray(holder)) delete holder[last];
  else holder[last] = replacement;
  return copy;
}

const replacement = fc.oneof(
  fc.constant(undefined),
  anyJson,
  fc.constantFrom(
    "",
    "2024-02-30T00:00:00",
    "2024-03-01T10:15:30Z",
    "2024-03-01 10:15:30",
    "x|",
    "a|b",
    -1,
    1.5,
    2 ** 60,
    Number.NaN,
    -0,
    2 ** 53,
    -(2 ** 53),
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    1e300,
    [-0],
    { deep: nested(MAX_NESTING) },
    nested(MAX_NESTING - 8),
  ),
);

/** An array nested `depth` levels deep around `0`. */
function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/**
 * The vouch is the fast path and the reader's walk at once: it gives `writtenRecord`'s
 * output exactly when the reader would keep `JSON.parse`'s reading (`needsExactRead`).
 */
function expectVouchAsReaderAndFastPath(value: unknown): void {
  const expected = needsExactRead(value, MAX_NESTING - 1) ? undefined : writtenRecord(value);
  expect(vouchedWrittenRecord(value)).toEqual(expected);
}

function expectSameAsSchema(value: unknown): void {
  expectVouchAsReaderAndFastPath(value);
  const fast = writtenRecord(value);
  if (fast === undefined) return;
  const parsed = StoredExperimentSchema.safeParse(value);
  expect(parsed.success).toBe(true);
  expect(fast).toEqual(parsed.data);
}

describe("the fast path of reading records", () => {
  it("takes every record in the form lazyscribe writes, as the schema reads it (property)", () => {
    fc.assert(
      fc.property(record, (value) => {
        expect(writtenRecord(value)).toBeDefined();
        expectSameAsSchema(value);
        const plain = JSON.parse(JSON.stringify(value));
        if (!needsExactRead(plain, MAX_NESTING - 1)) {
          expect(vouchedWrittenRecord(plain)).toEqual(writtenRecord(plain));
          expect(vouchedWrittenRecord(plain)).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("declines or agrees with the schema on any damage to such a record (property)", () => {
    fc.assert(
      fc.property(record, fc.nat(), replacement, (value, pick, by) => {
        const all = paths(value);
        const path = all[pick % all.length] as (string | number)[];
        expectSameAsSchema(damaged(value, path, by));
      }),
      { numRuns: 2000 },
    );
  });

  it("declines records the schema must complete, and those with an own __proto__ key", () => {
    const base = fc.sample(record, { numRuns: 1, seed: 7 })[0] as Record<string, unknown>;
    expect(writtenRecord({ ...base, last_updated_by: undefined })).toBeUndefined();
    expectSameAsSchema({ ...base, created_at: "2024-03-01T10:15:30Z" });
    expect(
      writtenRecord(JSON.parse(`{"__proto__": 1, ${JSON.stringify(base).slice(1)}`)),
    ).toBeUndefined();
    const { tests: _, ...withoutTests } = base;
    expect(writtenRecord(withoutTests)).toBeUndefined();
  });

  it("vouches for no record holding a number Python reads otherwise, at any place", () => {
    const base = {
      name: "Exp",
      author: "a",
      last_updated_by: "a",
      metrics: { m: 0.5, l: [1, [2.5, -3]] },
      parameters: { p: { q: [1, { r: -7 }] }, s: "x" },
      created_at: "2024-03-01T10:15:30",
      last_updated: "2024-03-01T10:15:30",
      dependencies: ["up.json|x"],
      short_slug: "exp",
      slug: "exp-20240301101530",
      tags: ["t"],
    };
    const test = {
      name: "t",
      description: null,
      metrics: { m: 1 },
      parameters: { p: { q: [1] } },
      artifacts: [
        {
          name: "a",
          fname: "a.json",
          handler: "json",
          created_at: "2024-03-01T10:15:30",
          version: 0,
        },
      ],
      note: 1,
    };
    const clean = { ...base, unknown_key: 1, tests: [test], artifacts: test.artifacts };
    expect(vouchedWrittenRecord(clean)).toEqual(writtenRecord(clean));
    expect(vouchedWrittenRecord(clean)).toBeDefined();
    for (const path of paths(clean).filter((p) => typeof getAt(clean, p) === "number")) {
      for (const bad of [-0, 2 ** 53, -(2 ** 53), 1e16]) {
        const value = damaged(clean, path, bad);
        if (!path.includes("version")) expect(writtenRecord(value)).toBeDefined();
        expect(vouchedWrittenRecord(value), `${path.join(".")} = ${bad}`).toBeUndefined();
      }
    }
  });
});
