import { describe, expect, it, vi } from "vitest";
import { terminalWidth } from "../../src/cli/io.js";
import { formatDuration, formatRate, paceOf } from "../../src/cli/pace.js";
import {
  experimentLine,
  logProgress,
  type Progress,
  progressLine,
  terminalProgress,
} from "../../src/cli/progress.js";
import { failureSummary, finalLine, taskTable } from "../../src/cli/runSummary.js";
import { type ExperimentRun, type RunEvent, RunTally } from "../../src/cli/runTally.js";
import { FlowView } from "../../src/dashboard/flowView.js";
import { small } from "./flows/sweep.js";

const tasks = small.tasks;
const named = (name: string, nth = 0) => tasks.filter((t) => t.name === name)[nth] as never;
const SLUGS = ["lr-0-166667-20240301101530", "lr-0-333333-20240301101530", "lr-0-5-20240301101530"];
const EXPERIMENTS = ["lr 0.166667", "lr 0.333333", "lr 0.5"];

/**
 * A view and tally of the small sweep, and a function that records one event in both (and
 * hands it, with the experiment it finished, to `then`).
 */
function run(then?: (event: RunEvent, finished: ExperimentRun | undefined) => void) {
  const view = new FlowView(small);
  const tally = new RunTally(small);
  view.start();
  const record = (event: RunEvent) => {
    view.record(event);
    const finished = tally.record(event);
    then?.(event, finished);
    return finished;
  };
  /** Experiment `i` (0-based) starts, logs its first parameter, and is appended (or fails). */
  const experiment = (i: number, error?: Error) => {
    record({ type: "started", task: named(EXPERIMENTS[i] as string) });
    const param = named("Log parameter", 2 * i);
    const experiment = { name: EXPERIMENTS[i] as string, slug: SLUGS[i] };
    record({ type: "succeeded", task: param, experiment });
    if (error === undefined)
      return record({ type: "succeeded", task: named("Append experiment", i) });
    record({ type: "failed", task: named("Train", i), error });
    return record({
      type: "not-run",
      task: named("Append experiment", i),
      upstream: named("Train", i),
    });
  };
  return { view, tally, record, experiment };
}

describe("run pace", () => {
  it("gives a rate and the time left once an item is done", () => {
    expect(paceOf(0, 10, 5)).toEqual({ rate: undefined, eta: undefined });
    expect(paceOf(4, 10, 2)).toEqual({ rate: 2, eta: 3 });
  });

  it("writes rates and durations shortly", () => {
    expect([250, 4.24, 0.35, 0.005, undefined].map(formatRate)).toEqual([
      "250/s",
      "4.2/s",
      "0.35/s",
      "18.0/h",
      "-/s",
    ]);
    expect([0.4, 45, 185, 7625, undefined].map(formatDuration)).toEqual([
      "0s",
      "45s",
      "3m 05s",
      "2h 07m",
      "-",
    ]);
  });
});

