import { cpSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Project } from "../../src/index.js";
import { fixture, fixtureJson, tempDir } from "../helpers/fixtures.js";

const expected = fixtureJson("empty-test-slug", "expected.json") as {
  experiment: string;
  files: string[];
  summary: unknown;
  "per-slice": unknown;
};

describe("a test whose name slugs to an empty string (Python 2.2.1's files)", () => {
  it("opens, and its artifact loads from the experiment's folder as in Python", async () => {
    const project = await Project.open(fixture("empty-test-slug", "project.json"), { mode: "r" });
    const experiment = project.get(expected.experiment);
    const test = experiment.tests[0];
    expect(test?.name).toBe("👍🏽");
    expect(await test?.loadArtifact("per-slice")).toEqual(expected["per-slice"]);
    expect(await experiment.loadArtifact("summary")).toEqual(expected.summary);
  });

  it("takes new artifacts in the experiment's folder too, as Python's test.path does", async () => {
    const dir = tempDir();
    cpSync(fixture("empty-test-slug"), dir, { recursive: true });
    const project = await Project.open(join(dir, "project.json"), { mode: "w+", author: "bob" });
    const test = project.get(expected.experiment).tests[0];
    test?.logArtifact("more", { n: 1 }, "json");
    await project.save();
    const folder = join(dir, expected.experiment);
    const more = readdirSync(folder).filter((f) => f.startsWith("more-"));
    expect(more).toHaveLength(1);
    expect(existsSync(join(folder, `per-slice-${expected.experiment.slice(-14)}.json`))).toBe(true);
    const reread = await Project.open(join(dir, "project.json"), { mode: "r" });
    expect(await reread.get(expected.experiment).tests[0]?.loadArtifact("more")).toEqual({ n: 1 });
  });
});
