import { describe, expect, it } from "vitest";
import { fixture, fixtureJson } from "../helpers/fixtures.js";
import { writeProject } from "./projects.js";
import { lazyscribe } from "./run.js";

describe("lazyscribe show", () => {
  it("prints one experiment in full with its tests", async () => {
    const result = await lazyscribe(["show", fixture("basic", "project.json"), "my-experiment"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        "My experiment",
        "  slug          my-experiment-20240301101530",
        "  short slug    my-experiment",
        "  author        alice",
        "  created       2024-03-01T10:15:30",
        "  updated       -",
        "  tags          baseline, v1",
        "  dependencies  -",
        "",
        "Metrics",
        "  auroc    0.8731",
        "  losses   [0.9, 0.5, 0.25]",
        "  n_trees  200",
        "",
        "Parameters",
        "  algorithm  lightgbm",
        "  balanced   true",
        '  features   ["age", "income"]',
        '  grid       {"depth": [3, 5], "lr": 0.05}',
        "  seed       null",
        "",
        "Tests (2)",
        "  Subpopulation A: age < 30",
        "    metrics",
        "      auroc  0.71",
        "    parameters",
        "      filter  age < 30",
        "  Empty test",
        "",
        "Artifacts (0)",
        "  none",
        "",
      ].join("\n"),
    );
  });

  it("lists the artifact metadata of the experiment and of its tests", async () => {
    const result = await lazyscribe([
      "show",
      fixture("artifacts", "project.json"),
      "with-artifacts-20240401100000",
    ]);
    expect(result.stdout).toContain(
      [
        "Artifacts (2)",
        "  name      handler  version  file                          created              expiry",
        "  --------  -------  -------  ----------------------------  -------------------  ------",
        "  features  json           0  features-20240401100000.json  2024-04-01T10:00:00",
        "  config    json           0  nested/config.json            2024-04-01T10:00:00",
      ].join("\n"),
    );
    expect(result.stdout).toContain(
      "      preds  json           0  preds-20240401100000.json  2024-04-01T10:00:00",
    );
  });

  it("shows who edited an experiment last", async () => {
    const result = await lazyscribe(["show", fixture("modes", "project.json"), "edited-later"]);
    expect(result.stdout).toContain("  updated       2024-01-03T09:00:00 by carol\n");
  });

  it("prints the record Python reads back with --json", async () => {
    const result = await lazyscribe([
      "show",
      fixture("basic", "project.json"),
      "second-run-20240302080000",
      "--json",
    ]);
    const expected = (fixtureJson("basic", "expected.json") as { slug: string }[]).find(
      (r) => r.slug === "second-run-20240302080000",
    );
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it("names the slug it cannot find, on one line", async () => {
    const fpath = fixture("basic", "project.json");
    const result = await lazyscribe(["show", fpath, "third-run"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: ${fpath}: no experiment with slug or short slug "third-run", nor a slug starting with it (run \`lazyscribe list ${fpath}\` to see them)\n`,
    });
  });
});

describe("lazyscribe show with a slug prefix", () => {
  const sweep = () =>
    writeProject(
      ["lr 0.1", "lr 0.01", "lr 0.011", "lr 0.2"].map((name, i) => ({
        name,
        created: `2024-05-0${i + 1}T10:00:00`,
      })),
    );

  it("takes a prefix only one slug starts with, and says on stderr which experiment it is", async () => {
    const fpath = await sweep();
    const result = await lazyscribe(["show", fpath, "lr-0-2-"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('note: "lr-0-2-" is lr-0-2-20240504100000 (lr 0.2)\n');
    expect(result.stdout.split("\n").slice(0, 2)).toEqual([
      "lr 0.2",
      "  slug          lr-0-2-20240504100000",
    ]);
  });

  it("takes a whole slug or a short slug without a note, even when longer slugs start with it", async () => {
    const fpath = await sweep();
    for (const slug of ["lr-0-01", "lr-0-01-20240502100000"]) {
      const result = await lazyscribe(["show", fpath, slug]);
      expect(result.stderr).toBe("");
      expect(result.stdout.split("\n")[0]).toBe("lr 0.01");
    }
  });

  it("refuses a prefix several slugs start with, listing them", async () => {
    const fpath = await sweep();
    expect(await lazyscribe(["show", fpath, "lr-0-0"])).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: ${fpath}: 2 slugs start with "lr-0-0": lr-0-01-20240502100000 (lr 0.01), lr-0-011-20240503100000 (lr 0.011); give more of the slug\n`,
    });
  });

  it("lists at most ten candidates", async () => {
    const fpath = await writeProject(
      Array.from({ length: 12 }, (_, i) => ({
        name: `run ${i}`,
        created: `2024-05-${String(i + 1).padStart(2, "0")}T10:00:00`,
      })),
    );
    const result = await lazyscribe(["show", fpath, "run"]);
    expect(result.stderr).toMatch(/: 12 slugs start with "run": run-0-20240501100000 \(run 0\), /);
    expect(result.stderr).toContain(
      "run-9-20240510100000 (run 9), and 2 more; give more of the slug\n",
    );
  });
});
