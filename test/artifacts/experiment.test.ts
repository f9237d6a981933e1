import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ArtifactLoadError,
  ArtifactLogError,
  Experiment,
  Project,
  ReadOnlyError,
} from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { at, memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

describe("logArtifact on an experiment", () => {
  it("adds Python's metadata record, with the default file name, and marks the experiment changed", () => {
    const exp = new Experiment({ name: "My experiment", project: "project.json", author: "root" });
    at("2025-01-20T13:23:31");
    exp.logArtifact("features", [0, 1, 2], "json");
    expect(exp.toJSON().artifacts).toEqual([
      {
        name: "features",
        fname: "features-20250120132331.json",
        handler: "json",
        created_at: "2025-01-20T13:23:31",
        expiry: null,
        version: 0,
      },
    ]);
    expect(exp.lastUpdated).toEqual(new Date("2025-01-20T13:23:31Z"));
    expect(exp.dirty).toBe(true);
  });

  it("slugs the name in the default file name", () => {
    const exp = new Experiment({ name: "x" });
    exp.logArtifact("Confusion Matrix (test)", [[1]], "json");
    expect(exp.artifacts[0]?.fname).toBe("confusion-matrix-test-20250120132330.json");
  });

  it("refuses a second artifact of the same name, and replaces it with overwrite", async () => {
    const exp = new Experiment({ name: "My experiment", project: `${memoryFolder()}/p.json` });
    exp.logArtifact("features", [0, 1, 2], "json");
    expect(() => exp.logArtifact("features", [3, 4, 5], "json")).toThrow(ArtifactLogError);
    expect(() => exp.logArtifact("features", [3, 4, 5], "json")).toThrow(/overwrite: true/);
    expect(await exp.loadArtifact("features")).toEqual([0, 1, 2]);
    at("2025-01-21T00:00:00");
    exp.logArtifact("features", [3, 4, 5], "json", { overwrite: true });
    expect(exp.artifacts).toHaveLength(1);
    expect(exp.artifacts[0]?.fname).toBe("features-20250121000000.json");
    expect(await exp.loadArtifact("features")).toEqual([3, 4, 5]);
  });

  it("keeps the value as it was logged: later changes to it are not written", async () => {
    const exp = new Experiment({ name: "x", project: `${memoryFolder()}/p.json` });
    const value = [1, 2];
    exp.logArtifact("v", value, "json");
    value.push(3);
    expect(await exp.loadArtifact("v")).toEqual([1, 2]);
  });

  it("is refused on a read-only experiment", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    project.log("Done");
    await project.save();
    const reopened = await Project.open(`${folder}/project.json`, { mode: "a" });
    expect(() => reopened.get("done").logArtifact("x", 1, "json")).toThrow(ReadOnlyError);
  });
});

