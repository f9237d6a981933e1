import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ArtifactLoadError,
  ArtifactLogError,
  Experiment,
  Project,
  type ProjectEvent,
  ReadOnlyError,
  ValidationError,
} from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

function at(ms: number): void {
  vi.setSystemTime(T0 + ms);
}

const HISTORY_RECORD = {
  name: "metric-history",
  fname: "metric-history.json",
  handler: "json",
  created_at: "2024-05-01T12:00:00",
  expiry: null,
  version: 0,
};

/**
 * A project with one experiment whose metric `acc` (0.5) was saved without a history, reopened
 * in mode "w+" a second later.
 */
async function accSavedThenReopened() {
  const dir = tempDir();
  const fpath = join(dir, "project.json");
  const project = await Project.open(fpath, { mode: "w", author: "a" });
  project.log("E", (e) => e.logMetric("acc", 0.5));
  await project.save();
  at(1000);
  const reopened = await Project.open(fpath, { mode: "w+" });
  return { dir, fpath, reopened, exp: reopened.experiments[0] as Experiment };
}

describe("logMetric with steps", () => {
  it("keeps every value with its step and time; metrics holds the last one", async () => {
    const exp = new Experiment({ name: "E" });
    exp.logMetric("loss", 0.9, { step: 0 });
    at(1500);
    exp.logMetric("loss", 0.5, { step: 1 });
    at(2000);
    exp.logMetric("loss", 0.25, { step: 5 });
    expect(exp.metrics).toEqual({ loss: 0.25 });
    expect(await exp.metricHistory("loss")).toEqual([
      { step: 0, value: 0.9, time: T0 },
      { step: 1, value: 0.5, time: T0 + 1500 },
      { step: 5, value: 0.25, time: T0 + 2000 },
    ]);
  });

  it("keeps times exactly however far apart, fractional or before the first one", async () => {
    const exp = new Experiment({ name: "E" });
    exp.logMetric("loss", 0.9);
    at(40 * 24 * 3600 * 1000); // 40 days later: beyond the times kept as small distances
    exp.logMetric("loss", 0.5);
    exp.logMetricAt("loss", 0.4, 7, T0 - 1);
    exp.logMetricAt("loss", 0.3, 8, T0 + 0.5);
    expect(await exp.metricHistory("loss")).toEqual([
      { step: 0, value: 0.9, time: T0 },
      { step: 1, value: 0.5, time: T0 + 40 * 24 * 3600 * 1000 },
      { step: 7, value: 0.4, time: T0 - 1 },
      { step: 8, value: 0.3, time: T0 + 0.5 },
    ]);
  });

  it("knows a metric was logged before among many metrics, as among few", async () => {
    const exp = new Experiment({ name: "E" });
    for (let m = 0; m < 50; m++) exp.logMetric(`m${m}`, m);
    expect(await exp.metricHistory("m3")).toEqual([{ step: 0, value: 3, time: T0 }]);
    at(1000);
    exp.logMetric("m3", 30);
    exp.logMetric("m49", 490);
    expect(await exp.metricHistory("m3")).toEqual([
      { step: 0, value: 3, time: T0 },
      { step: 1, value: 30, time: T0 + 1000 },
    ]);
    expect(await exp.metricHistory("m49")).toEqual([
      { step: 0, value: 49, time: T0 },
      { step: 1, value: 490, time: T0 + 1000 },
    ]);
    expect(exp.artifacts.map((a) => a.name)).toEqual(["metric-history"]);
  });

  it("gives a value without a step the step after the greatest one logged, as W&B and MLflow users expect", async () => {
    const exp = new Experiment({ name: "E" });
    exp.logMetric("loss", 1);
    exp.logMetric("loss", 2);
    exp.logMetric("loss", 3, { step: 10 });
    exp.logMetric("loss", 4, { step: 3 });
    exp.logMetric("loss", 5);
    exp.logMetric("other", 6);
    const steps = (await exp.metricHistory("loss")).map((p) => [p.step, p.value]);
    expect(steps).toEqual([
      [0, 1],
      [1, 2],
      [10, 3],
      [3, 4],
      [11, 5],
    ]);
    expect(await exp.metricHistory("other")).toEqual([{ step: 0, value: 6, time: T0 }]);
  });

  it("keeps numbers, strings, booleans, null, bigints and arrays logged in turn, each with its step and time", async () => {
    const exp = new Experiment({ name: "E" });
    const values = [0.5, -0, Number.NaN, "10M", true, null, 2n ** 64n, [1, [2.5, "x"]], 7];
    for (const value of values) exp.logMetric("m", value);
    exp.logMetric("n", Number.POSITIVE_INFINITY);
    const points = await exp.metricHistory("m");
    expect(points.map((p) => p.value)).toEqual(values);
    expect(Object.is(points[1]?.value, -0)).toBe(true);
    expect(points.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(points.every((p) => p.time === T0)).toBe(true);
    expect(exp.metrics).toEqual({ m: 7, n: Number.POSITIVE_INFINITY });
    expect(await exp.metricHistory("n")).toEqual([
      { step: 0, value: Number.POSITIVE_INFINITY, time: T0 },
    ]);
  });

  it("accepts steps in any order and repeated, as MLflow does, keeping the order logged", async () => {
    const exp = new Experiment({ name: "E" });
    exp.logMetric("m", "a", { step: 2 });
    exp.logMetric("m", "b", { step: 2 });
    exp.logMetric("m", "c", { step: 0 });
    expect((await exp.metricHistory("m")).map((p) => `${p.step}${p.value}`)).toEqual([
      "2a",
      "2b",
      "0c",
    ]);
    expect(exp.metrics.m).toBe("c");
  });

  it.each([
    [-1, "-1"],
    [1.5, "1.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [2 ** 53, String(2 ** 53)],
    ["3", "a string"],
    [null, "null"],
  ])(
    "refuses the step %s naming the metric and the experiment, and changes nothing",
    async (step, got) => {
      const exp = new Experiment({ name: "E" });
      exp.logMetric("loss", 1);
      const before = exp.toJSON();
      const call = () => exp.logMetric("loss", 2, { step: step as number });
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(
        `cannot log metric "loss" of experiment "e-20240501120000": step must be a whole number from 0 to 9007199254740991 (got ${got})`,
      );
      expect(exp.toJSON()).toEqual(before);
      expect(await exp.metricHistory("loss")).toEqual([{ step: 0, value: 1, time: T0 }]);
    },
  );

  it("refuses options that are not an object", () => {
    const exp = new Experiment({ name: "E" });
    expect(() => exp.logMetric("loss", 1, 3 as never)).toThrow(
      'cannot log metric "loss" of experiment "e-20240501120000": options must be an object such as { step: 3 } (got a number)',
    );
    expect(exp.metrics).toEqual({});
  });

  it("keeps its own copy of an array value", async () => {
    const exp = new Experiment({ name: "E" });
    const value = [1, 2];
    exp.logMetric("pair", value);
    value.push(3);
    (exp.metrics.pair as number[]).push(4);
    const [point] = await exp.metricHistory("pair");
    expect(point?.value).toEqual([1, 2]);
    (point?.value as number[] | undefined)?.push(5);
    expect((await exp.metricHistory("pair"))[0]?.value).toEqual([1, 2]);
  });

  it("makes the metrics object from the values logged: last values, in the order first logged, as its own copies", async () => {
    const exp = new Experiment({ name: "E" });
    exp.logMetric("b", 1);
    exp.logMetric("2", [1, 2]);
    exp.logMetric("a", "x");
    exp.logMetric("b", 3);
    exp.logMetric("b", 4, { step: 0 });
    const metrics = exp.metrics;
    expect(Object.entries(metrics)).toEqual([
      ["2", [1, 2]],
      ["b", 4],
      ["a", "x"],
    ]);
    (metrics["2"] as number[]).push(9);
    expect((await exp.metricHistory("2"))[0]?.value).toEqual([1, 2]);
    // Once made, the same object is updated and given back.
    exp.logMetric("c", 5);
    expect(exp.metrics).toBe(metrics);
    expect(metrics.c).toBe(5);
    expect((await exp.metricHistory("b")).map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 3],
      [0, 4],
    ]);
  });

  it("keeps a metrics object read before anything was logged, and counts a metric deleted from it as new", async () => {
    const exp = new Experiment({ name: "E" });
    const metrics = exp.metrics;
    exp.logMetric("acc", 0.5);
    expect(metrics).toEqual({ acc: 0.5 });
    delete metrics.acc;
    exp.logMetric("acc", 0.7);
    expect(exp.metrics).toBe(metrics);
    expect((await exp.metricHistory("acc")).map((p) => [p.step, p.value])).toEqual([
      [0, 0.5],
      [0, 0.7],
    ]);
  });

  it("makes a test's metrics object from its values as well", () => {
    const exp = new Experiment({ name: "E" });
    const test = exp.logTest("T", (t) => {
      t.logMetric("m1", 1);
      t.logMetric("m0", 0);
      t.logMetric("m1", 2);
    });
    expect(Object.entries(test.metrics)).toEqual([
      ["m1", 2],
      ["m0", 0],
    ]);
    expect(exp.toJSON().tests[0]?.metrics).toEqual({ m1: 2, m0: 0 });
  });

  it("gives [] for a metric never logged", async () => {
    expect(await new Experiment({ name: "E" }).metricHistory("nope")).toEqual([]);
  });

  it("reports the step on events$", async () => {
    const project = await Project.open("memory://history/events.json", { mode: "w" });
    const events: ProjectEvent[] = [];
    project.events$.subscribe((e) => events.push(e));
    project.log("E", (exp) => {
      exp.logMetric("loss", 1);
      exp.logMetric("loss", 2, { step: 7 });
      exp.logTest("T", (test) => test.logMetric("auroc", 0.5, { step: 3 }));
    });
    const where = { experiment: "E", slug: "e-20240501120000" };
    expect(events.filter((e) => e.type === "metric-logged")).toEqual([
      { type: "metric-logged", name: "loss", value: 1, step: 0, ...where },
      { type: "metric-logged", name: "loss", value: 2, step: 7, ...where },
      { type: "metric-logged", name: "auroc", value: 0.5, step: 3, ...where, test: "T" },
    ]);
  });

  it("reserves the artifact name metric-history and its file name", () => {
    const exp = new Experiment({ name: "E" });
    expect(() => exp.logArtifact("metric-history", {}, "json")).toThrow(ArtifactLogError);
    expect(() => exp.logArtifact("metric-history", {}, "json")).toThrow(
      /the name is reserved for the metric history/,
    );
    expect(() => exp.logArtifact("losses", {}, "json", { fname: "metric-history.json" })).toThrow(
      'cannot log artifact "losses" on experiment "e-20240501120000": the file name metric-history.json is reserved for the metric history',
    );
    exp.logTest("T", (test) => {
      expect(() => test.logArtifact("metric-history", {}, "json")).toThrow(ArtifactLogError);
    });
    expect(exp.artifacts).toEqual([]);
  });
});

