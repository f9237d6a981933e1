/**
 * What `lazyscribe run` prints when a run is over: the failures only (failed experiments with
 * their cause, and tasks outside the experiments that failed or did not run), the table of
 * every task's final state with `--verbose`, and one closing line with the counts.
 *
 * @module
 */
import type { FlowView } from "../dashboard/flowView.js";
import { clean } from "./format.js";
import type { RunTally } from "./runTally.js";
import { renderTable } from "./table.js";

const LABELS: Record<string, string> = { "not-run": "not run" };

/** The table of each task's final state (`--verbose`): index, name, state, detail. */
export function taskTable(view: FlowView): string {
  const rows = view.tasks.map((state) => [
    String(state.id),
    clean(view.flow.tasks[state.id]?.name ?? ""),
    LABELS[state.status] ?? state.status,
    clean(state.detail ?? ""),
  ]);
  return renderTable(
    [
      { header: "#", align: "right" },
      { header: "task" },
      { header: "state" },
      { header: "detail" },
    ],
    rows,
    { maxCellWidth: 60 },
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The failures of a run, or `""` when there were none: the failed experiments (name, slug,
 * cause), then the tasks outside them that failed or did not run.
 */
export function failureSummary(tally: RunTally): string {
  const parts: string[] = [];
  const failures = tally.failures;
  if (failures.length > 0) {
    const table = renderTable(
      [{ header: "experiment" }, { header: "slug" }, { header: "cause" }],
      failures.map((e) => [clean(e.name), clean(e.slug ?? "-"), clean(e.cause ?? "")]),
      { maxCellWidth: 100 },
    );
    parts.push(`${failures.length} of ${plural(tally.total, "experiment")} failed:\n${table}`);
  }
  const problems = tally.taskProblems;
  if (problems.length > 0) {
    const table = renderTable(
      [{ header: "task" }, { header: "state" }, { header: "detail" }],
      problems.map((p) => [clean(p.name), p.state, clean(p.detail)]),
      { maxCellWidth: 100 },
    );
    const title =
      failures.length > 0
        ? `${plural(problems.length, "task")} outside the experiments failed or did not run:`
        : `${plural(problems.length, "task")} failed or did not run:`;
    parts.push(`${title}\n${table}`);
  }
  return parts.join("\n");
}

/** `3 succeeded, 2 failed`: the non-zero counts, or `0 succeeded`. */
function counts(entries: readonly [string, number][]): string {
  const shown = entries.filter(([, n]) => n > 0).map(([label, n]) => `${n} ${label}`);
  return shown.length > 0 ? shown.join(", ") : "0 succeeded";
}

/**
 * The closing line: `flow "Sweep" failed in 1.23 s: experiments: 3 succeeded, 2 failed;
 * tasks: 40 succeeded, 2 failed, 8 not run` (no experiment counts for a flow without any).
 */
export function finalLine(view: FlowView, tally: RunTally, seconds: number): string {
  const outcome = view.status === "failed" ? "failed" : "succeeded";
  const tasks = tally.tasks;
  const taskCounts = counts([
    ["succeeded", tasks.succeeded],
    ["failed", tasks.failed],
    ["not run", tasks.notRun],
  ]);
  const experiments =
    tally.total === 0
      ? ""
      : `experiments: ${counts([
          ["succeeded", tally.succeeded],
          ["failed", tally.failed],
        ])}; `;
  return `flow "${clean(view.flow.name)}" ${outcome} in ${seconds.toFixed(2)} s: ${experiments}tasks: ${taskCounts}\n`;
}