describe("project.save() and artifact files", () => {
  it("writes nothing before save, then each artifact under <project folder>/<experiment slug>/", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    project.log("My experiment", (exp) => {
      exp.logArtifact("features", [0, 1, 2], "json");
      exp.logArtifact("config", { a: 1 }, "json", { fname: "deep/er/config.json", indent: 2 });
    });
    const folder = join(dir, "my-experiment-20250120132330");
    expect(existsSync(folder)).toBe(false);
    await project.save();
    expect(readFileSync(join(folder, "features-20250120132330.json"), "utf8")).toBe("[0, 1, 2]");
    expect(readFileSync(join(folder, "deep/er/config.json"), "utf8")).toBe('{\n  "a": 1\n}');
  });

  it("writes a test's artifacts under the experiment folder, in the slug of the test's name", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    await project.log("My experiment", async (exp) => {
      await exp.logTest("Age < 30", (test) => test.logArtifact("preds", [0.5], "json"));
    });
    await project.save();
    const reopened = await Project.open(`${folder}/project.json`, { mode: "r" });
    const [test] = reopened.get("my-experiment").tests;
    expect(test?.artifacts[0]?.fname).toBe("preds-20250120132330.json");
    expect(await test?.loadArtifact("preds")).toEqual([0.5]);
    const { resolveLocation } = await import("../../src/storage/index.js");
    const { storage, path } = resolveLocation(
      `${folder}/my-experiment-20250120132330/age-30/preds-20250120132330.json`,
    );
    expect(await storage.exists(path)).toBe(true);
  });

  it("writes only the artifacts that changed since the last save", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    const exp = project.log("My experiment", (e) => e.logArtifact("a", [1], "json"));
    await project.save();
    const first = join(dir, exp.slug, "a-20250120132330.json");
    rmSync(first);
    at("2025-01-20T13:24:00");
    exp.logArtifact("b", [2], "json");
    await project.save();
    expect(existsSync(first)).toBe(false);
    expect(existsSync(join(dir, exp.slug, "b-20250120132400.json"))).toBe(true);
    const mtime = statSync(join(dir, exp.slug, "b-20250120132400.json")).mtimeMs;
    await project.save();
    expect(statSync(join(dir, exp.slug, "b-20250120132400.json")).mtimeMs).toBe(mtime);
  });

  it("rewrites an artifact replaced with overwrite", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    const exp = project.log("x", (e) => e.logArtifact("a", [1], "json", { fname: "a.json" }));
    await project.save();
    exp.logArtifact("a", [2], "json", { fname: "a.json", overwrite: true });
    await project.save();
    expect(readFileSync(join(dir, exp.slug, "a.json"), "utf8")).toBe("[2]");
  });

  it("works the same on memory://", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/sub/project.json`, { mode: "w" });
    project.log("M", (exp) => exp.logArtifact("m", { k: [1, 2] }, "json"));
    await project.save();
    const reopened = await Project.open(`${folder}/sub/project.json`, { mode: "r" });
    expect(await reopened.get("m").loadArtifact("m")).toEqual({ k: [1, 2] });
  });

  it("an experiment logged in an async body keeps its artifacts, and merged projects save them", async () => {
    const folder = memoryFolder();
    const a = await Project.open(`${folder}/a.json`, { mode: "w" });
    const b = await Project.open(`${folder}/b.json`, { mode: "w" });
    await a.log("From a", async (exp) => {
      await Promise.resolve();
      exp.logArtifact("x", [1], "json");
    });
    at("2025-01-20T13:30:00");
    b.log("From b", (exp) => exp.logArtifact("y", [2], "json"));
    const merged = a.merge(b);
    await merged.save();
    const reopened = await Project.open(a.fpath, { mode: "r" });
    expect(await reopened.get("from-a").loadArtifact("x")).toEqual([1]);
    expect(await reopened.get("from-b").loadArtifact("y")).toEqual([2]);
  });
});

describe("loadArtifact", () => {
  it("loads an artifact logged but not saved yet", async () => {
    const exp = new Experiment({ name: "x", project: "nowhere/project.json" });
    exp.logArtifact("features", { a: [1, 2] }, "json");
    expect(await exp.loadArtifact("features")).toEqual({ a: [1, 2] });
  });

  it("refuses a name the experiment has no artifact for", async () => {
    const exp = new Experiment({ name: "My experiment", project: "project.json" });
    await expect(exp.loadArtifact("features")).rejects.toThrow(ArtifactLoadError);
    await expect(exp.loadArtifact("features")).rejects.toThrow(/no artifact named "features"/);
  });

  it("names the path when the file is missing", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    const exp = project.log("x", (e) => e.logArtifact("a", [1], "json"));
    await project.save();
    rmSync(join(dir, exp.slug, "a-20250120132330.json"));
    const reopened = await Project.open(join(dir, "project.json"), { mode: "r" });
    await expect(reopened.get("x").loadArtifact("a")).rejects.toThrow(
      new RegExp(`no file at .*${exp.slug}/a-20250120132330\\.json`),
    );
  });

  it("works on experiments of read-only projects, which cannot change", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    project.log("x", (e) => e.logArtifact("a", "text", "json"));
    await project.save();
    const reopened = await Project.open(`${folder}/project.json`, { mode: "r" });
    const exp = reopened.get("x");
    expect(Object.isFrozen(exp)).toBe(true);
    expect(await exp.loadArtifact("a")).toBe("text");
    expect(() => (exp.artifacts as unknown[]).push({})).toThrow(ReadOnlyError);
  });
});
