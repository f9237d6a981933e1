import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Project } from "../../src/index.js";
import { fixture, fixtureJson, fixtureText, tempDir } from "../helpers/fixtures.js";

const SCENARIOS = ["basic", "modes", "artifacts"];

describe("files written by Python lazyscribe 2.2.1", () => {
  it.each(SCENARIOS)("%s: [...project] equals what Python's list(project) gives", async (name) => {
    const project = await Project.open(fixture(name, "project.json"), { mode: "r" });
    expect([...project]).toEqual(fixtureJson(name, "expected.json"));
  });

  it.each(SCENARIOS)(
    "%s: opening in w+ and saving unchanged reproduces Python's bytes",
    async (name) => {
      const dir = tempDir();
      const file = join(dir, "project.json");
      cpSync(fixture(name, "project.json"), file);
      const project = await Project.open(file, { mode: "w+", author: "someone-else" });
      await project.save();
      expect(readFileSync(file, "utf8")).toBe(fixtureText(name, "project.json"));
    },
  );

  it("dependencies: the upstream experiment is resolved beside the project file", async () => {
    const project = await Project.open(fixture("dependencies", "downstream.json"), { mode: "r" });
    expect([...project]).toEqual(fixtureJson("dependencies", "expected.json"));
    const [experiment] = project.experiments;
    const upstream = (await experiment?.loadDependencies())?.["feature-build"];
    expect(upstream?.slug).toBe("feature-build-20240201070000");
    expect(upstream?.metrics).toEqual({ rows: 1000 });
    expect(upstream?.readOnly).toBe(true);
  });

  it("modes: the record edited by carol keeps its last_updated_by", async () => {
    const project = await Project.open(fixture("modes", "project.json"), { mode: "a" });
    const experiment = project.get("edited-later");
    expect(experiment.author).toBe("alice");
    expect(experiment.lastUpdatedBy).toBe("carol");
    expect(experiment.lastUpdated.toISOString()).toBe("2024-01-03T09:00:00.000Z");
  });
});