describe("run progress", () => {
  it("draws experiments done and failed, their rate, the time left, tasks and what runs", () => {
    const { view, tally, experiment, record } = run();
    experiment(0);
    experiment(1, new Error("diverged"));
    record({ type: "started", task: named("lr 0.5") });
    expect(progressLine(view, tally, 4, 200)).toBe(
      "[████████████████░░░░░░░░] 2/3 experiments, 1 failed  0.50/s  ETA 2s  tasks 5/33  running: lr 0.5",
    );
    expect(progressLine(view, tally, 4, 40)).toBe("[████████████████░░░░░░░░] 2/3 experim…");
  });

  it("counts tasks for a flow without experiments", () => {
    const flow = {
      name: "Plain",
      tasks: [{ name: "A" }, { name: "B" }],
      upstreamTasks: () => [],
      toMermaid: () => "",
    };
    const view = new FlowView(flow);
    const tally = new RunTally(flow);
    view.start();
    for (const event of [
      { type: "started", task: flow.tasks[0] as never },
      { type: "succeeded", task: flow.tasks[0] as never },
      { type: "started", task: flow.tasks[1] as never },
    ]) {
      view.record(event);
      tally.record(event);
    }
    expect(progressLine(view, tally, 2, 120)).toBe(
      "[████████████░░░░░░░░░░░░] 1/2 tasks  0.50/s  ETA 2s  running: B",
    );
  });

  it("writes a line per finished experiment: count, name, slug, then pace or cause", () => {
    const { tally, experiment } = run();
    const first = experiment(0);
    expect(experimentLine(first as never, tally, 2)).toBe(
      "[1/3] succeeded  lr 0.166667  lr-0-166667-20240301101530  0.50/s  ETA 4s",
    );
    const second = experiment(1, new Error("loss diverged"));
    expect(experimentLine(second as never, tally, 3)).toBe(
      '[2/3] failed     lr 0.333333  lr-0-333333-20240301101530  task "Train" failed: Error: loss diverged',
    );
  });

  it("logs finished experiments only, or every task with verbose", () => {
    const lines = (verbosity: "normal" | "verbose") => {
      const out: string[] = [];
      let now = 0;
      let progress: Progress | undefined;
      const context = run((event, finished) => {
        now += 1000;
        progress?.update(event, finished);
      });
      progress = logProgress(
        { ...context, now: () => now },
        { write: (t) => out.push(t) },
        verbosity,
      );
      context.experiment(0);
      return out;
    };
    expect(lines("normal")).toEqual([
      "[1/3] succeeded  lr 0.166667  lr-0-166667-20240301101530  0.33/s  ETA 6s\n",
    ]);
    expect(lines("verbose")).toEqual([
      "started    lr 0.166667\n",
      "succeeded  Log parameter\n",
      "succeeded  Append experiment\n",
      "[1/3] succeeded  lr 0.166667  lr-0-166667-20240301101530  0.33/s  ETA 6s\n",
    ]);
  });

  it("redraws one line in place, prints failed experiments above it, and clears it at the end", () => {
    vi.useFakeTimers();
    try {
      const context = run();
      const writes: string[] = [];
      let now = 0;
      const progress = terminalProgress(
        { ...context, now: () => now },
        { write: (t) => writes.push(t), isTTY: true, columns: 120 },
      );
      const started = { type: "started", task: named("lr 0.166667") } as const;
      progress.update(started, context.record(started));
      progress.update(started, undefined);
      vi.advanceTimersByTime(100);
      now = 2000;
      const failed = context.experiment(1, new Error("loss diverged"));
      progress.update({ type: "not-run", task: named("Append experiment", 1) }, failed);
      vi.advanceTimersByTime(100);
      progress.finish();
      expect(writes).toEqual([
        "\r\u001b[2K[░░░░░░░░░░░░░░░░░░░░░░░░] 0/3 experiments  -/s  ETA -  tasks 0/33  running: lr 0.166667",
        '\r\u001b[2K[1/3] failed     lr 0.333333  lr-0-333333-20240301101530  task "Train" failed: Error: loss diverged\n',
        "\r\u001b[2K[████████░░░░░░░░░░░░░░░░] 1/3 experiments, 1 failed  0.50/s  ETA 4s  tasks 3/33  running: lr 0.166667",
        "\r\u001b[2K",
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes $COLUMNS when the terminal reports no width", () => {
    expect(terminalWidth({ write: () => true, columns: 132 }, { COLUMNS: "100" })).toBe(132);
    expect(terminalWidth({ write: () => true, columns: 0 }, { COLUMNS: "100" })).toBe(100);
    expect(terminalWidth({ write: () => true }, {})).toBe(80);
  });
});

describe("run summary", () => {
  it("lists the failed experiments with their cause, then closes with the counts", () => {
    const { view, tally, experiment, record } = run();
    experiment(0);
    experiment(1, new Error("loss diverged"));
    experiment(2);
    record({ type: "not-run", task: named("Save project"), reason: 'trigger "all-successful"' });
    view.finish();
    expect(failureSummary(tally)).toBe(
      [
        "1 of 3 experiments failed:",
        "experiment   slug                        cause",
        "-----------  --------------------------  -----------------------------------------",
        'lr 0.333333  lr-0-333333-20240301101530  task "Train" failed: Error: loss diverged',
        "",
        "1 task outside the experiments failed or did not run:",
        "task          state    detail",
        "------------  -------  ---------------------------------",
        'Save project  not run  not run: trigger "all-successful"',
        "",
      ].join("\n"),
    );
    expect(finalLine(view, tally, 12.345)).toBe(
      'flow "Small sweep" failed in 12.35 s: experiments: 2 succeeded, 1 failed; tasks: 5 succeeded, 1 failed, 2 not run\n',
    );
  });

  it("prints nothing for a run without failures", () => {
    const { view, tally, experiment } = run();
    for (const i of [0, 1, 2]) experiment(i);
    view.finish();
    expect(failureSummary(tally)).toBe("");
    expect(finalLine(view, tally, 1)).toBe(
      'flow "Small sweep" succeeded in 1.00 s: experiments: 3 succeeded; tasks: 6 succeeded\n',
    );
  });

  it("tables each task's final state for --verbose", () => {
    const { view, experiment } = run();
    experiment(0);
    const table = taskTable(view).split("\n");
    expect(table.slice(0, 5)).toEqual([
      " #  task                   state      detail",
      "--  ---------------------  ---------  ------",
      " 0  fpath                  pending",
      " 1  Open project           pending",
      " 2  Train                  pending",
    ]);
    expect(table[2 + 8]).toBe(" 8  Log experiment metric  pending");
    expect(table).toContain(" 3  lr 0.166667            running");
    expect(table).toContain("11  Append experiment      succeeded");
    expect(table).toHaveLength(33 + 3);
  });
});
