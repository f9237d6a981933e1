import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ARTIFACT_KEYS,
  EXPERIMENT_KEYS,
  isJsonValue,
  isMetricValue,
  JsonValueSchema,
  MetricValueSchema,
  TEST_KEYS,
} from "../../src/format/schemas.js";
import {
  Experiment,
  ExperimentRecordSchema,
  Project,
  parseProjectFile,
  serializeProjectFile,
} from "../../src/index.js";
import { MemoryStorage } from "../../src/storage/memory.js";

/** Values of every kind: JSON data, and what is not (undefined, functions, dates, instances...). */
const anyValue = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
});
const jsonLike = fc
  .jsonValue()
  .chain((v) => fc.oneof(fc.constant(v), fc.constant([v, Number.NaN, -Infinity, 2n ** 64n])));

/** Whether `value` holds an own `"__proto__"` key at any depth (zod 4's records skip it). */
function holdsProtoKey(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  if (Object.hasOwn(value, "__proto__")) return true;
  return Object.values(value).some((v) => holdsProtoKey(v, seen));
}

describe("the hot-path checks give the schemas' verdict", () => {
  it("isJsonValue accepts exactly what JsonValueSchema accepts", () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, jsonLike), (value) => {
        fc.pre(!holdsProtoKey(value));
        expect(isJsonValue(value)).toBe(JsonValueSchema.safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
  });

  it("judges the value under an own __proto__ key, which zod 4's records skip", () => {
    const value = JSON.parse('{"__proto__": 1}') as Record<string, unknown>;
    expect(isJsonValue(value)).toBe(true);
    Object.defineProperty(value, "__proto__", { value: new Number(0), enumerable: true });
    // zod drops the key and accepts; the hot path (what logging and loading use) refuses.
    expect(JsonValueSchema.safeParse(value).success).toBe(true);
    expect(isJsonValue(value)).toBe(false);
    expect(() => new Experiment({ name: "x" }).logParameter("p", value)).toThrow(
      'cannot log parameter "p": a Number cannot be stored at __proto__',
    );
  });

  it("isMetricValue accepts exactly what MetricValueSchema accepts", () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, jsonLike), (value) => {
        expect(isMetricValue(value)).toBe(MetricValueSchema.safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the key lists come from the schemas", () => {
  it("name the keys lazyscribe writes, in the records it writes", () => {
    expect([...EXPERIMENT_KEYS].sort()).toEqual(
      Object.keys(new Experiment({ name: "x" }).toJSON()).sort(),
    );
    expect([...TEST_KEYS].sort()).toEqual([
      "artifacts",
      "description",
      "metrics",
      "name",
      "parameters",
    ]);
    expect([...ARTIFACT_KEYS].sort()).toEqual([
      "created_at",
      "expiry",
      "fname",
      "handler",
      "name",
      "version",
    ]);
  });

  it("a record an experiment writes passes the schema of written records", () => {
    const exp = new Experiment({ name: "x", author: "a" });
    exp.logMetric("m", [1, Number.NaN]);
    exp.logParameter("p", { nested: [null, true] });
    exp.logTest("t", (t) => t.logMetric("tm", 1));
    expect(ExperimentRecordSchema.safeDecode(exp.toJSON()).success).toBe(true);
  });

  it("reads a file record with Python's defaults, decoded timestamps and unknown keys kept", () => {
    const text = JSON.stringify([
      {
        name: "x",
        author: "a",
        created_at: "2024-01-01T00:00:00",
        last_updated: "2024-01-01T00:00:00",
        metrics: { m: [1, 2] },
        parameters: { p: { q: 1 } },
        future: { kept: true },
      },
    ]);
    const [record] = parseProjectFile(text, "x.json");
    expect(record?.metrics).toEqual({ m: [1, 2] });
    expect(record?.future).toEqual({ kept: true });
    expect(record?.tags).toEqual([]);
    expect(record?.created_at.text).toBe("2024-01-01T00:00:00");
  });
});

describe("zod's output keeps what the file held", () => {
  it("whole floats of metrics and of artifact records' unknown keys survive a w+ save", async () => {
    MemoryStorage.clear();
    const artifact =
      '{"created_at": "2024-01-01T00:00:00", "fname": "a.json", "handler": "json", "name": "a", "score": 2.0}';
    const text = `[{"artifacts": [${artifact}], "author": "a", "created_at": "2024-01-01T00:00:00", "dependencies": [], "last_updated": "2024-01-01T00:00:00", "last_updated_by": "a", "metrics": {"m": 1.0}, "name": "x", "parameters": {"p": [0.0, 1]}, "short_slug": "x", "slug": "x-20240101000000", "tags": [], "tests": [{"artifacts": [], "description": null, "metrics": {}, "name": "t", "parameters": {}}]}]`;
    const file = serializeProjectFile(JSON.parse(text) as object[]).replace(
      /"(score|m)": (\d+)(,?)$/gm,
      '"$1": $2.0$3',
    );
    expect(file).toContain('"m": 1.0');
    expect(file).toContain('"score": 2.0');
    await new MemoryStorage().write("marks/project.json", file);
    const project = await Project.open("memory://marks/project.json", { mode: "w+" });
    await project.save();
    const saved = new TextDecoder().decode(await new MemoryStorage().read("marks/project.json"));
    expect(saved).toBe(file);
  });
});
