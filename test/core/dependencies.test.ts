import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Experiment, NotFoundError, Project, registry } from "../../src/index.js";
import { fixture, fixtureText, tempDir } from "../helpers/fixtures.js";

const cwd = process.cwd();
afterEach(() => {
  process.chdir(cwd);
  registry.clear();
});

describe("dependencies", () => {
  it("resolves a path relative to the working folder, as Python does", async () => {
    const root = tempDir();
    mkdirSync(join(root, "tests", "data"), { recursive: true });
    for (const f of ["project.json", "down-project.json"]) {
      cpSync(fixture("upstream-tests-data", f), join(root, "tests", "data", f));
    }
    process.chdir(root);
    const project = await Project.open("tests/data/down-project.json", { mode: "r" });
    const [experiment] = project.experiments;
    await experiment?.loadDependencies();
    expect(Object.keys(experiment?.dependencies ?? {})).toEqual(["my-experiment"]);
    expect(experiment?.dependencies["my-experiment"]?.slug).toBe("my-experiment-20220101093000");
    expect([...project][0]?.dependencies).toEqual([
      "tests/data/project.json|my-experiment-20220101093000",
    ]);
  });

  it("writes the references back unchanged", async () => {
    const dir = tempDir();
    for (const f of ["downstream.json", "upstream.json"])
      cpSync(fixture("dependencies", f), join(dir, f));
    const project = await Project.open(join(dir, "downstream.json"), { mode: "w+" });
    await project.save();
    expect(readFileSync(join(dir, "downstream.json"), "utf8")).toBe(
      fixtureText("dependencies", "downstream.json"),
    );
  });

  it("names a dependency whose project cannot be found, when it is asked for", async () => {
    const dir = tempDir();
    cpSync(fixture("dependencies", "downstream.json"), join(dir, "downstream.json"));
    const project = await Project.open(join(dir, "downstream.json"));
    const error = await project.experiments[0]?.loadDependencies().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain(
      'dependency "upstream.json|feature-build-20240201070000"',
    );
    expect((error as Error).message).toContain("record 0");
  });

  it("names a dependency whose experiment is missing", async () => {
    const up = await Project.open("memory://deps/up.json", { mode: "w", author: "a" });
    up.log("Something else", () => undefined);
    await up.save();
    const down = await Project.open("memory://deps/down.json", { mode: "w", author: "a" });
    down.log("Down", (exp) =>
      exp.addDependency(new Experiment({ name: "Gone", project: "memory://deps/up.json" })),
    );
    await down.save();
    const reread = await Project.open("memory://deps/down.json");
    await expect(reread.get("down").loadDependencies()).rejects.toThrow(
      /names experiment "gone-\d{14}"/,
    );
  });

  it("resolves registry keys and writes them", async () => {
    const upstream = await Project.open(fixture("dependencies", "upstream.json"), { mode: "r" });
    registry.addProject("features", upstream);
    const down = await Project.open("memory://reg/down.json", { mode: "w", author: "a" });
    down.log("Model", (exp) => exp.addDependency(upstream.get("feature-build"), "features"));
    await down.save();
    const reread = await Project.open("memory://reg/down.json", { mode: "r" });
    expect([...reread][0]?.dependencies).toEqual(["features|feature-build-20240201070000"]);
    const deps = await reread.get("model").loadDependencies();
    expect(deps["feature-build"]?.metrics).toEqual({ rows: 1000 });
    expect(reread.get("model").dependencies).toEqual(deps);
  });

  it("follows a circle of dependencies without looping: each file is opened once", async () => {
    const a = await Project.open("memory://cycle/a.json", { mode: "w", author: "x" });
    const b = await Project.open("memory://cycle/b.json", { mode: "w", author: "x" });
    const ea = a.log("A", () => undefined);
    const eb = b.log("B", (exp) => exp.addDependency(ea, "memory://cycle/a.json"));
    ea.addDependency(eb, "memory://cycle/b.json");
    await a.save();
    await b.save();
    const reread = await Project.open("memory://cycle/a.json");
    const upstreamB = (await reread.get("a").loadDependencies()).b;
    expect(upstreamB?.slug).toBe(eb.slug);
    const backToA = (await upstreamB?.loadDependencies())?.a;
    expect(backToA).toBe(reread.get("a"));
  });
});
