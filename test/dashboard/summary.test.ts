import { describe, expect, it } from "vitest";

const MODULE = new URL("../../src/dashboard/assets/js/summary.js", import.meta.url).href;
type Row = Record<string, unknown> & {
  metrics: Record<string, unknown>;
  parameters: Record<string, unknown>;
};
const { expandRows, metricKeys, parameterKeys } = (await import(MODULE)) as {
  expandRows(rows: unknown[], names: unknown): Row[];
  metricKeys(record: object): string[];
  parameterKeys(record: object): string[];
};

const NAMES = { metrics: ["auroc", "loss", "curve"], parameters: ["lr", "depth"] };
const ROW = [
  "run-20240101000000",
  "run",
  "Run",
  "ada",
  "bob",
  "2024-01-01T00:00:00",
  "2024-01-02T00:00:00",
  ["a"],
  1,
  2,
  [1, 0.5, 0, "NaN"],
  [2],
  [1, 3, 0, null],
];

describe("the page's summary rows", () => {
  it("are the compact rows' fields, metrics and parameters by name, in the rows' order", () => {
    const [row] = expandRows([ROW], NAMES);
    expect({ ...row, metrics: row?.metrics, parameters: row?.parameters }).toEqual({
      slug: "run-20240101000000",
      short_slug: "run",
      name: "Run",
      author: "ada",
      last_updated_by: "bob",
      created_at: "2024-01-01T00:00:00",
      last_updated: "2024-01-02T00:00:00",
      tags: ["a"],
      tests: 1,
      artifacts: 2,
      metrics: { loss: 0.5, auroc: "NaN" },
      other_metrics: ["curve"],
      parameters: { depth: 3, lr: null },
    });
    expect(Object.keys(row?.metrics ?? {})).toEqual(["loss", "auroc"]);
  });

  it("name their metrics and parameters without making them, and keep what is written to them", () => {
    const [row] = expandRows([ROW], NAMES) as [Row];
    expect(metricKeys(row)).toEqual(["loss", "auroc"]);
    expect(parameterKeys(row)).toEqual(["depth", "lr"]);
    expect(Object.hasOwn(row, "metrics")).toBe(false);
    row.parameters.seed = 7; // a parameter logged live
    row.parameters.depth = 4;
    expect(row.parameters).toEqual({ depth: 4, lr: null, seed: 7 });
    expect(parameterKeys(row)).toEqual(["depth", "lr", "seed"]);
    row.metrics = { f1: 1 };
    expect(metricKeys(row)).toEqual(["f1"]);
    expect(metricKeys({ metrics: { a: 1, b: 2 } })).toEqual(["a", "b"]);
    expect(parameterKeys({})).toEqual([]);
  });
});
