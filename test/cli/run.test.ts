import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";
import { lazyscribe, lazyscribeProcess, spawnLazyscribe } from "./run.js";

const flowFile = (name: string) => fileURLToPath(new URL(`./flows/${name}`, import.meta.url));

/** The output with the run's duration replaced by `T`. */
const timeless = (text: string) => text.replace(/ in \d+\.\d\d s:/, " in T s:");

describe("lazyscribe run", () => {
  it("runs a flow, logs each task when output is not a terminal, and sums up each task", async () => {
    const fpath = join(tempDir(), "project.json");
    const result = await lazyscribe(["run", flowFile("good.ts"), "--param", `fpath=${fpath}`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [log, table] = timeless(result.stdout).split("#  task");
    expect(log?.trimEnd().split("\n").sort()).toEqual(
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
    expect(`#  task${table}`).toBe(
      [
        "#  task                   state      detail",
        `-  ---------------------  ---------  ${"-".repeat(Math.max(6, fpath.length))}`,
        `0  fpath                  succeeded  ${fpath}`,
        "1  Open project           succeeded  Project",
        "2  Score model            succeeded  0.93",
        "3  Nightly                succeeded  Experiment",
        "4  Log experiment metric  succeeded  0.93",
        "5  Log experiment metric  succeeded  0.25",
        "6  Append experiment      succeeded  Experiment",
        "7  Save project           succeeded  Project",
        "",
        'flow "Nightly evaluation" succeeded in T s: 8 succeeded',
        "",
      ].join("\n"),
    );
    const [record] = JSON.parse(readFileSync(fpath, "utf8"));
    expect(record.metrics).toEqual({ score: 0.93, loss: 0.25 });
  });

  it("exits with 1 and names the failed task when the flow fails", async () => {
    const fpath = join(tempDir(), "project.json");
    const result = await lazyscribe(["run", flowFile("failing.ts"), "--param", `fpath=${fpath}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'lazyscribe: flow "Broken evaluation" failed: task "Score model" failed: Error: model diverged\n',
    );
    expect(result.stdout).toContain("failed     Score model: Error: model diverged\n");
    expect(result.stdout).toContain("not run    Append experiment (Score model failed)\n");
    expect(timeless(result.stdout)).toContain(
      [
        "2  Score model            failed     Error: model diverged",
        "3  Broken                 succeeded  Experiment",
        '4  Log experiment metric  not run    not run: "Score model" failed',
        '5  Append experiment      not run    not run: "Score model" failed',
        '6  Save project           not run    not run: trigger "any-successful": none of the tasks it wai…',
        "",
        'flow "Broken evaluation" failed in T s: 3 succeeded, 1 failed, 3 not run',
      ].join("\n"),
    );
    // No experiment could be appended: the save did not run, and wrote nothing.
    expect(existsSync(fpath)).toBe(false);
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
    expect(timeless(chosen.stdout)).toContain('flow "Second" succeeded in T s: 1 succeeded\n');
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
      stdout: "started    Wait forever\n",
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
    const child = spawnLazyscribe(["run", flowFile("spin.ts")]);
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
