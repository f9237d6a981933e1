import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Experiment,
  NotFoundError,
  Project,
  type ProjectEvent,
  ReadOnlyError,
  SaveError,
  ValidationError,
} from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";

const T0 = new Date("2024-05-01T12:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function later(seconds: number): void {
  vi.setSystemTime(new Date(T0.getTime() + seconds * 1000));
}

describe("Project.log", () => {
  it("appends an experiment when a sync callback finishes, with the exact record", async () => {
    const project = await Project.open("memory://log/sync.json", { mode: "w", author: "alice" });
    const experiment = project.log("My experiment", (exp) => {
      exp.logMetric("auroc", 0.5);
      exp.logMetric("build_time", "10M");
      exp.logParameter("algorithm", "lightgbm");
      exp.tag(["baseline", "v1"]);
    });
    expect(project.experiments).toEqual([experiment]);
    expect([...project]).toEqual([
      {
        name: "My experiment",
        author: "alice",
        last_updated_by: "alice",
        metrics: { auroc: 0.5, build_time: "10M" },
        parameters: { algorithm: "lightgbm" },
        created_at: "2024-05-01T12:00:00",
        last_updated: "2024-05-01T12:00:00",
        dependencies: [],
        short_slug: "my-experiment",
        slug: "my-experiment-20240501120000",
        tests: [],
        artifacts: [],
        tags: ["baseline", "v1"],
      },
    ]);
  });

  it("hands out an experiment's tests as one live list, before and after it is appended", async () => {
    const project = await Project.open("memory://log/tests.json", { mode: "w" });
    let held: readonly unknown[] = [];
    const experiment = project.log("With tests", (exp) => {
      held = exp.tests;
      exp.logTest("First", (test) => test.logMetric("m", 1));
    });
    experiment.logTest("Second", (test) => test.logMetric("m", 2));
    expect(experiment.tests).toBe(held);
    expect(held.map((t) => (t as { name: string }).name)).toEqual(["First", "Second"]);
  });

  it("appends only when an async callback resolves", async () => {
    const project = await Project.open("memory://log/async.json", { mode: "w" });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = project.log("Slow", async (exp) => {
      exp.logMetric("m", 1);
      await gate;
    });
    expect(project.size).toBe(0);
    release();
    const experiment = await pending;
    expect(project.experiments).toEqual([experiment]);
  });

  it("propagates a thrown error and appends nothing", async () => {
    const project = await Project.open("memory://log/throw.json", { mode: "w" });
    expect(() =>
      project.log("Broken", (exp) => {
        exp.logMetric("m", 1);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    await expect(
      project.log("Broken async", async () => {
        throw new Error("async boom");
      }),
    ).rejects.toThrow("async boom");
    expect(project.size).toBe(0);
  });

  it("saves the good experiment and never the failed one", async () => {
    const dir = tempDir();
    const file = join(dir, "project.json");
    const project = await Project.open(file, { mode: "w", author: "alice" });
    project.log("Good", (exp) => exp.logMetric("m", 1));
    expect(() =>
      project.log("Bad", () => {
        throw new Error("x");
      }),
    ).toThrow("x");
    await project.save();
    const saved = JSON.parse(readFileSync(file, "utf8")) as { name: string }[];
    expect(saved.map((e) => e.name)).toEqual(["Good"]);
  });

  it("refuses an empty experiment name", async () => {
    const project = await Project.open("memory://log/empty.json", { mode: "w" });
    expect(() => project.log("", () => undefined)).toThrow(ValidationError);
  });
});

describe("modes", () => {
  async function savedProject(): Promise<string> {
    const file = join(tempDir(), "project.json");
    const project = await Project.open(file, { mode: "w", author: "alice" });
    project.log("First", (exp) => exp.logMetric("m", 1));
    await project.save();
    return file;
  }

  it('"r": nothing can be logged, appended or saved', async () => {
    const project = await Project.open(await savedProject(), { mode: "r" });
    expect(() => project.log("x", () => undefined)).toThrow(ReadOnlyError);
    expect(() => project.append(new Experiment({ name: "x" }))).toThrow(ReadOnlyError);
    await expect(project.save()).rejects.toThrow(ReadOnlyError);
  });

  it('"a": existing experiments are frozen, new ones are saved after them', async () => {
    const file = await savedProject();
    const project = await Project.open(file, { mode: "a", author: "bob" });
    const first = project.get("first");
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => first.logMetric("m", 2)).toThrow(ReadOnlyError);
    expect(() => first.logParameter("p", 2)).toThrow(ReadOnlyError);
    expect(() => first.tag("t")).toThrow(ReadOnlyError);
    expect(() => first.logTest("t", () => undefined)).toThrow(ReadOnlyError);
    expect(() => {
      (first.metrics as Record<string, unknown>).m = 3;
    }).toThrow(ReadOnlyError);
    expect(() => {
      (first.tags as string[]).push("x");
    }).toThrow(ReadOnlyError);
    expect(() => {
      first.lastUpdatedBy = "mallory";
    }).toThrow(ReadOnlyError);
    later(60);
    project.log("Second", (exp) => exp.logMetric("m", 2));
    await project.save();
    const saved = JSON.parse(readFileSync(file, "utf8")) as { name: string; author: string }[];
    expect(saved.map((e) => [e.name, e.author])).toEqual([
      ["First", "alice"],
      ["Second", "bob"],
    ]);
  });

  it('"w": the existing file is not read, and saving replaces it', async () => {
    const file = await savedProject();
    const project = await Project.open(file, { mode: "w" });
    expect(project.size).toBe(0);
    later(60);
    project.log("Only", () => undefined);
    await project.save();
    const saved = JSON.parse(readFileSync(file, "utf8")) as { name: string }[];
    expect(saved.map((e) => e.name)).toEqual(["Only"]);
  });

  it('"w+": changed experiments get last_updated_by, unchanged ones keep theirs', async () => {
    const file = join(tempDir(), "project.json");
    const first = await Project.open(file, { mode: "w", author: "alice" });
    first.log("Edited", () => undefined);
    first.log("Untouched", () => undefined);
    await first.save();

    later(3600);
    const project = await Project.open(file, { mode: "w+", author: "carol" });
    project.get("edited").logParameter("added", "later");
    await project.save();
    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>[];
    expect(saved.map((e) => [e.name, e.author, e.last_updated_by, e.last_updated])).toEqual([
      ["Edited", "alice", "carol", "2024-05-01T13:00:00"],
      ["Untouched", "alice", "alice", "2024-05-01T12:00:00"],
    ]);
  });

  it("refuses an unknown mode", async () => {
    await expect(Project.open("memory://x.json", { mode: "x" as "r" })).rejects.toThrow(
      'invalid mode "x"',
    );
  });

  it('a missing file opens as an empty project in modes "a", "w" and "w+"', async () => {
    for (const mode of ["a", "w", "w+"] as const) {
      const project = await Project.open(join(tempDir(), "none.json"), { mode });
      expect(project.size).toBe(0);
    }
  });

  it('a missing file in mode "r" is a NotFoundError naming the path', async () => {
    const fpath = join(tempDir(), "nope.json");
    const error = await Project.open(fpath, { mode: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      `no project file at ${fpath} (mode "r" reads an existing file; open it in mode "a" or "w" to start one)`,
    );
    await expect(Project.open("memory://missing/p.json", { mode: "r" })).rejects.toThrow(
      "no project file at memory://missing/p.json",
    );
  });
});

describe("get, has, filter", () => {
  it("finds by slug, and by short slug the latest experiment", async () => {
    const project = await Project.open("memory://get.json", { mode: "w" });
    const older = project.log("Run", () => undefined);
    later(10);
    const newer = project.log("Run", () => undefined);
    later(20);
    project.log("Other", () => undefined);
    expect(project.get("run")).toBe(newer);
    expect(project.get("run-20240501120000")).toBe(older);
    expect(project.has("run")).toBe(true);
    expect(project.has("nope")).toBe(false);
    expect(() => project.get("nope")).toThrow(NotFoundError);
    expect(() => project.get("nope")).toThrow('no experiment with slug or short slug "nope"');
  });

  it("by short slug gives the last experiment in Python's order: an earlier one appended later goes before", async () => {
    const project = await Project.open("memory://get-last.json", { mode: "w" });
    const logged = project.log("My experiment", (exp) => exp.logMetric("name", 0.5));
    const earlier = new Experiment({
      name: "My experiment",
      createdAt: new Date("2024-04-30T12:00:00Z"),
    });
    project.append(earlier);
    expect(project.experiments).toEqual([earlier, logged]);
    expect(project.get("my-experiment")).toBe(logged);
  });

  it("filters experiments with a predicate", async () => {
    const project = await Project.open(fixture("basic", "project.json"), { mode: "r" });
    const found = project.filter((e) => (e.metrics.auroc as number) > 0.88);
    expect(found.map((e) => e.slug)).toEqual(["second-run-20240302080000"]);
  });
});

describe("events$", () => {
  it("reports metrics, parameters, tags, tests, the append and the save in order", async () => {
    const project = await Project.open("memory://events.json", { mode: "w" });
    const events: ProjectEvent[] = [];
    project.events$.subscribe((e) => events.push(e));
    project.log("E", (exp) => {
      exp.logMetric("m", 1);
      exp.logParameter("p", { a: 1 });
      exp.tag("t");
      exp.logTest("T", (test) => test.logMetric("tm", 2));
    });
    await project.save();
    const where = { experiment: "E", slug: "e-20240501120000" };
    expect(events).toEqual([
      { type: "metric-logged", name: "m", value: 1, step: 0, ...where },
      { type: "parameter-logged", name: "p", value: { a: 1 }, ...where },
      { type: "tags-changed", tags: ["t"], ...where },
      { type: "metric-logged", name: "tm", value: 2, step: 0, ...where, test: "T" },
      { type: "test-logged", ...where, test: "T" },
      { type: "experiment-logged", ...where },
      { type: "saved", fpath: "memory://events.json", experiments: 1 },
    ]);
  });
});

describe("bad project files", () => {
  function writeBad(text: string): string {
    const file = join(tempDir(), "project.json");
    writeFileSync(file, text);
    return file;
  }

  it("names the file and the position of a JSON syntax error, and leaves the file alone", async () => {
    const text = '[\n    {"name": "x",,}\n]';
    const file = writeBad(text);
    const error = await Project.open(file, { mode: "w+" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain("line 2, column 18");
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("says a truncated file is truncated", async () => {
    const file = writeBad('[{"name": "x", "author": "a"');
    await expect(Project.open(file)).rejects.toThrow(/truncated/);
  });

  it("names the record index and the field of a record that does not match", async () => {
    const good = {
      name: "ok",
      author: "a",
      created_at: "2024-01-01T00:00:00",
      last_updated: "2024-01-01T00:00:00",
    };
    const file = writeBad(JSON.stringify([good, { ...good, metrics: { auroc: { nested: 1 } } }]));
    const error = (await Project.open(file).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.file).toBe(file);
    expect(error.record).toBe(1);
    expect(error.path).toEqual(["metrics", "auroc"]);
    expect(error.message).toContain(`${file}, record 1, field "metrics.auroc"`);
  });

  it("names a bad timestamp", async () => {
    const file = writeBad(
      JSON.stringify([
        {
          name: "x",
          author: "a",
          created_at: "2024-13-45T00:00:00",
          last_updated: "2024-01-01T00:00:00",
        },
      ]),
    );
    await expect(Project.open(file)).rejects.toThrow(`${file}, record 0, field "created_at"`);
  });

  it("refuses a file that is not a list", async () => {
    const file = writeBad('{"name": "x"}');
    await expect(Project.open(file)).rejects.toThrow(
      "must hold a list of experiments, found object",
    );
  });
});

describe("saving", () => {
  it("reports a SaveError naming the file and keeps the project intact", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "blocker"), "a file, not a folder");
    const project = await Project.open(join(dir, "blocker", "project.json"), { mode: "w" });
    project.log("Kept", () => undefined);
    const error = await project.save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SaveError);
    expect((error as Error).message).toContain(join(dir, "blocker", "project.json"));
    expect(project.size).toBe(1);
  });

  it("writes NaN and infinities as Python does", async () => {
    const project = await Project.open("memory://nan.json", { mode: "w", author: "a" });
    project.log("N", (exp) =>
      exp.logMetric("values", [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 1e-5]),
    );
    await project.save();
    const reread = await Project.open("memory://nan.json", { mode: "r" });
    expect(reread.get("n").metrics.values).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -Infinity,
      1e-5,
    ]);
  });
});
