import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.js";
import { writeProject } from "./projects.js";
import { lazyscribe } from "./run.js";

describe("lazyscribe compare", () => {
  it("puts metrics and parameters side by side and marks the rows that differ", async () => {
    const fpath = await writeProject([
      {
        name: "Baseline",
        created: "2024-05-01T10:00:00",
        metrics: { auroc: 0.81, loss: [0.5, 0.4] },
        parameters: { algorithm: "lightgbm", depth: 3 },
        test: { name: "Holdout", metrics: { auroc: 0.7 } },
      },
      {
        name: "Deeper",
        created: "2024-05-02T10:00:00",
        metrics: { auroc: 0.84, loss: [0.5, 0.3] },
        parameters: { algorithm: "lightgbm", depth: 6 },
        test: { name: "Holdout", metrics: { auroc: 0.7 } },
      },
    ]);
    const result = await lazyscribe(["compare", fpath, "baseline", "deeper"]);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "                        baseline-20240501100000  deeper-20240502100000",
        "----------------------  -----------------------  ---------------------",
        "  author                tester                   tester",
        "* created               2024-05-01 10:00:00      2024-05-02 10:00:00",
        "  tags                  -                        -",
        "* metrics.auroc         0.81                     0.84",
        "* metrics.loss          [0.5, 0.4]               [0.5, 0.3]",
        "  parameters.algorithm  lightgbm                 lightgbm",
        "* parameters.depth      3                        6",
        "  test Holdout: auroc   0.7                      0.7",
        "",
        "* 4 of 8 rows differ between the experiments",
        "",
      ].join("\n"),
    });
  });

  it("shows a dash where an experiment lacks a metric", async () => {
    const result = await lazyscribe([
      "compare",
      fixture("basic", "project.json"),
      "my-experiment",
      "second-run",
    ]);
    expect(result.stdout).toContain(
      "* metrics.n_trees              200                            -\n",
    );
  });

  it("needs two slugs", async () => {
    const result = await lazyscribe(["compare", fixture("basic", "project.json"), "second-run"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "lazyscribe: compare needs at least two experiment slugs\n",
    });
  });

  it("takes slug prefixes and says which experiment each one is", async () => {
    const fpath = await writeProject([
      { name: "Baseline", created: "2024-05-01T10:00:00", metrics: { auroc: 0.81 } },
      { name: "Deeper", created: "2024-05-02T10:00:00", metrics: { auroc: 0.84 } },
    ]);
    const result = await lazyscribe(["compare", fpath, "base", "deeper-2024"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      [
        'note: "base" is baseline-20240501100000 (Baseline)',
        'note: "deeper-2024" is deeper-20240502100000 (Deeper)',
        "",
      ].join("\n"),
    );
    expect(result.stdout.split("\n")[0]).toBe(
      "                 baseline-20240501100000  deeper-20240502100000",
    );
  });
});
