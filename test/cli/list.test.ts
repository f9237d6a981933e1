import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { writeProject } from "./projects.js";
import { lazyscribe } from "./run.js";

const BASIC = fixture("basic", "project.json");

describe("lazyscribe list", () => {
  it("prints the experiments as a table: the parameters that differ, then each metric", async () => {
    const result = await lazyscribe(["list", BASIC]);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "name           slug                          author  created              tags          algorithm  balanced  features           grid                           seed   auroc  losses            n_trees",
        "-------------  ----------------------------  ------  -------------------  ------------  ---------  --------  -----------------  -----------------------------  ----  ------  ----------------  -------",
        'My experiment  my-experiment-20240301101530  alice   2024-03-01 10:15:30  baseline, v1  lightgbm   true      ["age", "income"]  {"depth": [3, 5], "lr": 0.05}  null  0.8731  [0.9, 0.5, 0.25]      200',
        "Second run     second-run-20240302080000     bob     2024-03-02 08:00:00                                                                                                0.9",
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
        parameters: {
          algorithm: "lightgbm",
          balanced: true,
          features: ["age", "income"],
          grid: { depth: [3, 5], lr: 0.05 },
          seed: null,
        },
        metrics: { auroc: 0.8731, losses: [0.9, 0.5, 0.25], n_trees: 200 },
      },
    ]);
  });

  it("sorts by a parameter, and by the parameter or the metric of a name both have when a prefix says which", async () => {
    const fpath = join(tempDir(), "sweep.json");
    const project = await Project.open(fpath, { mode: "w", author: "alice" });
    for (const [name, lr, score] of [
      ["a", 0.1, 3],
      ["b", 0.01, 1],
      ["c", 0.05, 2],
    ] as const) {
      project.log(name, (exp) => {
        exp.logParameter("lr", lr);
        exp.logParameter("score", -score);
        exp.logMetric("score", score);
      });
    }
    await project.save();
    const names = async (...args: string[]) =>
      JSON.parse((await lazyscribe(["list", fpath, "--json", ...args])).stdout).map(
        (r: { name: string }) => r.name,
      );
    expect(await names("--sort", "lr")).toEqual(["b", "c", "a"]);
    expect(await names("--sort", "params.lr", "--desc")).toEqual(["a", "c", "b"]);
    expect(await names("--sort", "score")).toEqual(["b", "c", "a"]);
    expect(await names("--sort", "metrics.score")).toEqual(["b", "c", "a"]);
    expect(await names("--sort", "params.score")).toEqual(["a", "c", "b"]);
  });

  it("refuses to sort by a metric no experiment has, on one line", async () => {
    const result = await lazyscribe(["list", BASIC, "--sort", "f1"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'lazyscribe: cannot sort by "f1": no experiment has that metric or parameter (metrics: auroc, losses, n_trees; parameters: algorithm, balanced, features, grid, seed; or name, slug, author, created)\n',
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

/** A learning-rate sweep: lr differs, batch_size does not. */
const sweep = () =>
  writeProject(
    [0.1, 0.01, 0.001].map((lr, i) => ({
      name: `lr ${lr}`,
      created: `2024-05-0${i + 1}T10:00:00`,
      parameters: { lr, batch_size: 32, optimizer: i === 2 ? "sgd" : "adam" },
      metrics: { auroc: 0.8 + i / 100, loss: 0.5 - i / 10 },
    })),
  );

describe("lazyscribe list columns", () => {
  it("shows the parameters that differ by default, so a sweep shows what it swept", async () => {
    const result = await lazyscribe(["list", await sweep()]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        "name      slug                     author  created              tags     lr  optimizer  auroc  loss",
        "--------  -----------------------  ------  -------------------  ----  -----  ---------  -----  ----",
        "lr 0.1    lr-0-1-20240501100000    tester  2024-05-01 10:00:00          0.1  adam         0.8   0.5",
        "lr 0.01   lr-0-01-20240502100000   tester  2024-05-02 10:00:00         0.01  adam        0.81   0.4",
        "lr 0.001  lr-0-001-20240503100000  tester  2024-05-03 10:00:00        0.001  sgd         0.82   0.3",
        "",
      ].join("\n"),
    );
  });

  it("shows whole slugs, however long, whatever the terminal's width", async () => {
    const name = "a rather long experiment name that goes on and on";
    const fpath = await writeProject([{ name, created: "2024-05-01T10:00:00" }]);
    const result = await lazyscribe(["list", fpath]);
    const slug = "a-rather-long-experiment-name-that-goes-on-and-on-20240501100000";
    expect(result.stdout.split("\n")[2]).toBe(
      `a rather long experiment name that goes…  ${slug}  tester  2024-05-01 10:00:00`,
    );
    // In a narrow terminal too: the parameters give way, never the slug.
    const narrow = await listIn({ isTTY: true, columns: 60 }, ["list", fpath]);
    expect(narrow.stdout).toContain(`  ${slug}  `);
  });

  it("picks parameters and metrics with --columns, in its order, bare or prefixed", async () => {
    const fpath = await sweep();
    const result = await lazyscribe([
      "list",
      fpath,
      "--columns",
      "loss,params.lr",
      "-c",
      "batch_size",
    ]);
    expect(result.stdout.split("\n").slice(0, 3)).toEqual([
      "name      slug                     author  created              tags  loss     lr  batch_size",
      "--------  -----------------------  ------  -------------------  ----  ----  -----  ----------",
      "lr 0.1    lr-0-1-20240501100000    tester  2024-05-01 10:00:00         0.5    0.1          32",
    ]);
  });

  it("asks which one a name means when it is a metric and a parameter", async () => {
    const fpath = await writeProject([
      { name: "Both", created: "2024-05-01T10:00:00", parameters: { k: 5 }, metrics: { k: 0.5 } },
    ]);
    expect(await lazyscribe(["list", fpath, "--columns", "k"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'lazyscribe: --columns: "k" is both a metric and a parameter: write metrics.k or params.k\n',
    });
    const both = await lazyscribe(["list", fpath, "--columns", "metrics.k,parameters.k"]);
    expect(both.stdout.split("\n")[0]).toBe(
      "name  slug                 author  created              tags  metrics.k  params.k",
    );
  });

  it("names what there is when --columns names what no experiment has", async () => {
    const fpath = await sweep();
    expect(await lazyscribe(["list", fpath, "--columns", "lr,momentum"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'lazyscribe: --columns: no experiment has "momentum" (metrics: auroc, loss; parameters: batch_size, lr, optimizer)\n',
    });
    const wrongSource = await lazyscribe(["list", fpath, "--columns", "metrics.lr"]);
    expect(wrongSource.stderr).toContain('no experiment has "metrics.lr"');
  });

  it("fits the differing parameters to the terminal's width and names those left out", async () => {
    const fpath = await sweep();
    // name..tags take 65 columns; the metrics 13; lr 7: optimizer (11) no longer fits in 90.
    const result = await listIn({ isTTY: true, columns: 90 }, ["list", fpath]);
    expect(result.stderr).toBe(
      "note: 1 more parameters differ between these experiments (optimizer): show them with --columns\n",
    );
    expect(result.stdout.split("\n")[0]).toBe(
      "name      slug                     author  created              tags     lr  auroc  loss",
    );
    const wide = await listIn({ isTTY: true, columns: 200 }, ["list", fpath]);
    expect(wide.stderr).toBe("");
    expect(wide.stdout.split("\n")[0]).toContain("lr  optimizer  auroc  loss");
  });
});

/** Runs `lazyscribe ...args` in this process with stdout looking like `terminal`. */
async function listIn(terminal: { isTTY: boolean; columns: number }, args: string[]) {
  let stdout = "";
  let stderr = "";
  await runCli(args, {
    stdout: { ...terminal, write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { stdout, stderr };
}
