import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRelease, Project, Repository, release } from "../../src/index.js";
import { fixture, fixtureJson, fixtureText, tempDir } from "../helpers/fixtures.js";
import { at, copyOfFixture, text, useFakeClock } from "./helpers.js";

useFakeClock("2024-04-01T10:00:00Z");

describe("the artifacts project written by Python lazyscribe 2.2.1", () => {
  it("loads, and its list equals what Python reads back", async () => {
    const project = await Project.open(fixture("artifacts", "project.json"), { mode: "r" });
    expect([...project]).toEqual(fixtureJson("artifacts", "expected.json"));
  });

  it("loads its artifacts with their exact values: indent=4, a subfolder fname, a test's", async () => {
    const project = await Project.open(fixture("artifacts", "project.json"), { mode: "r" });
    const experiment = project.get("with-artifacts");
    expect(await experiment.loadArtifact("features")).toEqual(["a", "b", "c"]);
    expect(await experiment.loadArtifact("config")).toEqual({ lr: 0.1, layers: [64, 32] });
    const [test] = experiment.tests;
    expect(await test?.loadArtifact("preds")).toEqual([0.1, 0.9]);
  });

  it("logging the same artifacts at the same time writes Python's bytes, project and artifact files", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "w", author: "alice" });
    at("2024-04-01T10:00:00");
    await project.log("With artifacts", async (exp) => {
      exp.logArtifact("features", ["a", "b", "c"], "json", { indent: 4 });
      exp.logArtifact("config", { lr: 0.1, layers: [64, 32] }, "json", {
        fname: "nested/config.json",
      });
      await exp.logTest("Holdout", (test) => {
        test.logMetric("auroc", 0.66);
        test.logArtifact("preds", [0.1, 0.9], "json");
      });
    });
    await project.save();
    const files = [
      "project.json",
      "with-artifacts-20240401100000/features-20240401100000.json",
      "with-artifacts-20240401100000/nested/config.json",
      "with-artifacts-20240401100000/holdout/preds-20240401100000.json",
    ];
    for (const file of files) {
      expect(text(dir, file), file).toBe(fixtureText("artifacts", ...file.split("/")));
    }
  });

  it("opening in w+ and saving writes the project file back unchanged and rewrites no artifact", async () => {
    const dir = copyOfFixture("artifacts");
    const artifactFile = join(dir, "with-artifacts-20240401100000", "features-20240401100000.json");
    rmSync(artifactFile);
    const project = await Project.open(join(dir, "project.json"), { mode: "w+" });
    await project.save();
    expect(text(dir, "project.json")).toBe(fixtureText("artifacts", "project.json"));
    expect(existsSync(artifactFile)).toBe(false);
  });

  it("the project with test artifacts of Python's own suite loads, test artifacts included", async () => {
    const project = await Project.open(
      fixture("upstream-tests-data", "project_with_test_artifacts.json"),
      { mode: "r" },
    );
    const [test] = project.get("my-experiment").tests;
    expect(test?.artifacts).toEqual([
      {
        name: "confusion-matrix",
        fname: "confusion-matrix-20220101093000.json",
        created_at: "2022-01-01T09:30:00",
        expiry: null,
        version: 0,
        handler: "json",
      },
    ]);
  });
});

describe("the repository written by Python lazyscribe 2.2.1", () => {
  it("loads, and its list equals what Python reads back", async () => {
    const repository = await Repository.open(fixture("repository", "repository.json"), {
      mode: "r",
    });
    expect([...repository]).toEqual(fixtureJson("repository", "expected.json"));
  });

  it("reads expiry back as a Date, and honours it", async () => {
    const repository = await Repository.open(fixture("repository", "repository.json"), {
      mode: "r",
    });
    const [first] = repository.artifacts;
    expect(first?.expiry).toEqual(new Date("2024-03-01T00:00:00Z"));
    expect(
      await repository.loadArtifact("features", { version: "2024-01-15T00:00:00", match: "asof" }),
    ).toEqual([0, 1, 2]);
    expect(await repository.loadArtifact("features", { version: 0 })).toEqual([0, 1, 2]);
    expect(await repository.loadArtifact("features")).toEqual([0, 1, 2, 3]);
    expect(await repository.loadArtifact("thresholds")).toEqual({ cut: 0.5 });
  });

  it("opening in w+ and saving writes the repository file back unchanged", async () => {
    const dir = copyOfFixture("repository");
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
    await repository.save();
    expect(text(dir, "repository.json")).toBe(fixtureText("repository", "repository.json"));
  });

  it("logging the same versions at the same times writes Python's bytes", async () => {
    const dir = tempDir();
    const repository = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    at("2024-01-01T00:00:00");
    repository.logArtifact("features", [0, 1, 2], "json", { indent: 4 });
    at("2024-02-01T00:00:00");
    repository.logArtifact("features", [0, 1, 2, 3], "json");
    at("2024-01-15T00:00:00");
    repository.logArtifact("thresholds", { cut: 0.5 }, "json");
    repository.setArtifactExpiry("features", { version: 0, expiry: "2024-03-01T00:00:00" });
    await repository.save();
    for (const file of [
      "repository.json",
      "features/features-20240101000000.json",
      "features/features-20240201000000.json",
      "thresholds/thresholds-20240115000000.json",
    ]) {
      expect(text(dir, file), file).toBe(fixtureText("repository", ...file.split("/")));
    }
  });

  it("its releases.json loads, and dumps back to the same bytes", async () => {
    const releases = await release.load(fixture("repository", "releases.json"));
    expect(releases.map((r) => [r.tag, r.artifacts, r.createdAt])).toEqual([
      [
        "v0.9.0",
        [
          ["features", 0],
          ["thresholds", 0],
        ],
        new Date("2024-01-20T00:00:00Z"),
      ],
      [
        "v1.0.0",
        [
          ["features", 1],
          ["thresholds", 0],
        ],
        new Date("2024-02-15T00:00:00Z"),
      ],
    ]);
    expect(release.dumps(releases)).toBe(fixtureText("repository", "releases.json"));
  });

  it("a release made as of Python's v1.0.0 holds the same versions", async () => {
    const repository = await Repository.open(fixture("repository", "repository.json"), {
      mode: "r",
    });
    at("2024-02-15T00:00:00");
    const made = createRelease(repository, "v1.0.0");
    const [python] = (await release.load(fixture("repository", "releases.json"))).slice(-1);
    expect(made).toEqual(python);
  });

  it("Python's upstream repository.json (python_version keys, no expiry) keeps its keys on save", async () => {
    const dir = tempDir();
    const file = join(dir, "repository.json");
    const original = readFileSync(fixture("upstream-tests-data", "repository.json"), "utf8");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, original);
    const repository = await Repository.open(file, { mode: "w+" });
    expect(repository.artifacts.map((a) => a.version)).toEqual([0, 1, 2, 3]);
    expect(repository.getArtifactMetadata("test")).toMatchObject({
      python_version: "3.10",
      version: 3,
    });
    await repository.save();
    expect(readFileSync(file, "utf8")).toBe(original);
  });
});
