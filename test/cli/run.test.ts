import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";
import { lazyscribe, lazyscribeProcess, spawnLazyscribe } from "./run.js";

const flowFile = (name: string) => fileURLToPath(new URL(`./flows/${name}`, import.meta.url));

/**
 * The output with what changes from run to run replaced: the run's duration by `T`, the
 * creation time in slugs by `YYYYMMDDhhmmss`, a finished experiment's rate and time left by `<pace>`.
 */
const stable = (text: string) =>
  text
    .replace(/ in \d+\.\d\d s:/g, " in T s:")
    .replace(/-\d{14}\b/g, "-YYYYMMDDhhmmss")
    .replace(/ {2}(\d+(\.\d+)?\/[sh]) {2}ETA (-|\d+s|\d+m \d\ds|\d+h \d\dm)$/gm, "  <pace>");

describe("lazyscribe run", () => {
  it("prints a line per finished experiment when output is not a terminal, then the counts", async () => {
    const fpath = join(tempDir(), "project.json");
    const result = await lazyscribe(["run", flowFile("good.ts"), "--param", `fpath=${fpath}`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(stable(result.stdout)).toBe(
      [
        "[1/1] succeeded  Nightly  nightly-YYYYMMDDhhmmss  <pace>",
        'flow "Nightly evaluation" succeeded in T s: experiments: 1 succeeded; tasks: 8 succeeded',
        "",
      ].join("\n"),
    );
    const [record] = JSON.parse(readFileSync(fpath, "utf8"));
    expect(record.metrics).toEqual({ score: 0.93, loss: 0.25 });
  });

  it("prints every task's start and end, and each task's final state, with --verbose", async () => {
    const fpath = join(tempDir(), "project.json");
    const result = await lazyscribe([
      "run",
      flowFile("good.ts"),
      "--param",
      `fpath=${fpath}`,
      "--verbose",
    ]);
    expect(result.code).toBe(0);
    const [log, table, last] = stable(result.stdout).split("\n\n");
    const lines = log?.split("\n") ?? [];
    // The experiment's line comes right after its append.
    const appended = lines.indexOf("succeeded  Append experiment");
    expect(lines[appended + 1]).toBe("[1/1] succeeded  Nightly  nightly-YYYYMMDDhhmmss  <pace>");
    expect(lines.filter((line) => !line.startsWith("[")).sort()).toEqual(
      [
        "fpath",
        "Open project",
        "Score model",
        "Nightly",
        "Log experiment metric",
        "Log experiment metric",
        "Append experiment",
        "Save project",
      ]
        .flatMap((task) => [`started    ${task}`, `succeeded  ${task}`])
        .sort(),
    );
    // A detail is cut at 60 characters: the temporary project's path may be longer.
    const detail = fpath.length > 60 ? `${fpath.slice(0, 59)}…` : fpath;
    expect(table).toBe(
      [
        "#  task                   state      detail",
        `-  ---------------------  ---------  ${"-".repeat(Math.max(6, detail.length))}`,
        `0  fpath                  succeeded  ${detail}`,
        "1  Open project           succeeded  Project",
        "2  Score model            succeeded  0.93",
        "3  Nightly                succeeded  Experiment",
        "4  Log experiment metric  succeeded  0.93",
        "5  Log experiment metric  succeeded  0.25",
        "6  Append experiment      succeeded  Experiment",
        "7  Save project           succeeded  Project",
      ].join("\n"),
    );
    expect(last).toBe(
      'flow "Nightly evaluation" succeeded in T s: experiments: 1 succeeded; tasks: 8 succeeded\n',
    );
  });

  it("exits with 1, lists the failed experiments and tasks, and names the failed task", async () => {
    const fpath = join(tempDir(), "project.json");
    const result = await lazyscribe(["run", flowFile("failing.ts"), "--param", `fpath=${fpath}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'lazyscribe: flow "Broken evaluation" failed: task "Score model" failed: Error: model diverged\n',
    );
    expect(stable(result.stdout)).toBe(
      [
        // The project opens at once (mode "w" reads nothing), so the experiment is started,
        // and has its slug, before its metric's task fails.
        '[1/1] failed     Broken  broken-YYYYMMDDhhmmss  task "Score model" failed: Error: model diverged',
        "",
        "1 of 1 experiment failed:",
        "experiment  slug                   cause",
        "----------  ---------------------  ------------------------------------------------",
        'Broken      broken-YYYYMMDDhhmmss  task "Score model" failed: Error: model diverged',
        "",
        "1 task outside the experiments failed or did not run:",
        "task          state    detail",
        "------------  -------  ---------------------------------------------------------------------------",
        'Save project  not run  not run: trigger "any-successful": none of the tasks it waits for succeeded',
        "",
        'flow "Broken evaluation" failed in T s: experiments: 1 failed; tasks: 3 succeeded, 1 failed, 3 not run',
        "",
      ].join("\n"),
    );
    // No experiment could be appended: the save did not run, and wrote nothing.
    expect(existsSync(fpath)).toBe(false);
  });

  it("prints only the failures and the last line with --quiet", async () => {
    const fpath = join(tempDir(), "project.json");
    const args = [
      "run",
      flowFile("sweep.ts"),
      "--export",
      "diverging",
      "--param",
      `fpath=${fpath}`,
    ];
    const quiet = await lazyscribe([...args, "--quiet"]);
    expect(quiet.code).toBe(1);
    expect(stable(quiet.stdout)).toBe(
      [
        "2 of 5 experiments failed:",
        "experiment  slug                   cause",
        "----------  ---------------------  ---------------------------------------------------",
        'lr 0.4      lr-0-4-YYYYMMDDhhmmss  task "Train" failed: Error: loss diverged at lr=0.4',
        'lr 0.5      lr-0-5-YYYYMMDDhhmmss  task "Train" failed: Error: loss diverged at lr=0.5',
        "",
        'flow "Diverging sweep" failed in T s: experiments: 3 succeeded, 2 failed; tasks: 41 succeeded, 2 failed, 10 not run',
        "",
      ].join("\n"),
    );
    const succeeded = await lazyscribe([
      "run",
      flowFile("sweep.ts"),
      "--export",
      "small",
      "--param",
      `fpath=${join(tempDir(), "project.json")}`,
      "-q",
    ]);
    expect(stable(succeeded.stdout)).toBe(
      'flow "Small sweep" succeeded in T s: experiments: 3 succeeded; tasks: 33 succeeded\n',
    );
  });

  it("names the first three failed tasks on stderr, and counts the others", async () => {
    const fpath = join(tempDir(), "project.json");
    const args = [
      "run",
      flowFile("sweep.ts"),
      "--export",
      "collapsing",
      "--param",
      `fpath=${fpath}`,
    ];
    const result = await lazyscribe([...args, "-q"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `lazyscribe: flow "Collapsing sweep" failed: ${[0.375, 0.416667, 0.458333]
        .map((lr) => `task "Train" failed: Error: loss diverged at lr=${lr}`)
        .join("; ")}; and 1 more failed task\n`,
    );
    expect(result.stdout).toContain("4 of 12 experiments failed:\n");
    // The 8 others were saved.
    expect(JSON.parse(readFileSync(fpath, "utf8"))).toHaveLength(8);
  });

  it("refuses --quiet with --verbose", async () => {
    const result = await lazyscribe(["run", flowFile("good.ts"), "--quiet", "--verbose"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "lazyscribe: option '-v, --verbose' cannot be used with option '-q, --quiet'\n",
    );
  });

  it("asks for the flow's parameters", async () => {
    expect(await lazyscribe(["run", flowFile("good.ts")])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'lazyscribe: flow "Nightly evaluation" needs parameter "fpath": pass --param fpath=<value>\n',
    });
  });

  it("asks which flow to run when a module exports several", async () => {
    const file = flowFile("several.ts");
    expect(await lazyscribe(["run", file])).toEqual({
      code: 2,
      stdout: "",
      stderr: `lazyscribe: ${file} exports several flows (first, second): choose one with --export <name>\n`,
    });
    const chosen = await lazyscribe(["run", file, "--export", "second"]);
    expect(chosen.code).toBe(0);
    expect(stable(chosen.stdout)).toBe(
      'succeeded  Two\nflow "Second" succeeded in T s: tasks: 1 succeeded\n',
    );
  });

  it("says when a module exports no flow", async () => {
    const file = flowFile("none.ts");
    expect(await lazyscribe(["run", file])).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: ${file} exports no Flow (export one, e.g. \`export const flow = new Flow(...)\`)\n`,
    });
  });

  it("fails, instead of exiting quietly, when the run can never finish", async () => {
    // A real process: the run notices, when the event loop empties, that nothing is left to do.
    expect(await lazyscribeProcess(["run", flowFile("stalled.ts")])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'lazyscribe: flow "Stalled" stopped before it finished: 1 of 1 tasks never finished\n',
    });
  });

  it("says when the flow file is missing", async () => {
    expect(await lazyscribe(["run", "flows/missing.ts"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "lazyscribe: flows/missing.ts: no such flow file\n",
    });
  });

  it("serves the run on the dashboard with --dashboard until stopped", async () => {
    const fpath = join(tempDir(), "project.json");
    const child = spawnLazyscribe([
      "run",
      flowFile("good.ts"),
      "--param",
      `fpath=${fpath}`,
      "--dashboard",
      "--port",
      "0",
    ]);
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const url = await new Promise<string>((resolve) => {
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        const match = /the dashboard stays at (\S+)/.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });
    const flow = (await (await fetch(`${url}api/flow`)).json()) as { status: string };
    const project = (await (await fetch(`${url}api/project`)).json()) as {
      experiments: { name: string }[];
    };
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(flow.status).toBe("succeeded");
    expect(project.experiments.map((e) => e.name)).toEqual(["Nightly"]);
    expect(stdout).toContain('flow "Nightly evaluation" succeeded');
    expect(code).toBe(0);
  });
});

describe("lazyscribe run and Ctrl+C", () => {
  it("cancels the flow on the first Ctrl+C: the running task sees its signal, nothing is saved, exit 130", async () => {
    const dir = tempDir();
    const fpath = join(dir, "project.json");
    const marker = join(dir, "aborted.txt");
    const child = spawnLazyscribe([
      "run",
      "--verbose",
      flowFile("slow.ts"),
      "--param",
      `fpath=${fpath}`,
      "--param",
      `marker=${marker}`,
    ]);
    const output = await untilStarted(child, "Train");
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(130);
    expect(output.stderr).toContain('lazyscribe: flow "Slow training" interrupted');
    expect(readFileSync(marker, "utf8")).toBe("aborted");
    expect(existsSync(fpath)).toBe(false);
  }, 60_000);
});

describe("lazyscribe run and a task that never yields", () => {
  it("ends at once on the second Ctrl+C, exit 130, saying so", async () => {
    const child = spawnLazyscribe(["run", "--verbose", flowFile("spin.ts")]);
    const output = await untilStarted(child, "Spin");
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    // The loop never lets the run see the first Ctrl+C; the second ends it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(output.stderr).toContain(
      "lazyscribe: stopped at once: the run had not ended after the first Ctrl+C",
    );
  }, 60_000);
});

/** Collects a child run's output and resolves once it has started task `name`. */
async function untilStarted(
  child: ReturnType<typeof spawnLazyscribe>,
  name: string,
): Promise<{ stdout: string; stderr: string }> {
  const output = { stdout: "", stderr: "" };
  child.stderr.on("data", (chunk) => {
    output.stderr += chunk;
  });
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk) => {
      output.stdout += chunk;
      if (output.stdout.includes(`started    ${name}`)) resolve();
    });
  });
  return output;
}
