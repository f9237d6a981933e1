import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ArtifactLoadError,
  ArtifactLogError,
  Project,
  ReadOnlyError,
  Repository,
  SaveError,
} from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { at, memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

const FEATURES_V0 = {
  name: "features",
  fname: "features-20250120132330.json",
  created_at: "2025-01-20T13:23:30",
  expiry: null,
  handler: "json",
  version: 0,
};

/** A saved project in `dir` whose experiment "My experiment" has a "features" artifact. */
async function savedProject(dir: string, time = "2025-01-20T13:23:30"): Promise<string> {
  const file = join(dir, "project.json");
  const project = await Project.open(file, { mode: "w" });
  at(time);
  project.log("My experiment", (exp) => exp.logArtifact("features", [0, 1, 2], "json"));
  await project.save();
  return file;
}

describe("promoteArtifact (Python's promotion suite)", () => {
  it("refuses an artifact the experiment does not have", async () => {
    const project = await Project.open(`${memoryFolder()}/project.json`, { mode: "w" });
    const repository = await Repository.open(`${memoryFolder()}/repository.json`, { mode: "w" });
    const exp = project.log("My experiment");
    await expect(exp.promoteArtifact(repository, "fake-artifact")).rejects.toThrow(
      ArtifactLoadError,
    );
  });

  it("refuses an artifact older than the repository's latest version", async () => {
    const dir = tempDir();
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    at("2025-01-01T00:00:00");
    repository.logArtifact("features", [0, 1], "json");
    await repository.save();
    const file = await savedProject(dir, "2024-12-31T00:00:00");
    const reloaded = await Project.open(file, { mode: "r" });
    const reopened = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
    await expect(
      reloaded.get("my-experiment").promoteArtifact(reopened, "features"),
    ).rejects.toThrow(ArtifactLogError);
    await expect(
      reloaded.get("my-experiment").promoteArtifact(reopened, "features"),
    ).rejects.toThrow(/not newer than the latest version/);
  });

  it("refuses an artifact created at the same second as the latest version", async () => {
    const dir = tempDir();
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    repository.logArtifact("features", [0, 1], "json");
    await repository.save();
    const file = await savedProject(dir);
    const reloaded = await Project.open(file, { mode: "r" });
    const reopened = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
    await expect(
      reloaded.get("my-experiment").promoteArtifact(reopened, "features"),
    ).rejects.toThrow(ArtifactLogError);
  });

  it("before the project is saved, it is a plain logArtifact: the repository saves it", async () => {
    const dir = tempDir();
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    await project.log("My experiment", async (exp) => {
      exp.logArtifact("features", [0, 1, 2], "json");
      at("2025-03-01T00:00:00");
      await exp.promoteArtifact(repository, "features");
    });
    expect(repository.getArtifactMetadata("features")).toEqual(FEATURES_V0);
    expect(repository.get("features").dirty).toBe(true);
    expect(existsSync(join(dir, "repository.json"))).toBe(false);
    expect(await repository.loadArtifact("features")).toEqual(
      await project.get("my-experiment").loadArtifact("features"),
    );
    await repository.save();
    expect(readFileSync(join(dir, "features", "features-20250120132330.json"), "utf8")).toBe(
      "[0, 1, 2]",
    );
  });

  it("after the project is saved, copies the file into the repository and saves it", async () => {
    const dir = tempDir();
    const file = await savedProject(dir);
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    at("2025-03-01T00:00:00");
    const reloaded = await Project.open(file, { mode: "r" });
    await reloaded.get("my-experiment").promoteArtifact(repository, "features");
    expect(existsSync(join(dir, "features", "features-20250120132330.json"))).toBe(true);
    expect(repository.getArtifactMetadata("features")).toEqual(FEATURES_V0);
    expect(JSON.parse(readFileSync(join(dir, "repository.json"), "utf8"))).toEqual([FEATURES_V0]);
    expect(repository.dirty).toBe(false);
  });

  it("a newer artifact becomes the next version", async () => {
    const dir = tempDir();
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    at("2025-01-01T00:00:00");
    repository.logArtifact("features", [0, 1], "json");
    await repository.save();
    const file = await savedProject(dir);
    const reloaded = await Project.open(file, { mode: "r" });
    const reopened = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
    await reloaded.get("my-experiment").promoteArtifact(reopened, "features");
    expect(reopened.getArtifactMetadata("features")).toEqual({ ...FEATURES_V0, version: 1 });
    expect(JSON.parse(readFileSync(join(dir, "repository.json"), "utf8"))).toEqual([
      {
        name: "features",
        fname: "features-20250101000000.json",
        created_at: "2025-01-01T00:00:00",
        expiry: null,
        handler: "json",
        version: 0,
      },
      { ...FEATURES_V0, version: 1 },
    ]);
    expect(await reopened.loadArtifact("features", { version: 1 })).toEqual([0, 1, 2]);
  });

  it("when the repository save fails, the copy is removed and the repository is as before", async () => {
    const dir = tempDir();
    const file = await savedProject(dir);
    const repositoryFile = join(dir, "repo", "repository.json");
    mkdirSync(join(repositoryFile, "in-the-way"), { recursive: true });
    const repository = await Repository.open(repositoryFile, { mode: "w" });
    at("2025-03-01T00:00:00");
    const reloaded = await Project.open(file, { mode: "r" });
    await expect(
      reloaded.get("my-experiment").promoteArtifact(repository, "features"),
    ).rejects.toThrow(SaveError);
    expect(existsSync(join(dir, "repo", "features", "features-20250120132330.json"))).toBe(false);
    expect(repository.artifacts).toHaveLength(0);
  });

  it("copies across storage backends: a memory:// project into a local repository", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    project.log("My experiment", (exp) => exp.logArtifact("features", [0, 1, 2], "json"));
    await project.save();
    const dir = tempDir();
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    await project.get("my-experiment").promoteArtifact(repository, "features");
    expect(readFileSync(join(dir, "features", "features-20250120132330.json"), "utf8")).toBe(
      "[0, 1, 2]",
    );
  });

  it("keeps a subfolder file name inside the artifact's folder", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    project.log("x", (exp) => exp.logArtifact("config", { a: 1 }, "json", { fname: "n/c.json" }));
    await project.save();
    const repository = await Repository.open(`${folder}/repo/repository.json`, { mode: "w" });
    await project.get("x").promoteArtifact(repository, "config");
    expect(await repository.loadArtifact("config")).toEqual({ a: 1 });
  });

  it("refuses a read-only repository", async () => {
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    const exp = project.log("x", (e) => e.logArtifact("a", [1], "json"));
    const repository = await Repository.open(`${folder}/repository.json`, { mode: "r" });
    await expect(exp.promoteArtifact(repository, "a")).rejects.toThrow(ReadOnlyError);
  });
});
