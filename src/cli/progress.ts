/**
 * How `lazyscribe run` shows a flow as it runs: in a terminal, one line redrawn in place (a
 * bar, the count of finished tasks and the running task); elsewhere, a plain log line per
 * task start and end. Then a summary table of each task's final state.
 *
 * @module
 */
import type { DashboardTaskEvent, FlowView } from "../dashboard/flowView.js";
import { clean } from "./format.js";
import type { TextSink } from "./io.js";
import { renderTable, truncate } from "./table.js";

/** Shows the progress of a run. */
export interface Progress {
  /** Takes one event (already recorded in the flow view). */
  update(event: DashboardTaskEvent): void;
  /** The run is over: leave the terminal clean for the summary. */
  finish(): void;
}

const BAR_WIDTH = 24;

/** The progress line drawn in a terminal: `[█████░░░] 5/12 tasks  running: Score model`. */
export function progressLine(view: FlowView, columns: number): string {
  const total = view.tasks.length;
  const done = view.finished;
  const filled = total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * done) / total);
  const running = view.tasks
    .filter((t) => t.status === "running" || t.status === "retrying")
    .map((t) => clean(view.flow.tasks[t.id]?.name ?? ""));
  const what =
    running.length === 0
      ? ""
      : `  running: ${running[0]}${running.length > 1 ? ` (+${running.length - 1} more)` : ""}`;
  const bar = `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
  return truncate(`${bar} ${done}/${total} tasks${what}`, Math.max(20, columns - 1));
}

/** A line redrawn in place, at most every `intervalMs`. */
export function terminalProgress(view: FlowView, out: TextSink, intervalMs = 80): Progress {
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    out.write(`\r\u001b[2K${progressLine(view, out.columns ?? 80)}`);
  };
  return {
    update() {
      timer ??= setTimeout(draw, intervalMs);
    },
    finish() {
      clearTimeout(timer);
      out.write("\r\u001b[2K");
    },
  };
}

/** The plain log line of an event, or `undefined` for events that are not logged (values). */
export function logLine(event: DashboardTaskEvent, view: FlowView): string | undefined {
  const index = view.flow.tasks.indexOf(event.task);
  const state = view.tasks[index];
  const name = clean(event.task.name);
  switch (event.type) {
    case "started":
      return `started    ${name}`;
    case "succeeded":
      return `succeeded  ${name}`;
    case "retrying":
    case "failed":
      return `${event.type.padEnd(10)} ${name}: ${clean(state?.detail ?? "")}`;
    case "not-run":
      return event.reason === undefined
        ? `not run    ${name} (${clean(event.upstream?.name ?? "")} failed)`
        : `not run    ${name} (${clean(event.reason)})`;
    default:
      return undefined;
  }
}

/** One log line per task start and end. */
export function logProgress(view: FlowView, out: TextSink): Progress {
  return {
    update(event) {
      const line = logLine(event, view);
      if (line !== undefined) out.write(`${line}\n`);
    },
    finish() {},
  };
}

const LABELS: Record<string, string> = { "not-run": "not run" };

/** The summary printed after a run: each task's final state, and a closing line. */
export function summary(view: FlowView, seconds: number): string {
  const rows = view.tasks.map((state) => [
    String(state.id),
    clean(view.flow.tasks[state.id]?.name ?? ""),
    LABELS[state.status] ?? state.status,
    clean(state.detail ?? ""),
  ]);
  const table = renderTable(
    [
      { header: "#", align: "right" },
      { header: "task" },
      { header: "state" },
      { header: "detail" },
    ],
    rows,
    { maxCellWidth: 60 },
  );
  const counts = new Map<string, number>();
  for (const state of view.tasks) {
    const label = LABELS[state.status] ?? state.status;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const tally = [...counts].map(([label, n]) => `${n} ${label}`).join(", ");
  const outcome = view.status === "failed" ? "failed" : "succeeded";
  return `${table}\nflow "${clean(view.flow.name)}" ${outcome} in ${seconds.toFixed(2)} s: ${tally}\n`;
}
