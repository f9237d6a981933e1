import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  defaultAuthor,
  Experiment,
  ReadOnlyError,
  Test,
  ValidationError,
} from "../../src/index.js";

const T0 = new Date("2022-01-01T09:30:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Experiment", () => {
  it("derives slugs, path and defaults as Python does", () => {
    const exp = new Experiment({
      name: "My experiment",
      project: "/data/project.json",
      author: "root",
    });
    expect(exp.shortSlug).toBe("my-experiment");
    expect(exp.slug).toBe("my-experiment-20220101093000");
    expect(exp.path).toBe("/data/my-experiment-20220101093000");
    expect(exp.lastUpdatedBy).toBe("root");
    expect(exp.dirty).toBe(true);
    expect(new Experiment({ name: "x" }).author).toBe(defaultAuthor());
  });

  it("logs metrics and parameters and gives Python's record", () => {
    const exp = new Experiment({ name: "My experiment", project: "project.json", author: "root" });
    vi.setSystemTime(new Date("2022-01-01T10:00:00Z"));
    exp.logMetric("name", 0.5);
    exp.logMetric("name", 0.6);
    exp.logParameter("features", ["col1", "col2"]);
    exp.logParameter("nested", { a: { b: null } });
    expect(exp.toJSON()).toEqual({
      name: "My experiment",
      author: "root",
      last_updated_by: "root",
      metrics: { name: 0.6 },
      parameters: { features: ["col1", "col2"], nested: { a: { b: null } } },
      created_at: "2022-01-01T09:30:00",
      last_updated: "2022-01-01T10:00:00",
      dependencies: [],
      short_slug: "my-experiment",
      slug: "my-experiment-20220101093000",
      tests: [],
      // Logged twice: the metric has a history, saved as the "metric-history" artifact.
      artifacts: [
        {
          name: "metric-history",
          fname: "metric-history.json",
          handler: "json",
          created_at: "2022-01-01T10:00:00",
          expiry: null,
          version: 0,
        },
      ],
      tags: [],
    });
  });

  it("hands out records as copies: changing one changes nothing, and it does not drift", () => {
    const exp = new Experiment({ name: "x" });
    exp.logMetric("losses", [0.9, 0.5]);
    const record = exp.toJSON();
    (record.metrics.losses as number[]).push(0.1);
    record.tags.push("mine");
    expect(exp.metrics.losses).toEqual([0.9, 0.5]);
    expect(exp.tags).toEqual([]);
    exp.logMetric("losses", [0.1]);
    expect(record.metrics.losses).toEqual([0.9, 0.5, 0.1]);
    expect(exp.toJSON().metrics.losses).toEqual([0.1]);
  });

  it("adds tags, or replaces them with overwrite", () => {
    const exp = new Experiment({ name: "x" });
    exp.tag("a");
    exp.tag(["b", "c"]);
    expect(exp.tags).toEqual(["a", "b", "c"]);
    exp.tag("d", { overwrite: true });
    expect(exp.tags).toEqual(["d"]);
  });

  it("adds a test only when its body finishes", async () => {
    const exp = new Experiment({ name: "x" });
    const test = exp.logTest(
      "My test",
      (t) => t.logMetric("name-subpop", 0.3).logParameter("param", "value"),
      {
        description: "a subpopulation",
      },
    );
    expect(() =>
      exp.logTest("Failing", () => {
        throw new Error("nope");
      }),
    ).toThrow("nope");
    await expect(
      exp.logTest("Failing async", async () => {
        throw new Error("nope");
      }),
    ).rejects.toThrow("nope");
    const asyncTest = await exp.logTest("Async", async (t) => {
      t.logMetric("m", 1);
    });
    expect(exp.tests).toEqual([test, asyncTest]);
    expect(test.toJSON()).toEqual({
      name: "My test",
      description: "a subpopulation",
      metrics: { "name-subpop": 0.3 },
      parameters: { param: "value" },
      artifacts: [],
    });
  });

  it("copies logged values, so later changes to the caller's objects are not logged", () => {
    const exp = new Experiment({ name: "x" });
    const losses = [0.9, 0.5];
    const grid = { depth: [3, 5] };
    exp.logMetric("losses", losses);
    exp.logParameter("grid", grid);
    losses.push(0.1);
    grid.depth.push(7);
    expect(exp.metrics.losses).toEqual([0.9, 0.5]);
    expect(exp.parameters.grid).toEqual({ depth: [3, 5] });
  });

  it.each([
    ["undefined", undefined],
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a Date", new Date()],
    ["a Map", new Map()],
  ])("refuses %s as a parameter, naming it, and changes nothing", (_label, value) => {
    const exp = new Experiment({ name: "x" });
    const before = exp.lastUpdated;
    vi.setSystemTime(new Date("2022-01-02T00:00:00Z"));
    expect(() => exp.logParameter("bad", value)).toThrow(ValidationError);
    expect(() => exp.logParameter("bad", value)).toThrow('parameter "bad"');
    expect(() => exp.logParameter("nested", { deep: [1, value] })).toThrow("at deep.1");
    expect(exp.parameters).toEqual({});
    expect(exp.lastUpdated).toEqual(before);
  });

  it("refuses a cycle", () => {
    const exp = new Experiment({ name: "x" });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => exp.logParameter("c", cyclic)).toThrow(
      'cannot log parameter "c": the value contains a cycle at self',
    );
    const list: unknown[] = [1];
    list.push(list);
    expect(() => exp.logMetric("l", list as number[])).toThrow(
      'metric "l": the value contains a cycle',
    );
  });

  it("accepts as metrics what a file holds: numbers, NaN, infinities, strings, booleans, null and arrays", () => {
    const exp = new Experiment({ name: "x" });
    exp
      .logMetric("nan", Number.NaN)
      .logMetric("inf", Number.POSITIVE_INFINITY)
      .logMetric("s", "10M")
      .logMetric("b", true)
      .logMetric("n", null);
    exp.logMetric("series", [1, "2", [3, false, null]]);
    expect(exp.metrics).toEqual({
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      s: "10M",
      b: true,
      n: null,
      series: [1, "2", [3, false, null]],
    });
    expect(() => exp.logMetric("u", [1, undefined] as never)).toThrow("at 1");
  });

  it("keeps __proto__ and constructor keys as plain data", () => {
    const exp = new Experiment({ name: "x" });
    const payload = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"bad": 1}}}',
    );
    exp.logParameter("__proto__", payload);
    exp.logParameter("constructor", 1);
    exp.logMetric("__proto__", 2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(exp.parameters)).toBe(Object.prototype);
    expect(Object.keys(exp.parameters)).toEqual(["__proto__", "constructor"]);
    const stored = Object.getOwnPropertyDescriptor(exp.parameters, "__proto__")?.value as object;
    expect(Object.keys(stored)).toEqual(["__proto__", "constructor"]);
    expect(exp.toJSON().metrics).toEqual(JSON.parse('{"__proto__": 2}'));
  });

  it("writes a dependency as <upstream project>|<upstream slug>", () => {
    const upstream = new Experiment({
      name: "My experiment",
      project: "other-project.json",
      author: "root",
    });
    const exp = new Experiment({
      name: "My downstream experiment",
      project: "project.json",
      author: "root",
    });
    exp.addDependency(upstream);
    expect(exp.toJSON().dependencies).toEqual(["other-project.json|my-experiment-20220101093000"]);
    expect(exp.dependencies).toEqual({ "my-experiment": upstream });
    expect(() => exp.addDependency(new Experiment({ name: "Loose" }))).toThrow(
      "must be a non-empty path or registry key",
    );
  });

  it("orders as Python: same slug by last_updated, otherwise by created_at", () => {
    const a = new Experiment({ name: "a", createdAt: new Date("2022-01-01T00:00:00Z") });
    const b = new Experiment({ name: "b", createdAt: new Date("2022-01-02T00:00:00Z") });
    const a2 = new Experiment({
      name: "a",
      createdAt: new Date("2022-01-01T00:00:00Z"),
      lastUpdated: new Date("2022-02-01T00:00:00Z"),
    });
    expect(a.compare(b)).toBeLessThan(0);
    expect(b.compare(a)).toBeGreaterThan(0);
    expect(a.compare(a2)).toBeLessThan(0);
    expect(a2.compare(b)).toBeLessThan(0);
  });
});