describe("saving the history", () => {
  it("saves nothing more when every metric was logged once at step 0", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w", author: "a" });
    const exp = project.log("E", (e) => {
      e.logMetric("acc", 0.5);
      e.logMetric("f1", 0.25, { step: 0 });
    });
    expect(exp.artifacts).toEqual([]);
    await project.save();
    const reopened = await Project.open(join(dir, "project.json"), { mode: "r" });
    const again = reopened.experiments[0] as Experiment;
    expect(again.artifacts).toEqual([]);
    // The time of a value logged once was never saved.
    expect(await again.metricHistory("acc")).toEqual([{ step: 0, value: 0.5, time: null }]);
  });

  it("writes the record and the artifact file exactly, and reads them back in every mode", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log("E", (e) => {
      e.logMetric("loss", 0.5);
      at(1000);
      e.logMetric("loss", Number.NaN);
      e.logMetric("acc", 1);
      e.logTest("T", (t) => t.logMetric("auroc", [0.5, 0.25], { step: 2 }));
    });
    await project.save();
    expect(readFileSync(join(dir, "e-20240501120000", "metric-history.json"), "utf8")).toBe(
      `{"loss": {"step": [0, 1], "value": [0.5, NaN], "time": [${T0}, ${T0 + 1000}]}, "acc": {"step": [0], "value": [1], "time": [${T0 + 1000}]}}`,
    );
    expect(readFileSync(join(dir, "e-20240501120000", "t", "metric-history.json"), "utf8")).toBe(
      `{"auroc": {"step": [2], "value": [[0.5, 0.25]], "time": [${T0 + 1000}]}}`,
    );
    const file = JSON.parse(readFileSync(fpath, "utf8").replace("NaN", "null"));
    // The record is added when the history says more than the value: at the second loss.
    expect(file[0].artifacts).toEqual([{ ...HISTORY_RECORD, created_at: "2024-05-01T12:00:01" }]);
    expect(file[0].metrics).toEqual({ loss: null, acc: 1 });
    expect(file[0].tests[0].artifacts).toEqual([
      { ...HISTORY_RECORD, created_at: "2024-05-01T12:00:01" },
    ]);
    for (const mode of ["r", "a", "w+"] as const) {
      const reopened = await Project.open(fpath, { mode });
      const exp = reopened.experiments[0] as Experiment;
      expect(await exp.metricHistory("loss")).toEqual([
        { step: 0, value: 0.5, time: T0 },
        { step: 1, value: Number.NaN, time: T0 + 1000 },
      ]);
      expect(await exp.tests[0]?.metricHistory("auroc")).toEqual([
        { step: 2, value: [0.5, 0.25], time: T0 + 1000 },
      ]);
      expect(await exp.loadArtifact("metric-history")).toEqual({
        loss: { step: [0, 1], value: [0.5, Number.NaN], time: [T0, T0 + 1000] },
        acc: { step: [0], value: [1], time: [T0 + 1000] },
      });
    }
  });

  it("loads the history as an artifact before the project is saved", async () => {
    const exp = new Experiment({ name: "E" });
    exp.logMetric("loss", 1);
    exp.logMetric("loss", 2);
    expect(await exp.loadArtifact("metric-history")).toEqual({
      loss: { step: [0, 1], value: [1, 2], time: [T0, T0] },
    });
  });

  it("does not read the history when the project is opened, only when it is asked for", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log("E", (e) => e.logMetric("loss", 1).logMetric("loss", 2));
    await project.save();
    writeFileSync(join(dir, "e-20240501120000", "metric-history.json"), "not json");
    const reopened = await Project.open(fpath, { mode: "r" });
    const exp = reopened.experiments[0] as Experiment;
    expect(exp.metrics).toEqual({ loss: 2 });
    const error = await exp.metricHistory("loss").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactLoadError);
    expect((error as Error).message).toContain('artifact "metric-history"');
  });

  it("refuses a metric-history artifact that is not a history, naming it and the field", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log("E", (e) => e.logMetric("loss", 1).logMetric("loss", 2));
    await project.save();
    const history = join(dir, "e-20240501120000", "metric-history.json");
    writeFileSync(history, '{"loss": {"step": [0, -1], "value": [1, 2], "time": [0, 0]}}');
    const exp = (await Project.open(fpath, { mode: "r" })).experiments[0] as Experiment;
    const error = await exp.metricHistory("loss").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toEqual(["loss", "step", 1]);
    expect((error as Error).message).toMatch(
      /^field "loss\.step\.1": artifact "metric-history" of experiment "e-20240501120000" is not a metric history/,
    );
  });

  it("adds to a saved history in mode w+: steps go on from the saved ones", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log("E", (e) => e.logMetric("loss", 1).logMetric("loss", 2, { step: 4 }));
    await project.save();
    at(60_000);
    const reopened = await Project.open(fpath, { mode: "w+", author: "b" });
    const exp = reopened.experiments[0] as Experiment;
    exp.logMetric("loss", 3);
    exp.logMetric("acc", 0.5, { step: 2 });
    await reopened.save();
    expect(readFileSync(join(dir, "e-20240501120000", "metric-history.json"), "utf8")).toBe(
      `{"loss": {"step": [0, 4, 5], "value": [1, 2, 3], "time": [${T0}, ${T0}, ${T0 + 60_000}]}, "acc": {"step": [2], "value": [0.5], "time": [${T0 + 60_000}]}}`,
    );
    const last = (await Project.open(fpath, { mode: "r" })).experiments[0] as Experiment;
    expect(last.metrics).toEqual({ loss: 3, acc: 0.5 });
    expect(last.artifacts).toEqual([HISTORY_RECORD]);
  });

  it("puts a value read without a history first, at step 0 with no time, when the metric is logged at a later step", async () => {
    const { dir, fpath, reopened, exp } = await accSavedThenReopened();
    exp.logMetric("acc", 0.75, { step: 1 });
    expect(await exp.metricHistory("acc")).toEqual([
      { step: 0, value: 0.5, time: null },
      { step: 1, value: 0.75, time: T0 + 1000 },
    ]);
    await reopened.save();
    expect(readFileSync(join(dir, "e-20240501120000", "metric-history.json"), "utf8")).toBe(
      `{"acc": {"step": [0, 1], "value": [0.5, 0.75], "time": [null, ${T0 + 1000}]}}`,
    );
    const last = (await Project.open(fpath, { mode: "r" })).experiments[0] as Experiment;
    expect(await last.metricHistory("acc")).toEqual(await exp.metricHistory("acc"));
  });

  it("takes a value logged without a step over a file's value as an update, as Python does: no history, no artifact", async () => {
    const { dir, fpath, reopened, exp } = await accSavedThenReopened();
    exp.logMetric("acc", 0.75);
    expect(await exp.metricHistory("acc")).toEqual([{ step: 0, value: 0.75, time: T0 + 1000 }]);
    await reopened.save();
    const saved = (await Project.open(fpath, { mode: "r" })).experiments[0] as Experiment;
    expect(saved.artifacts).toEqual([]);
    expect(saved.metrics).toEqual({ acc: 0.75 });
    expect(existsSync(join(dir, "e-20240501120000", "metric-history.json"))).toBe(false);
    // A second value logged here is a history: the update at step 0, then step 1.
    const again = await Project.open(fpath, { mode: "w+" });
    const next = again.experiments[0] as Experiment;
    next.logMetric("acc", 0.8);
    next.logMetric("acc", 0.9);
    expect((await next.metricHistory("acc")).map((p) => [p.step, p.value])).toEqual([
      [0, 0.8],
      [1, 0.9],
    ]);
  });

  it("refuses to log on a read-only experiment", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log("E", (e) => e.logMetric("loss", 1).logMetric("loss", 2));
    await project.save();
    const exp = (await Project.open(fpath, { mode: "a" })).experiments[0] as Experiment;
    expect(() => exp.logMetric("loss", 3, { step: 9 })).toThrow(ReadOnlyError);
    expect((await exp.metricHistory("loss")).map((p) => p.value)).toEqual([1, 2]);
  });
});

