/**
 * What `lazyscribe run` prints for a long run: the 500-experiment sweep of `flows/sweep.ts`
 * (5003 tasks), run by the bin as a real process, to a pipe and in a terminal. Before the
 * output counted experiments, it printed 15,013 lines to a pipe (a start and an end line per
 * task, then a 5,003-row table) and 5,007 lines in a terminal (the same table); it prints 501
 * lines to a pipe (one per experiment, then the last line) and 1 in a terminal.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";
import { lazyscribeProcess } from "./run.js";
import { hasScript, inTerminal, REDRAW, runLine } from "./terminal.js";

const SWEEP = fileURLToPath(new URL("./flows/sweep.ts", import.meta.url));
const LAST =
  /^flow "Learning-rate sweep" succeeded in \d+\.\d\d s: experiments: 500 succeeded; tasks: 5003 succeeded$/;

describe("lazyscribe run on 500 experiments", () => {
  it("prints one line per experiment to a pipe, then the last line: 501 lines", async () => {
    const fpath = join(tempDir(), "project.json");
    const result = await lazyscribeProcess([
      "run",
      SWEEP,
      "--export",
      "flow",
      "--param",
      `fpath=${fpath}`,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(501);
    expect(lines.pop()).toMatch(LAST);
    const names = new Set<string>();
    lines.forEach((line, i) => {
      const match =
        /^\[ *(\d+)\/500\] succeeded {2}(lr [\d.]+) {2}(lr-[\d-]+-\d{14}) {2}\d+(\.\d+)?\/[sh] {2}ETA (\d+s|\d+m \d\ds|\d+h \d\dm)$/.exec(
          line,
        );
      expect(match, line).not.toBeNull();
      // Numbered in the order they finish, each experiment once.
      expect(Number(match?.[1])).toBe(i + 1);
      names.add(match?.[2] as string);
    });
    expect(names.size).toBe(500);
    const saved = JSON.parse(readFileSync(fpath, "utf8")) as { name: string }[];
    expect(new Set(saved.map((r) => r.name))).toEqual(names);
  }, 120_000);

  it.skipIf(!hasScript)(
    "redraws one status line in a terminal and leaves only the last line",
    async () => {
      const fpath = join(tempDir(), "project.json");
      const { code, output } = await inTerminal(
        runLine("sweep.ts", "--export", "flow", "--param", `fpath=${fpath}`),
      );
      expect(code).toBe(0);
      const lines = output.split("\n");
      expect(lines.pop()).toBe("");
      // One line reaches the terminal: every status line before it was erased in place.
      expect(lines).toHaveLength(1);
      const draws = (lines[0] as string).split(REDRAW);
      expect(draws.shift()).toBe("");
      expect(draws.pop()).toMatch(LAST);
      for (const draw of draws) {
        expect(draw).toMatch(
          /^\[[█░]{24}\] +\d+\/500 experiments {2}\S+ {2}ETA \S+( \S+)? {2}tasks \d+\/5003/,
        );
      }
    },
    120_000,
  );
});
