/**
 * The bin in a real terminal (a pseudo-terminal from util-linux's `script`): `run` sees a TTY
 * on its standard output, so it redraws one progress line in place instead of logging each
 * task, and leaves the line clean for the summary.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";
import { hasScript, inTerminal, REDRAW, runLine } from "./terminal.js";

describe.skipIf(!hasScript)("lazyscribe run in a terminal", () => {
  it("draws its progress in place, then only the last line when nothing failed", async () => {
    const fpath = join(tempDir(), "project.json");
    const { code, output } = await inTerminal(runLine("good.ts", "--param", `fpath=${fpath}`));
    expect(code).toBe(0);
    // Every redraw holds one status line; nothing else reaches the terminal but the last line.
    const draws = output.split(REDRAW);
    expect(draws[0]).toBe("");
    const last = draws.pop();
    for (const draw of draws.slice(1)) {
      expect(draw).toMatch(/^\[[█░]{24}\] [01]\/1 experiments {2}\S+ {2}ETA \S+ {2}tasks \d\/8/);
    }
    expect(last).toMatch(
      /^flow "Nightly evaluation" succeeded in \d+\.\d\d s: experiments: 1 succeeded; tasks: 8 succeeded\n$/,
    );
  });

  it("prints a failed experiment above the status line as it fails, then the failures", async () => {
    const fpath = join(tempDir(), "project.json");
    const { code, output } = await inTerminal(
      runLine("sweep.ts", "--export", "diverging", "--param", `fpath=${fpath}`),
    );
    expect(code).toBe(1);
    // What stays on the screen: the last text of each line (a redraw replaces the line).
    const screen = output.split("\n").map((line) => line.split(REDRAW).pop());
    // The project opens at once (mode "w" reads nothing): every experiment is started, with
    // its slug, and the three appended are counted before the two whose training failed.
    expect(screen[0]).toMatch(
      /^\[4\/5\] failed {5}lr 0\.4 {2}lr-0-4-\d{14} {2}task "Train" failed: Error: loss diverged at lr=0\.4$/,
    );
    expect(screen[1]).toMatch(
      /^\[5\/5\] failed {5}lr 0\.5 {2}lr-0-5-\d{14} {2}task "Train" failed: Error: loss diverged at lr=0\.5$/,
    );
    expect(screen.slice(2, 4)).toEqual(["", "2 of 5 experiments failed:"]);
    expect(screen.at(-3)).toMatch(
      /^flow "Diverging sweep" failed in \d+\.\d\d s: experiments: 3 succeeded, 2 failed;/,
    );
    expect(screen.at(-2)).toBe(
      'lazyscribe: flow "Diverging sweep" failed: task "Train" failed: Error: loss diverged at lr=0.4; task "Train" failed: Error: loss diverged at lr=0.5',
    );
  });
});
