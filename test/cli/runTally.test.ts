import { join } from "node:path";
import { lastValueFrom, tap } from "rxjs";
import { describe, expect, it } from "vitest";
import type { ExperimentRun } from "../../src/cli/runTally.js";
import { RunTally } from "../../src/cli/runTally.js";
import { tempDir } from "../helpers/fixtures.js";
import { diverging, small } from "./flows/sweep.js";

/** Runs `flow` for real, feeding the tally; returns the experiments it finished, in order. */
async function runTallied(flow: typeof small) {
  const tally = new RunTally(flow);
  const finished: ExperimentRun[] = [];
  const fpath = join(tempDir(), "project.json");
  await lastValueFrom(
    flow.run$({ parameters: { fpath } }).pipe(
      tap((event) => {
        const done = tally.record(event);
        if (done !== undefined) finished.push(done);
      }),
    ),
    { defaultValue: undefined },
  );
  return { tally, finished };
}

const SLUG = /^lr-0-\d+-\d{14}$/;

describe("RunTally", () => {
  it("finds one experiment per append in the graph, named by its experiment task", () => {
    const tally = new RunTally(small);
    expect(tally.total).toBe(3);
    expect(tally.tasks).toEqual({ total: 33, succeeded: 0, failed: 0, notRun: 0 });
    expect(tally.running).toEqual([]);
  });

  it("follows each experiment to its append, with the slug its logging tasks report", async () => {
    const { tally, finished } = await runTallied(small);
    expect(finished.map((e) => [e.position, e.name, e.status, e.cause])).toEqual([
      [1, "lr 0.166667", "succeeded", undefined],
      [2, "lr 0.333333", "succeeded", undefined],
      [3, "lr 0.5", "succeeded", undefined],
    ]);
    for (const e of finished) expect(e.slug).toMatch(SLUG);
    expect(finished[0]?.slug?.startsWith("lr-0-166667-")).toBe(true);
    expect([tally.succeeded, tally.failed, tally.done]).toEqual([3, 0, 3]);
    expect(tally.tasks).toEqual({ total: 33, succeeded: 33, failed: 0, notRun: 0 });
    expect(tally.failures).toEqual([]);
    expect(tally.taskProblems).toEqual([]);
  });

  it("fails an experiment with the cause upstream of its append, and keeps the others", async () => {
    const { tally, finished } = await runTallied(diverging);
    // Each experiment finishes once (in the order the engine finishes them).
    const byPosition = [...finished].sort((a, b) => a.position - b.position);
    expect(byPosition.map((e) => [e.name, e.status])).toEqual([
      ["lr 0.1", "succeeded"],
      ["lr 0.2", "succeeded"],
      ["lr 0.3", "succeeded"],
      ["lr 0.4", "failed"],
      ["lr 0.5", "failed"],
    ]);
    expect(tally.failures.map((e) => [e.position, e.name, e.cause])).toEqual([
      [4, "lr 0.4", 'task "Train" failed: Error: loss diverged at lr=0.4'],
      [5, "lr 0.5", 'task "Train" failed: Error: loss diverged at lr=0.5'],
    ]);
    // Their parameters were logged before the failure: the slug is known.
    expect(tally.failures[0]?.slug).toMatch(SLUG);
    // "Train" and its "Pick"s feed the appends: their failure is the experiments' cause.
    expect(tally.taskProblems).toEqual([]);
    // 5 experiments of 10 tasks, fpath, the project, the save; per failure, Train failed and
    // 5 tasks not run: its 2 Picks, their 2 metrics, the append.
    expect(tally.tasks).toEqual({ total: 53, succeeded: 41, failed: 2, notRun: 10 });
  });

  it("reports a task after the experiments that did not run, not the failure the experiments explain", () => {
    const tally = new RunTally(diverging);
    const save = diverging.tasks.find((t) => t.name === "Save project");
    const open = diverging.tasks.find((t) => t.name === "Open project");
    expect(tally.record({ type: "failed", task: open as never, error: new Error("EACCES") })).toBe(
      undefined,
    );
    tally.record({ type: "not-run", task: save as never, upstream: open as never });
    // Every append waits for the project: its failure is each experiment's cause, not a problem.
    expect(tally.taskProblems).toEqual([
      {
        name: "Save project",
        state: "not run",
        detail: 'task "Open project" failed: Error: EACCES',
      },
    ]);
  });

  it("counts an experiment as running from its experiment task's start to its append", () => {
    const tally = new RunTally(small);
    const [first, second] = small.tasks.filter((t) => t.name.startsWith("lr "));
    tally.record({ type: "started", task: second as never });
    tally.record({ type: "started", task: first as never });
    expect(tally.running.map((e) => e.name)).toEqual(["lr 0.166667", "lr 0.333333"]);
    const append = small.tasks.find((t) => t.name === "Append experiment");
    const done = tally.record({ type: "succeeded", task: append as never });
    expect(done).toMatchObject({ position: 1, name: "lr 0.166667", status: "succeeded" });
    expect(tally.running.map((e) => e.name)).toEqual(["lr 0.333333"]);
  });
});
