import { describe, expect, it } from "vitest";
import { Project } from "../../src/index.js";
import { fixture } from "../helpers/fixtures.js";

describe("toTabular", () => {
  it("gives one row per experiment and per test, as Python's to_tabular", async () => {
    const project = await Project.open(fixture("basic", "project.json"), { mode: "r" });
    const { experiments, tests } = project.toTabular();
    expect(experiments).toEqual([
      {
        name: "My experiment",
        short_slug: "my-experiment",
        slug: "my-experiment-20240301101530",
        author: "alice",
        last_updated_by: "alice",
        created_at: "2024-03-01T10:15:30",
        last_updated: "2024-03-01T10:15:30",
        "metrics.auroc": 0.8731,
        "metrics.losses": [0.9, 0.5, 0.25],
        "metrics.n_trees": 200,
        "parameters.algorithm": "lightgbm",
        "parameters.balanced": true,
        "parameters.seed": null,
      },
      {
        name: "Second run",
        short_slug: "second-run",
        slug: "second-run-20240302080000",
        author: "bob",
        last_updated_by: "bob",
        created_at: "2024-03-02T08:00:00",
        last_updated: "2024-03-02T08:00:00",
        "metrics.auroc": 0.9,
      },
    ]);
    expect(tests).toEqual([
      {
        experiment_name: "My experiment",
        experiment_short_slug: "my-experiment",
        experiment_slug: "my-experiment-20240301101530",
        test: "Subpopulation A",
        description: "age < 30",
        "metrics.auroc": 0.71,
        "parameters.filter": "age < 30",
      },
      {
        experiment_name: "My experiment",
        experiment_short_slug: "my-experiment",
        experiment_slug: "my-experiment-20240301101530",
        test: "Empty test",
        description: null,
      },
    ]);
  });
});
