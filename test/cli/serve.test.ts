import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.js";
import { spawnLazyscribe } from "./run.js";

describe("lazyscribe serve", () => {
  it("serves the project's dashboard on 127.0.0.1 until Ctrl+C", async () => {
    const fpath = fixture("basic", "project.json");
    const child = spawnLazyscribe(["serve", fpath, "--port", "0"]);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const url = await new Promise<string>((resolve) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        const match = / at (http:\/\/127\.0\.0\.1:\d+\/) /.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });
    const body = (await (await fetch(`${url}api/project`)).json()) as {
      experiments: { name: string }[];
    };
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(stdout).toBe(`lazyscribe dashboard of ${fpath} at ${url} (Ctrl+C to stop)\n`);
    expect(body.experiments.map((e) => e.name)).toEqual(["My experiment", "Second run"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
