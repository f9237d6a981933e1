import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dumpMetricHistory,
  dumpMetricValue,
  MetricSeriesSchema,
  parseMetricHistory,
} from "../../src/format/metricHistoryFile.js";
import { dumpsPyJson, type MetricValue, parsePyJson, ValidationError } from "../../src/index.js";

const metricValue: fc.Arbitrary<MetricValue> = fc.oneof(
  fc.double(),
  fc.double({ min: 1e-5, max: 1e17 }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e-4, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e16, -1e-4, 0.1 + 0.2),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.double(), { maxLength: 3 }),
);

describe("the metric history file", () => {
  it("writes each value as the general Python writer does (json.dumps)", () => {
    fc.assert(
      fc.property(metricValue, (value) => {
        expect(dumpMetricValue(value)).toBe(dumpsPyJson(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("is json.dump of the columns, and reads back as written", () => {
    const time = fc.option(fc.nat(), { nil: null });
    const columns = fc.array(fc.tuple(fc.nat(), metricValue, time), { maxLength: 8 });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), columns), (metrics) => {
        const series = Object.entries(metrics).map(
          ([name, points]) =>
            [
              name,
              {
                step: points.map((p) => p[0]),
                value: points.map((p) => p[1]),
                time: points.map((p) => p[2]),
              },
            ] as const,
        );
        const text = dumpMetricHistory(series);
        const asObject: Record<string, unknown> = {};
        for (const [name, c] of series) {
          Object.defineProperty(asObject, name, { value: c, enumerable: true });
        }
        expect(text).toBe(dumpsPyJson(asObject));
        const read = parseMetricHistory(parsePyJson(text), "the file");
        expect(Object.entries(read)).toEqual(series.map(([n, c]) => [n, c]));
      }),
      { numRuns: 300 },
    );
  });

  it("accepts exactly the series the schema accepts, and gives what the schema gives", () => {
    const number = fc.oneof(
      fc.integer({ min: -2, max: 5 }),
      fc.double(),
      fc.constant(2 ** 53),
      fc.constant(null),
      fc.string(),
    );
    const column = (item: fc.Arbitrary<unknown>) => fc.array(item, { maxLength: 3 });
    const series = fc.oneof(
      fc.record({ step: column(number), value: column(fc.anything()), time: column(number) }),
      fc.record({ step: column(fc.nat()), value: column(metricValue), time: column(fc.nat()) }),
      fc.anything(),
    );
    fc.assert(
      fc.property(series, (candidate) => {
        const bySchema = MetricSeriesSchema.safeParse(candidate);
        let read: unknown;
        try {
          read = parseMetricHistory({ m: candidate }, "the file").m;
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect(bySchema.success).toBe(false);
          return;
        }
        expect(bySchema.success).toBe(true);
        expect(read).toEqual(bySchema.data);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps a metric named __proto__ as data", () => {
    const read = parseMetricHistory(
      parsePyJson('{"__proto__": {"step": [0], "value": [1], "time": [null]}}'),
      "the file",
    );
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.entries(read)).toEqual([["__proto__", { step: [0], value: [1], time: [null] }]]);
  });

  it("refuses columns of different lengths", () => {
    expect(() =>
      parseMetricHistory({ loss: { step: [0, 1], value: [1], time: [0, 0] } }, "the file"),
    ).toThrow(
      /the file is not a metric history \(step, value and time must have the same length\)/,
    );
  });
});
