import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { lazyscribe } from "./run.js";

const BASIC = fixture("basic", "project.json");

describe("lazyscribe list", () => {
  it("prints the experiments as a table with one column per metric", async () => {
    const result = await lazyscribe(["list", BASIC]);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "name           slug                          author  created              tags           auroc            losses  n_trees",
        "-------------  ----------------------------  ------  -------------------  ------------  ------  ----------------  -------",
        "My experiment  my-experiment-20240301101530  alice   2024-03-01 10:15:30  baseline, v1  0.8731  [0.9, 0.5, 0.25]      200",
        "Second run     second-run-20240302080000     bob     2024-03-02 08:00:00                   0.9",
        "",
      ].join("\n"),
    });
  });

  it("sorts by a metric in descending order", async () => {
    const result = await lazyscribe(["list", BASIC, "--sort", "auroc", "--desc", "--json"]);
    expect(JSON.parse(result.stdout).map((r: { slug: string }) => r.slug)).toEqual([
      "second-run-20240302080000",
      "my-experiment-20240301101530",
    ]);
  });

  it("keeps experiments without the sort metric last", async () => {
    const result = await lazyscribe(["list", BASIC, "--sort", "n_trees", "--json"]);
    expect(JSON.parse(result.stdout).map((r: { name: string }) => r.name)).toEqual([
      "My experiment",
      "Second run",
    ]);
  });

  it("keeps only the experiments with every given tag", async () => {
    const result = await lazyscribe(["list", BASIC, "--tag", "baseline", "--tag", "v1"]);
    expect(result.stdout.split("\n").filter((l) => l.startsWith("My experiment"))).toHaveLength(1);
    expect(result.stdout).not.toContain("Second run");
  });

  it("prints a JSON summary of each experiment with --json", async () => {
    const result = await lazyscribe(["list", BASIC, "--json", "--tag", "v1"]);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        name: "My experiment",
        slug: "my-experiment-20240301101530",
        short_slug: "my-experiment",
        author: "alice",
        created_at: "2024-03-01T10:15:30",
        last_updated: "2024-03-01T10:15:30",
        tags: ["baseline", "v1"],
        metrics: { auroc: 0.8731, losses: [0.9, 0.5, 0.25], n_trees: 200 },
      },
    ]);
  });

  it("refuses to sort by a metric no experiment has, on one line", async () => {
    const result = await lazyscribe(["list", BASIC, "--sort", "f1"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'lazyscribe: cannot sort by "f1": no experiment has that metric (metrics: auroc, losses, n_trees; or name, slug, author, created)\n',
    });
  });

  it("says so when the project has no experiments", async () => {
    const fpath = join(tempDir(), "empty.json");
    await (await Project.open(fpath, { mode: "w" })).save();
    expect(await lazyscribe(["list", fpath])).toEqual({
      code: 0,
      stdout: "no experiments\n",
      stderr: "",
    });
  });

  it("shows terminal escape sequences in names as text", async () => {
    const fpath = join(tempDir(), "escape.json");
    const project = await Project.open(fpath, { mode: "w", author: "eve" });
    project.log("red \u001b[31m name", (exp) => exp.logMetric("score", Number.NaN));
    await project.save();
    const result = await lazyscribe(["list", fpath]);
    expect(result.stdout).not.toContain("\u001b");
    expect(result.stdout).toContain("red \\u001b[31m name");
    expect(result.stdout).toMatch(/NaN\n$/);
  });
});
