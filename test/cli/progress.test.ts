import { describe, expect, it, vi } from "vitest";
import { progressLine, summary, terminalProgress } from "../../src/cli/progress.js";
import { FlowView } from "../../src/dashboard/flowView.js";

const tasks = [
  { name: "Open project" },
  { name: "Train" },
  { name: "Evaluate" },
  { name: "Save project" },
];
const flow = { name: "Demo", tasks, upstreamTasks: () => [], toMermaid: () => "" };

function viewAfter(events: { type: string; task: number; result?: unknown; error?: unknown }[]) {
  const view = new FlowView(flow);
  view.start();
  for (const e of events) view.record({ ...e, task: tasks[e.task] as { name: string } });
  return view;
}

describe("run progress", () => {
  it("draws a bar, the count of finished tasks and the running task", () => {
    const view = viewAfter([
      { type: "started", task: 0 },
      { type: "succeeded", task: 0 },
      { type: "started", task: 1 },
      { type: "started", task: 2 },
    ]);
    expect(progressLine(view, 120)).toBe(
      "[██████░░░░░░░░░░░░░░░░░░] 1/4 tasks  running: Train (+1 more)",
    );
  });

  it("cuts the line to the terminal's width", () => {
    const view = viewAfter([{ type: "started", task: 1 }]);
    expect(progressLine(view, 40)).toBe("[░░░░░░░░░░░░░░░░░░░░░░░░] 0/4 tasks  …");
  });

  it("redraws one line in place in a terminal, and clears it at the end", () => {
    vi.useFakeTimers();
    try {
      const view = viewAfter([]);
      const writes: string[] = [];
      const progress = terminalProgress(view, {
        write: (t) => writes.push(t),
        isTTY: true,
        columns: 80,
      });
      view.record({ type: "started", task: tasks[0] as { name: string } });
      progress.update({ type: "started", task: tasks[0] as { name: string } });
      progress.update({ type: "started", task: tasks[0] as { name: string } });
      vi.advanceTimersByTime(100);
      progress.finish();
      expect(writes).toEqual([
        "\r\u001b[2K[░░░░░░░░░░░░░░░░░░░░░░░░] 0/4 tasks  running: Open project",
        "\r\u001b[2K",
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sums up each task's final state", () => {
    const view = viewAfter([
      { type: "succeeded", task: 0, result: 1 },
      { type: "failed", task: 1, error: new Error("boom") },
      { type: "not-run", task: 2 },
      { type: "succeeded", task: 3 },
    ]);
    view.finish();
    expect(summary(view, 1.234)).toBe(
      [
        "#  task          state      detail",
        "-  ------------  ---------  -------------------------------",
        "0  Open project  succeeded  1",
        "1  Train         failed     Error: boom",
        "2  Evaluate      not run    not run: a task upstream failed",
        "3  Save project  succeeded",
        "",
        'flow "Demo" failed in 1.23 s: 2 succeeded, 1 failed, 1 not run',
        "",
      ].join("\n"),
    );
  });
});
