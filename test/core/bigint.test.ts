import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/cli/csv.js";
import { formatValue, jsonText } from "../../src/cli/format.js";
import { listJson, listTable, selectRecords } from "../../src/cli/list.js";
import { summaries } from "../../src/cli/records.js";
import { Experiment, Project } from "../../src/index.js";
import { experimentsEqual, pyEqual } from "../../src/project/equality.js";

/** Integers beyond Number.MAX_SAFE_INTEGER, as the Python-JSON reader gives them. */
const BIG = 12345678901234567890n;
const TWO_53_PLUS_1 = 2n ** 53n + 1n;
// The record types (src/format/schemas.ts) do not list bigint yet: the values go through `unknown`.
const big = <T>(value: unknown) => value as T;

async function projectWithBigInts(): Promise<Project> {
  const project = await Project.open("memory://bigint/project.json", { mode: "w", author: "a" });
  project.log("huge", (exp) => {
    exp.logMetric("count", big(BIG));
    exp.logMetric("curve", big([1, TWO_53_PLUS_1, [-BIG, "x"]]));
    exp.logParameter("seed", { nested: [TWO_53_PLUS_1, { deeper: -BIG }] });
    exp.logTest("slice", (test) => {
      test.logMetric("n", big(TWO_53_PLUS_1));
      test.logParameter("limit", BIG);
    });
  });
  project.log("small", (exp) => {
    exp.logMetric("count", 3);
    exp.logMetric("curve", [0.5]);
  });
  return project;
}

describe("bigint values (integers beyond 2**53)", () => {
  it("are accepted wherever a number is, at every depth, and kept exactly", async () => {
    const project = await projectWithBigInts();
    const [huge] = [...project];
    expect(huge?.metrics).toEqual({ count: BIG, curve: [1, TWO_53_PLUS_1, [-BIG, "x"]] });
    expect(huge?.parameters).toEqual({ seed: { nested: [TWO_53_PLUS_1, { deeper: -BIG }] } });
    expect(huge?.tests[0]?.metrics).toEqual({ n: TWO_53_PLUS_1 });
    expect(huge?.tests[0]?.parameters).toEqual({ limit: BIG });
  });

  it("still refuses what JSON cannot hold, naming the path", async () => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logParameter("p", { a: [BIG, Symbol("s")] })).toThrow(/at a\.1/);
    expect(() => exp.logMetric("m", big([BIG, {}]))).toThrow(/metric "m"/);
  });

  it("go through toTabular and filter", async () => {
    const project = await projectWithBigInts();
    const { experiments, tests } = project.toTabular();
    expect(experiments[0]?.["metrics.count"]).toBe(BIG);
    expect(experiments[0]?.["parameters.seed"]).toBeUndefined();
    expect(tests[0]).toMatchObject({ "metrics.n": TWO_53_PLUS_1, "parameters.limit": BIG });
    const found = project.filter((e) => (e.metrics.count as unknown as bigint) > 2n ** 60n);
    expect(found.map((e) => e.name)).toEqual(["huge"]);
  });

  it("sort exactly against numbers in `lazyscribe list --sort`", async () => {
    const project = await projectWithBigInts();
    const records = summaries(project);
    const byCount = (desc: boolean) =>
      selectRecords(records, { sort: "count", desc }).map((r) => r.name);
    expect(byCount(false)).toEqual(["small", "huge"]);
    expect(byCount(true)).toEqual(["huge", "small"]);
    // The last value of a list metric: 2**53 + 1 against 0.5.
    const byCurve = selectRecords(records, { sort: "curve" }).map((r) => r.name);
    expect(byCurve).toEqual(["small", "huge"]);
  });

  it("are printed in full by the tables, CSV and JSON of the CLI", async () => {
    const project = await projectWithBigInts();
    const records = summaries(project);
    expect(listTable(records)).toContain("12345678901234567890");
    expect(formatValue(big([1, TWO_53_PLUS_1]), true)).toBe("[1, 9007199254740993]");
    expect(listJson(records)).toContain('"count": 12345678901234567890');
    expect(jsonText({ a: [-BIG, Number.NaN, "bigint-x:1"] })).toBe(
      '{"a":[-12345678901234567890,"NaN","bigint-x:1"]}',
    );
    expect(toCsv([{ n: BIG, l: [BIG] }])).toBe(
      "n,l\r\n12345678901234567890,[12345678901234567890]\r\n",
    );
  });

  it("compare as Python compares them in merge (2**53 == 9007199254740992.0)", () => {
    expect(pyEqual({ a: [2n ** 53n] }, { a: [2 ** 53] })).toBe(true);
    expect(pyEqual(TWO_53_PLUS_1, 2 ** 53 + 1)).toBe(false);
    expect(pyEqual(1n, true)).toBe(true);
    const created = new Date("2024-01-01T00:00:00Z");
    const a = new Experiment({ name: "e", createdAt: created, metrics: big({ m: 2n ** 53n }) });
    const b = new Experiment({ name: "e", createdAt: created, metrics: { m: 2 ** 53 } });
    const c = new Experiment({ name: "e", createdAt: created, metrics: big({ m: TWO_53_PLUS_1 }) });
    expect(experimentsEqual(a, b)).toBe(true);
    expect(experimentsEqual(a, c)).toBe(false);
  });
});