describe("merge", () => {
  async function saved(fpath: string, name: string, values: number[]): Promise<Project> {
    const project = await Project.open(fpath, { mode: "w", author: "a" });
    project.log(name, (e) => {
      for (const v of values) e.logMetric("loss", v);
    });
    await project.save();
    return Project.open(fpath, { mode: "w+" });
  }

  it("keeps the history of the experiments it keeps, whichever project they come from", async () => {
    const dir = tempDir();
    const a = await saved(join(dir, "project.json"), "A", [3, 2, 1]);
    at(1000);
    const b = await Project.open("memory://history/b.json", { mode: "w", author: "b" });
    b.log("B", (e) => e.logMetric("loss", 9, { step: 1 }).logMetric("loss", 8, { step: 2 }));
    for (const merged of [a.merge(b), b.merge(a)]) {
      const [first, second] = merged.experiments;
      expect(first?.slug).toBe("a-20240501120000");
      expect((await first?.metricHistory("loss"))?.map((p) => p.value)).toEqual([3, 2, 1]);
      expect(await second?.metricHistory("loss")).toEqual([
        { step: 1, value: 9, time: T0 + 1000 },
        { step: 2, value: 8, time: T0 + 1000 },
      ]);
    }
  });

  it("keeps the newer record's history when both projects have the slug", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const older = await saved(fpath, "E", [1, 2]);
    const newer = await Project.open(fpath, { mode: "w+" });
    at(5000);
    (newer.experiments[0] as Experiment).logMetric("loss", 7);
    for (const merged of [older.merge(newer), newer.merge(older)]) {
      const kept = merged.experiments[0] as Experiment;
      expect(kept).toBe(newer.experiments[0]);
      expect((await kept.metricHistory("loss")).map((p) => [p.step, p.value])).toEqual([
        [0, 1],
        [1, 2],
        [2, 7],
      ]);
    }
    expect((await older.experiments[0]?.metricHistory("loss"))?.map((p) => p.value)).toEqual([
      1, 2,
    ]);
  });
});