describe("read-only experiments and tests", () => {
  it("are frozen and refuse every change with ReadOnlyError", () => {
    const test = new Test({ name: "t", metrics: { m: 1 }, readOnly: true });
    const exp = new Experiment({
      name: "x",
      metrics: { m: [1, 2] },
      tests: [test],
      readOnly: true,
    });
    expect(Object.isFrozen(exp)).toBe(true);
    expect(Object.isFrozen(test)).toBe(true);
    expect(() => test.logMetric("m", 2)).toThrow(ReadOnlyError);
    expect(() => test.logParameter("p", 2)).toThrow(ReadOnlyError);
    expect(() => {
      (exp.metrics.m as number[]).push(3);
    }).toThrow(ReadOnlyError);
    expect(() => {
      delete (exp.metrics as Record<string, unknown>).m;
    }).toThrow(ReadOnlyError);
    expect(() => {
      (exp.tests as Test[]).pop();
    }).toThrow(ReadOnlyError);
    expect(() => {
      (exp.tests[0]?.metrics as Record<string, number>).m = 5;
    }).toThrow(ReadOnlyError);
    expect(() => exp.addDependency(new Experiment({ name: "u", project: "u.json" }))).toThrow(
      ReadOnlyError,
    );
    expect(exp.toJSON().metrics).toEqual({ m: [1, 2] });
  });
});
