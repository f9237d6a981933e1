import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Experiment, Project, ValidationError } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-03-01T10:15:30.250Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a sweep that logs one name several times in one second", () => {
  it("gives each run its own slug, and saves and reopens all of them", async () => {
    const fpath = join(tempDir(), "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "alice" });
    for (const lr of [0.1, 0.01, 0.001]) project.log("run", (e) => e.logParameter("lr", lr));
    expect(project.experiments.map((e) => [e.shortSlug, e.slug])).toEqual([
      ["run", "run-20240301101530"],
      ["run", "run-20240301101530-2"],
      ["run", "run-20240301101530-3"],
    ]);
    await project.save();
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => [e.slug, e.parameters.lr])).toEqual([
      ["run-20240301101530", 0.1],
      ["run-20240301101530-2", 0.01],
      ["run-20240301101530-3", 0.001],
    ]);
    expect(reread.get("run-20240301101530-2").parameters.lr).toBe(0.01);
    expect(reread.get("run").slug).toBe("run-20240301101530-3");
    const written = JSON.parse(readFileSync(fpath, "utf8")) as { slug: string }[];
    expect(written.map((r) => r.slug)).toEqual([
      "run-20240301101530",
      "run-20240301101530-2",
      "run-20240301101530-3",
    ]);
  });

  it("counts slugs held by logs still under way", async () => {
    const project = await Project.open("memory://sweep/async.json", { mode: "w" });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = project.log("run", () => held);
    const second = project.log("run", () => undefined);
    release();
    expect((await first).slug).toBe("run-20240301101530");
    expect(second.slug).toBe("run-20240301101530-2");
  });

  it("takes the next free suffix when the file already holds the first ones", async () => {
    const fpath = "memory://sweep/again.json";
    const before = await Project.open(fpath, { mode: "w" });
    before.log("run");
    before.log("run");
    await before.save();
    const project = await Project.open(fpath, { mode: "a" });
    expect(project.log("run").slug).toBe("run-20240301101530-3");
  });

  it("append refuses an experiment whose slug the project holds, and names the remedy", async () => {
    const project = await Project.open("memory://sweep/append.json", { mode: "w" });
    const logged = project.log("run");
    const twin = new Experiment({ name: "run", createdAt: new Date() });
    expect(() => project.append(twin)).toThrow(ValidationError);
    expect(() => project.append(twin)).toThrow(
      'cannot append experiment "run-20240301101530": project memory://sweep/append.json already has an experiment with that slug (created 2024-03-01T10:15:30.250Z); log it with project.log()',
    );
    expect(() => project.append(logged)).toThrow(
      'cannot append experiment "run-20240301101530": it is already in project memory://sweep/append.json',
    );
    expect(project.size).toBe(1);
  });
});

describe("save() and logs under way", () => {
  it("waits for a log whose await was forgotten", async () => {
    vi.useRealTimers();
    const fpath = join(tempDir(), "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "alice" });
    void project.log("forgotten", async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      e.logMetric("m", 1);
    });
    await project.save();
    expect(project.experiments.map((e) => e.name)).toEqual(["forgotten"]);
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => [e.name, e.metrics])).toEqual([["forgotten", { m: 1 }]]);
  });

  it("saves the others when a log under way fails, and that one is not added", async () => {
    const fpath = "memory://save-waits/failing.json";
    const project = await Project.open(fpath, { mode: "w" });
    const failing = project.log("bad", async () => {
      await Promise.resolve();
      throw new Error("boom");
    });
    const good = project.log("good", async (e) => {
      await Promise.resolve();
      e.logMetric("m", 2);
    });
    await project.save();
    await expect(failing).rejects.toThrow("boom");
    await good;
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => e.name)).toEqual(["good"]);
  });

  it("does not wait for a log started after it", async () => {
    const project = await Project.open("memory://save-waits/later.json", { mode: "w" });
    let release: () => void = () => undefined;
    const saved = project.save();
    const later = project.log(
      "later",
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await saved;
    expect(project.size).toBe(0);
    release();
    await later;
    expect(project.size).toBe(1);
  });
});

describe("merge reports what it drops", () => {
  it("lists each record it does not keep with the record kept instead", async () => {
    const a = await Project.open("memory://merge-drop/a.json", { mode: "w" });
    const b = await Project.open("memory://merge-drop/b.json", { mode: "w" });
    const old = a.log("run", (e) => e.logMetric("m", 1));
    vi.setSystemTime(new Date("2024-03-01T10:15:30.900Z"));
    const newer = old.copy({ project: b.fpath });
    newer.logMetric("m", 2);
    b.append(newer);
    const merged = a.merge(b);
    expect(merged.experiments).toEqual([newer]);
    expect(merged.dropped).toEqual([{ dropped: old, from: 0, kept: newer }]);
    expect(a.dropped).toEqual([]);
  });
});
