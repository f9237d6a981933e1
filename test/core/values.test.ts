import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/format/limits.js";
import { Experiment, Project, Repository, Test, ValidationError } from "../../src/index.js";
import { MAX_VALUE_DEPTH } from "../../src/model/values.js";

const PARAMETER =
  "(a parameter is JSON data: null, a boolean, a number, a string, or arrays and plain objects of those)";
const METRIC = "(a metric is a number, a string, a boolean, null, or a (nested) array of those)";

class Model {}

/** A value nested `depth` levels deep: `[[...[1]...]]`. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("refusals name the value, its kind in plain words and what is accepted", () => {
  it.each([
    ["an object", { a: 1 }],
    ["a function", () => 1],
    ["a Date (log its ISO string)", new Date(0)],
    ["a Map", new Map()],
    ["an instance of Model (only plain objects and arrays are JSON)", new Model()],
    ["undefined", undefined],
  ])("a metric that is %s", (kind, value) => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logMetric("m", value as never)).toThrow(ValidationError);
    expect(() => exp.logMetric("m", value as never)).toThrow(
      `cannot log metric "m": ${kind} cannot be stored ${METRIC}`,
    );
    expect(exp.metrics).toEqual({});
  });

  it.each([
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a Date (log its ISO string)", new Date(0)],
    ["a Set", new Set()],
  ])("a parameter that holds %s, with the path to it", (kind, value) => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logParameter("p", { grid: [1, value] })).toThrow(
      `cannot log parameter "p": ${kind} cannot be stored at grid.1 ${PARAMETER}`,
    );
  });

  it("a metric inside an array names the index", () => {
    const exp = new Experiment({ name: "x" });
    expect(() => exp.logMetric("losses", [0.5, { a: 1 }] as never)).toThrow(
      `cannot log metric "losses": an object cannot be stored at 1 ${METRIC}`,
    );
  });

  it("a test's refusals read the same", () => {
    const test = new Test({ name: "t" });
    expect(() => test.logMetric("m", { a: 1 } as never)).toThrow(
      `cannot log metric "m": an object cannot be stored ${METRIC}`,
    );
  });
});

describe("logging accepts what the file holds", () => {
  it("booleans and null as parameters and metrics, written and read back", async () => {
    const project = await Project.open("memory://values/scalars.json", { mode: "w" });
    project.log("x", (e) => {
      e.logParameter("flag", true)
        .logParameter("none", null)
        .logParameter("nested", { a: [false, null] });
      e.logMetric("converged", false)
        .logMetric("missing", null)
        .logMetric("series", [1, true, null]);
    });
    await project.save();
    const [reread] = (await Project.open("memory://values/scalars.json", { mode: "r" }))
      .experiments;
    expect(reread?.parameters).toEqual({ flag: true, none: null, nested: { a: [false, null] } });
    expect(reread?.metrics).toEqual({ converged: false, missing: null, series: [1, true, null] });
  });
});

describe("values deeper than the file's limit are refused at the call", () => {
  it("the limit leaves room for the levels a project file wraps a test's parameters in", () => {
    expect(MAX_JSON_DEPTH).toBe(512);
    expect(MAX_VALUE_DEPTH).toBe(507);
  });

  it("accepts a value exactly at the limit, and saves and reopens it", async () => {
    const project = await Project.open("memory://values/deep-ok.json", { mode: "w" });
    project.log("x", (e) => e.logTest("t", (t) => t.logParameter("deep", nested(MAX_VALUE_DEPTH))));
    await project.save();
    const reread = await Project.open("memory://values/deep-ok.json", { mode: "r" });
    expect(reread.experiments[0]?.tests[0]?.parameters.deep).toEqual(nested(MAX_VALUE_DEPTH));
  });

  it.each([MAX_VALUE_DEPTH + 1, 4_800, 100_000])(
    "refuses a parameter and a metric %i levels deep, naming them, with no RangeError",
    (depth) => {
      const exp = new Experiment({ name: "x" });
      const message = `the value nests more than ${MAX_VALUE_DEPTH} levels deep, more than a project file can hold and Python can read; flatten it or log it as an artifact`;
      expect(() => exp.logParameter("config", nested(depth))).toThrow(ValidationError);
      expect(() => exp.logParameter("config", nested(depth))).toThrow(
        `cannot log parameter "config": ${message}`,
      );
      expect(() => exp.logMetric("curve", nested(depth) as never)).toThrow(
        `cannot log metric "curve": ${message}`,
      );
      expect(exp.parameters).toEqual({});
    },
  );

  it("a poisoned experiment never blocks the others from saving", async () => {
    const fpath = "memory://values/poison.json";
    const project = await Project.open(fpath, { mode: "w" });
    project.log("good-1", (e) => e.logMetric("m", 1));
    expect(() => project.log("bad", (e) => e.logParameter("config", nested(5_000)))).toThrow(
      'cannot log parameter "config"',
    );
    project.log("caught", (e) => {
      expect(() => e.logParameter("config", nested(5_000))).toThrow(ValidationError);
      e.logMetric("m", 2);
    });
    project.log("good-2", (e) => e.logMetric("m", 3));
    await project.save();
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => [e.name, e.metrics.m, e.parameters])).toEqual([
      ["good-1", 1, {}],
      ["caught", 2, {}],
      ["good-2", 3, {}],
    ]);
  });
});

describe("console.log shows what was logged, not internals", () => {
  it("an experiment: name, slug, author, metrics, parameters, tags, tests, artifacts", () => {
    const exp = new Experiment({
      name: "Run",
      author: "alice",
      createdAt: new Date("2024-03-01T10:15:30Z"),
    });
    exp.logMetric("auroc", 0.9).logParameter("lr", 0.1).tag("baseline");
    exp.logTest("holdout", (t) => t.logMetric("auroc", 0.8));
    const text = inspect(exp, { depth: 4 });
    expect(text).toBe(
      [
        "Experiment {",
        "  name: 'Run',",
        "  slug: 'run-20240301101530',",
        "  author: 'alice',",
        "  createdAt: '2024-03-01T10:15:30',",
        "  metrics: { auroc: 0.9 },",
        "  parameters: { lr: 0.1 },",
        "  tags: [ 'baseline' ],",
        "  tests: [ 'holdout' ],",
        "  artifacts: [],",
        "  dependencies: [],",
        "  readOnly: false",
        "}",
      ].join("\n"),
    );
    expect(text).not.toMatch(/metricsData|sink|Subject/);
  });

  it("a test: name, description, metrics, parameters", () => {
    const test = new Test({ name: "holdout", description: "10% of rows" });
    test.logMetric("auroc", 0.8).logParameter("rows", 100);
    expect(inspect(test)).toBe(
      "Test {\n  name: 'holdout',\n  description: '10% of rows',\n  metrics: { auroc: 0.8 },\n  parameters: { rows: 100 }\n}",
    );
  });

  it("a project: its file, mode, author, size and experiments' slugs", async () => {
    const project = await Project.open("memory://values/inspect.json", {
      mode: "w",
      author: "alice",
    });
    project.log("Run", () => undefined);
    const slug = project.experiments[0]?.slug;
    expect(inspect(project)).toBe(
      `Project {\n  fpath: 'memory://values/inspect.json',\n  mode: 'w',\n  author: 'alice',\n  size: 1,\n  experiments: [ '${slug}' ]\n}`,
    );
  });

  it("a repository: its file, mode and versions", async () => {
    const repository = await Repository.open("memory://values/repo.json", { mode: "w" });
    repository.logArtifact("features", [1], "json");
    repository.logArtifact("features", [2], "json");
    expect(inspect(repository)).toBe(
      "Repository {\n  fpath: 'memory://values/repo.json',\n  mode: 'w',\n  artifacts: [ 'features v0', 'features v1' ]\n}",
    );
  });
});
