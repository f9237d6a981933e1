import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ArtifactLogError, Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-03-01T10:15:30.250Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("two tests of one experiment whose names have the same slug", () => {
  it("give the second artifact a file of its own, which both read back", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w" });
    const exp = project.log("run", (e) => {
      e.logTest("Slice A", (t) => t.logArtifact("features", { n: 1 }, "json"));
      e.logTest("slice a", (t) => t.logArtifact("features", { n: 2 }, "json"));
    });
    expect(exp.tests.map((t) => t.artifacts.map((a) => a.fname))).toEqual([
      ["features-20240301101530.json"],
      ["features-20240301101530-2.json"],
    ]);
    await project.save();
    expect(readdirSync(join(dir, "run-20240301101530", "slice-a")).sort()).toEqual([
      "features-20240301101530-2.json",
      "features-20240301101530.json",
    ]);
    const reread = await Project.open(join(dir, "project.json"), { mode: "r" });
    const [first, second] = reread.get("run").tests;
    expect(await first?.loadArtifact("features")).toEqual({ n: 1 });
    expect(await second?.loadArtifact("features")).toEqual({ n: 2 });
  });

  it("refuses an explicit fname the other test has, naming both tests and the remedy", async () => {
    const project = await Project.open("memory://same-test-slug/project.json", { mode: "w" });
    let error: unknown;
    project.log("run", (e) => {
      e.logTest("Slice A", (t) => t.logArtifact("features", { n: 1 }, "json", { fname: "f.json" }));
      e.logTest("slice a", (t) => {
        try {
          t.logArtifact("features", { n: 2 }, "json", { fname: "f.json" });
        } catch (caught) {
          error = caught;
        }
      });
    });
    expect(error).toBeInstanceOf(ArtifactLogError);
    expect((error as Error).message).toBe(
      'artifact "features" of test "slice a": test "Slice A" shares its folder (its name has the same slug) and already has the file "f.json"; pass another fname, or give the test another name',
    );
  });
});
