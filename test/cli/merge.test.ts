import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { writeProject } from "./projects.js";
import { lazyscribe } from "./run.js";

describe("lazyscribe merge", () => {
  it("writes the newest record of each experiment to the output file", async () => {
    const out = join(tempDir(), "merged.json");
    const result = await lazyscribe([
      "merge",
      fixture("upstream-tests-data", "project.json"),
      fixture("upstream-tests-data", "merge_update.json"),
      "-o",
      out,
    ]);
    const older = fixture("upstream-tests-data", "project.json");
    const newer = fixture("upstream-tests-data", "merge_update.json");
    expect(result).toEqual({
      code: 0,
      stderr: `dropped my-experiment-20220101093000 from ${older} (last updated 2022-01-01T09:30:00); kept the record last updated 2022-01-10T09:30:00 from ${newer}\n`,
      stdout: `merged 2 projects into ${out}: 2 experiments\n`,
    });
    const records = JSON.parse(readFileSync(out, "utf8"));
    expect(
      records.map((r: { slug: string; last_updated_by: string }) => r.last_updated_by),
    ).toEqual(["friend", "root"]);
  });

  it("merges projects written by different people", async () => {
    const dir = tempDir();
    const a = await writeProject([{ name: "A", created: "2024-01-01T00:00:00" }], "a.json", dir);
    const b = await writeProject([{ name: "B", created: "2024-01-02T00:00:00" }], "b.json", dir);
    const out = join(dir, "out.json");
    const result = await lazyscribe(["merge", a, b, "--output", out]);
    expect(result.code).toBe(0);
    const list = await lazyscribe(["list", out, "--json"]);
    expect(JSON.parse(list.stdout).map((r: { slug: string }) => r.slug)).toEqual([
      "a-20240101000000",
      "b-20240102000000",
    ]);
  });

  it("needs an output file", async () => {
    const result = await lazyscribe(["merge", fixture("basic", "project.json"), "x.json"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "lazyscribe: required option '-o, --output <file>' not specified\n",
    });
  });

  it("names the input file that is missing", async () => {
    const dir = tempDir();
    const result = await lazyscribe([
      "merge",
      fixture("basic", "project.json"),
      join(dir, "missing.json"),
      "-o",
      join(dir, "out.json"),
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `lazyscribe: ${join(dir, "missing.json")}: no such project file\n`,
    });
  });
});
