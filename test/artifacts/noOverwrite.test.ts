import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArtifactLogError, Experiment, Project, Repository } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { at, memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

describe("repository versions logged in the same second", () => {
  it("each get a file of their own, load their own value and differ in getVersionDiff", async () => {
    const dir = tempDir();
    const fpath = join(dir, "repository.json");
    const repository = await Repository.open(fpath, { mode: "w+" });
    for (const i of [0, 1, 2]) repository.logArtifact("features", [i], "json");
    await repository.save();
    expect(readdirSync(join(dir, "features")).sort()).toEqual([
      "features-20250120132330-v1.json",
      "features-20250120132330-v2.json",
      "features-20250120132330.json",
    ]);
    const records = JSON.parse(readFileSync(fpath, "utf8")) as { fname: string; version: number }[];
    expect(records.map((r) => [r.version, r.fname])).toEqual([
      [0, "features-20250120132330.json"],
      [1, "features-20250120132330-v1.json"],
      [2, "features-20250120132330-v2.json"],
    ]);
    const reread = await Repository.open(fpath, { mode: "r" });
    for (const i of [0, 1, 2]) {
      expect(await reread.loadArtifact("features", { version: i })).toEqual([i]);
    }
    expect(await reread.getVersionDiff("features", [0, 1])).toBe(
      [
        "--- features/features-20250120132330.json",
        "+++ features/features-20250120132330-v1.json",
        "@@ -1 +1 @@",
        "-[0]",
        "+[1]",
        "",
      ].join("\n"),
    );
  });

  it("refuses a chosen file name another version has, naming the remedy", async () => {
    const repository = await Repository.open(`${memoryFolder()}/repository.json`);
    repository.logArtifact("model", { a: 1 }, "json", { fname: "model.json" });
    at("2025-01-21T00:00:00");
    expect(() =>
      repository.logArtifact("model", { a: 2 }, "json", { fname: "model.json" }),
    ).toThrow(ArtifactLogError);
    expect(() =>
      repository.logArtifact("model", { a: 2 }, "json", { fname: "model.json" }),
    ).toThrow(
      'another version of "model" already has the file "model.json", which this version would overwrite; pass another fname, or none to get a file of its own',
    );
    expect(repository.artifacts).toHaveLength(1);
  });

  it("a promoted artifact whose file name a version has gets its own", async () => {
    const folder = memoryFolder();
    const repository = await Repository.open(`${folder}/repository.json`);
    repository.logArtifact("model", { a: 1 }, "json", { fname: "model.json" });
    await repository.save();
    at("2025-01-21T00:00:00");
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    const exp = project.log("train", (e) =>
      e.logArtifact("model", { a: 2 }, "json", { fname: "model.json" }),
    );
    await project.save();
    await exp.promoteArtifact(repository, "model");
    expect(repository.artifacts.map((a) => [a.version, a.fname])).toEqual([
      [0, "model.json"],
      [1, "model-v1.json"],
    ]);
    const reread = await Repository.open(`${folder}/repository.json`, { mode: "r" });
    expect(await reread.loadArtifact("model", { version: 0 })).toEqual({ a: 1 });
    expect(await reread.loadArtifact("model", { version: 1 })).toEqual({ a: 2 });
  });
});

describe("experiment artifacts", () => {
  it("two names with the same slug logged in one second get two files", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    const exp = project.log("x", (e) => {
      e.logArtifact("Features", [1], "json");
      e.logArtifact("features", [2], "json");
    });
    expect(exp.artifacts.map((a) => a.fname)).toEqual([
      "features-20250120132330.json",
      "features-20250120132330-2.json",
    ]);
    await project.save();
    const reread = await Project.open(join(dir, "project.json"), { mode: "r" });
    const [saved] = reread.experiments;
    expect(await saved?.loadArtifact("Features")).toEqual([1]);
    expect(await saved?.loadArtifact("features")).toEqual([2]);
  });

  it("refuses a chosen file name another artifact has; overwrite keeps its own", () => {
    const exp = new Experiment({ name: "x", project: "memory://a/project.json" });
    exp.logArtifact("a", [1], "json", { fname: "data.json" });
    expect(() => exp.logArtifact("b", [2], "json", { fname: "data.json" })).toThrow(
      'artifact "b" of experiment "x-20250120132330": another artifact of experiment "x-20250120132330" already has the file "data.json"; pass another fname, or none to get a file of its own',
    );
    exp.logArtifact("a", [3], "json", { fname: "data.json", overwrite: true });
    expect(exp.artifacts.map((a) => [a.name, a.fname])).toEqual([["a", "data.json"]]);
  });
});

describe("names whose files the storage cannot hold are refused when the artifact is logged", () => {
  it("a 300-character experiment name with an artifact fails at logArtifact; the others save", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { mode: "w" });
    project.log("before", (e) => e.logArtifact("a", [1], "json"));
    const long = "n".repeat(300);
    expect(() => project.log(long, (e) => e.logArtifact("a", [1], "json"))).toThrow(
      ArtifactLogError,
    );
    expect(() => project.log(long, (e) => e.logArtifact("a", [1], "json"))).toThrow(
      `artifact "a" of experiment "${long}-20250120132330": its file would be ${join(dir, `${long}-20250120132330`, "a-20250120132330.json")}, whose part "${"n".repeat(60)}..." is 315 bytes long; a file system allows 255 bytes per name. Give the experiment, the test or the artifact a shorter name (or a shorter fname).`,
    );
    const kept = project.log(long, (e) => {
      expect(() => e.logArtifact("a", [1], "json")).toThrow(ArtifactLogError);
      e.logMetric("m", 1);
    });
    project.log("after", (e) => e.logArtifact("a", [2], "json"));
    await project.save();
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => e.name)).toEqual(["before", long, "after"]);
    expect(kept.artifacts).toEqual([]);
    expect(await reread.get("after").loadArtifact("a")).toEqual([2]);
  });

  it("counts bytes, not characters, and checks a test's folder and the fname's parts", () => {
    const exp = new Experiment({ name: "x", project: "memory://b/project.json" });
    expect(() => exp.logArtifact("a", 1, "json", { fname: `${"é".repeat(128)}.json` })).toThrow(
      "is 261 bytes long",
    );
    exp.logArtifact("ok", 1, "json", { fname: `${"é".repeat(125)}.json` });
    exp.logTest("t".repeat(256), (t) => {
      expect(() => t.logArtifact("a", 1, "json")).toThrow("is 256 bytes long");
    });
  });

  it("a path longer than the system allows is refused too", () => {
    const deep = Array.from({ length: 20 }, () => "d".repeat(250)).join("/");
    const exp = new Experiment({ name: "x", project: join(tempDir(), "project.json") });
    expect(() => exp.logArtifact("a", 1, "json", { fname: `${deep}/a.json` })).toThrow(
      /its file's path would be \d+ bytes long, more than the 4095 bytes the storage allows/,
    );
  });
});
