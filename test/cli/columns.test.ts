import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  columnHeaders,
  columnNames,
  defaultColumns,
  differingParameters,
  type ListedExperiment,
  parseColumns,
} from "../../src/cli/columns.js";

const record = (
  parameters: Record<string, unknown>,
  metrics: Record<string, number> = {},
): ListedExperiment => ({
  name: "e",
  slug: "e-20240101000000",
  short_slug: "e",
  author: "a",
  created_at: "2024-01-01T00:00:00",
  last_updated: "2024-01-01T00:00:00",
  tags: [],
  metrics,
  parameters,
});

describe("list columns", () => {
  it("splits --columns values on commas, trimming blanks, across repeats", () => {
    expect(columnNames(["lr, batch_size,", " auroc", ""])).toEqual(["lr", "batch_size", "auroc"]);
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(fc.array(name, { minLength: 1 })), (groups) => {
        expect(columnNames(groups.map((g) => g.join(",")))).toEqual(groups.flat());
      }),
    );
  });

  it("finds the parameters whose value or presence differs, in first-seen order", () => {
    const records = [
      record({ lr: 0.1, bs: 32, grid: [1, 2], seed: 1 }),
      record({ lr: 0.2, bs: 32, grid: [1, 2] }),
      record({ bs: 32, lr: 0.2, grid: [1, 3], seed: 1 }),
    ];
    expect(differingParameters(records)).toEqual(["lr", "grid", "seed"]);
    expect(differingParameters([record({ lr: 0.1 })])).toEqual([]);
  });

  it("compares values, not their text: NaN is NaN, object keys in any order, null is not missing", () => {
    const records = [
      record({ nan: Number.NaN, grid: { a: [1, 2], b: 2 }, seed: null, list: [1, [2]] }),
      record({ nan: Number.NaN, grid: { b: 2, a: [1, 2] }, list: [1, [2]] }),
    ];
    expect(differingParameters(records)).toEqual(["seed"]);
    expect(differingParameters([record({ l: [1, 2] }), record({ l: [1, 2, 3] })])).toEqual(["l"]);
    expect(differingParameters([record({ o: { a: 1 } }), record({ o: [1] })])).toEqual(["o"]);
    expect(differingParameters([record({ o: { a: 1 } }), record({ o: { a: 1, b: 1 } })])).toEqual([
      "o",
    ]);
  });

  it("resolves bare names to the metric or parameter, and prefixed names to what they say", () => {
    const records = [record({ lr: 0.1, k: 1 }, { auroc: 0.9, k: 2 })];
    expect(
      parseColumns(["auroc", "lr", "params.k", "metrics.k", "parameters.lr"], records),
    ).toEqual([
      { source: "metrics", name: "auroc" },
      { source: "params", name: "lr" },
      { source: "params", name: "k" },
      { source: "metrics", name: "k" },
      { source: "params", name: "lr" },
    ]);
    expect(columnHeaders(parseColumns(["auroc", "params.k", "metrics.k"], records))).toEqual([
      "auroc",
      "params.k",
      "metrics.k",
    ]);
  });

  it("keeps every metric and fits the differing parameters, in order, into the budget", () => {
    const records = [
      record({ a: 1, long_parameter: "x", b: 2 }, { m: 0.5 }),
      record({ a: 2, long_parameter: "y", b: 3 }, { m: 0.6 }),
    ];
    // m takes 2 + 3; a takes 2 + 1; long_parameter 2 + 14: b stays out with it, in order.
    expect(defaultColumns(records, 12)).toEqual({
      columns: [
        { source: "params", name: "a" },
        { source: "metrics", name: "m" },
      ],
      hidden: ["long_parameter", "b"],
    });
    expect(defaultColumns(records, undefined).columns.map((c) => c.name)).toEqual([
      "a",
      "long_parameter",
      "b",
      "m",
    ]);
  });
});
