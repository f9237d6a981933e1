/**
 * Artifact files are written in one batch per save (`Storage.writeMany`), and a failed batch
 * leaves pending only what it did not write.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Project, SaveError } from "../../src/index.js";
import { LocalStorage, MemoryStorage } from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

afterEach(() => {
  vi.restoreAllMocks();
});

/** A project at `fpath` with `experiments` experiments of `per` JSON artifacts each. */
async function projectWithArtifacts(fpath: string, experiments: number, per: number) {
  const project = await Project.open(fpath, { mode: "w" });
  for (let e = 0; e < experiments; e++) {
    project.log(`Experiment ${e}`, (exp) => {
      for (let k = 0; k < per; k++) exp.logArtifact(`artifact ${k}`, { e, k, x: [k, 0.5] }, "json");
    });
  }
  return project;
}

describe("saving artifacts", () => {
  it("writes every pending artifact of every experiment in one batch, then nothing more", async () => {
    const spy = vi.spyOn(LocalStorage.prototype, "writeMany");
    const dir = tempDir();
    const project = await projectWithArtifacts(join(dir, "project.json"), 5, 4);
    await project.save();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[0]).toHaveLength(20);
    const [first] = project.experiments;
    const file = join(dir, first?.slug ?? "", "artifact-1-20250120132330.json");
    expect(readFileSync(file, "utf8")).toBe('{"e": 0, "k": 1, "x": [1, 0.5]}');
    await project.save();
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("goes through the memory:// backend's batch too (its Observable form, as saves do)", async () => {
    const spy = vi.spyOn(MemoryStorage.prototype, "writeMany$");
    const fpath = `${memoryFolder()}/project.json`;
    await (await projectWithArtifacts(fpath, 2, 3)).save();
    expect(spy.mock.calls[0]?.[0]).toHaveLength(6);
    const reopened = await Project.open(fpath, { mode: "r" });
    expect(await reopened.experiments[1]?.loadArtifact("artifact 2")).toEqual({
      e: 1,
      k: 2,
      x: [2, 0.5],
    });
  });

  it("after a failed batch, writes only what the batch did not write, then the project", async () => {
    const spy = vi.spyOn(LocalStorage.prototype, "writeMany");
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const project = await projectWithArtifacts(fpath, 4, 10);
    const blocked = project.experiments[2];
    const target = join(dir, blocked?.slug ?? "", "artifact-3-20250120132330.json");
    mkdirSync(join(target, "in-the-way"), { recursive: true });
    const error = await project.save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SaveError);
    expect((error as SaveError).message).toContain(
      `artifact "artifact 3" of experiment "${blocked?.slug}" to ${target}`,
    );
    const firstBatch = spy.mock.calls[0]?.[0].length ?? 0;
    rmSync(target, { recursive: true });
    await project.save();
    const retried = spy.mock.calls[1]?.[0] ?? [];
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried.length).toBeLessThan(firstBatch);
    expect(retried.map((f) => f.path)).toContain(target);
    const reopened = await Project.open(fpath, { mode: "r" });
    for (const experiment of reopened.experiments) {
      for (let k = 0; k < 10; k++) {
        expect(await experiment.loadArtifact(`artifact ${k}`)).toMatchObject({ k });
      }
    }
  });
});
