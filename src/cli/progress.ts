/**
 * How `lazyscribe run` shows a flow as it runs. In a terminal: one status line redrawn in
 * place (a bar of finished experiments, their rate and the time left, the tasks, the running
 * experiments), with each failed experiment printed above it as it fails. Elsewhere (a pipe, a
 * CI log): one line per finished experiment, with its count, rate and time left (one per
 * finished task for a flow without experiments). `--verbose` adds a line per task start and
 * end; `--quiet` shows nothing while the run goes.
 *
 * @module
 */
import type { DashboardTaskEvent, FlowView } from "../dashboard/flowView.js";
import { clean } from "./format.js";
import { type TextSink, terminalWidth } from "./io.js";
import { formatDuration, formatRate, paceOf } from "./pace.js";
import type { ExperimentRun, RunTally } from "./runTally.js";
import { truncate } from "./table.js";

/** Shows the progress of a run. */
export interface Progress {
  /**
   * Takes one event (already recorded in the flow view and the tally), and the experiment it
   * finished, if any.
   */
  update(event: DashboardTaskEvent, finished: ExperimentRun | undefined): void;
  /** The run is over: leave the terminal clean for the summary. */
  finish(): void;
}

/** How much a run shows while it goes. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** What every kind of progress reads. */
export interface ProgressContext {
  readonly view: FlowView;
  readonly tally: RunTally;
  /** The clock, in milliseconds (`performance.now` by default). */
  readonly now?: () => number;
}

const BAR_WIDTH = 24;
const ERASE_LINE = "\r\u001b[2K";

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * done) / total);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
}

/** `name (+n more)` for the first of `names`, or `""`. */
function runningText(names: readonly string[]): string {
  if (names.length === 0) return "";
  const more = names.length > 1 ? ` (+${names.length - 1} more)` : "";
  return `  running: ${names[0]}${more}`;
}

/**
 * The status line drawn in a terminal, cut to `columns`:
 * `[██████░░░] 120/500 experiments, 2 failed  4.2/s  ETA 1m 30s  tasks 1204/5003  running: lr 0.25 (+3 more)`;
 * a flow without experiments counts its tasks instead.
 */
export function progressLine(
  view: FlowView,
  tally: RunTally,
  seconds: number,
  columns: number,
): string {
  const tasks = tally.tasks;
  let text: string;
  if (tally.total === 0) {
    const pace = paceOf(tally.tasksDone, tasks.total, seconds);
    const running = view.tasks
      .filter((t) => t.status === "running" || t.status === "retrying")
      .map((t) => clean(view.flow.tasks[t.id]?.name ?? ""));
    text = `${bar(tally.tasksDone, tasks.total)} ${tally.tasksDone}/${tasks.total} tasks  ${formatRate(pace.rate)}  ETA ${formatDuration(pace.eta)}${runningText(running)}`;
  } else {
    const pace = paceOf(tally.done, tally.total, seconds);
    const failed = tally.failed > 0 ? `, ${tally.failed} failed` : "";
    const running = tally.running.map((e) => clean(e.name));
    text = `${bar(tally.done, tally.total)} ${tally.done}/${tally.total} experiments${failed}  ${formatRate(pace.rate)}  ETA ${formatDuration(pace.eta)}  tasks ${tally.tasksDone}/${tasks.total}${runningText(running)}`;
  }
  return truncate(text, Math.max(20, columns - 1));
}

/**
 * The line of a finished experiment: `[ 37/500] succeeded  lr 0.037  lr-0-037-20240301101530  4.2/s  ETA 1m 30s`,
 * or, when it failed, its cause in place of the pace.
 */
export function experimentLine(
  experiment: ExperimentRun,
  tally: RunTally,
  seconds: number,
): string {
  const width = String(tally.total).length;
  const count = `[${String(tally.done).padStart(width)}/${tally.total}]`;
  const who = `${clean(experiment.name)}${experiment.slug === undefined ? "" : `  ${clean(experiment.slug)}`}`;
  if (experiment.status === "failed") {
    return `${count} failed     ${who}  ${clean(experiment.cause ?? "")}`;
  }
  const pace = paceOf(tally.done, tally.total, seconds);
  return `${count} succeeded  ${who}  ${formatRate(pace.rate)}  ETA ${formatDuration(pace.eta)}`;
}

/** The log line of a task event (`--verbose`, or a flow without experiments), if it has one. */
export function taskLine(event: DashboardTaskEvent, view: FlowView): string | undefined {
  const state = view.tasks[view.flow.tasks.indexOf(event.task)];
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

const FINISHED = new Set(["succeeded", "failed", "not-run"]);

/** The lines an event adds to the log (pipes, files) at `verbosity`. */
function logLines(
  event: DashboardTaskEvent,
  finished: ExperimentRun | undefined,
  context: ProgressContext,
  seconds: () => number,
  verbosity: Verbosity,
): string[] {
  const lines: string[] = [];
  const { view, tally } = context;
  if (verbosity === "verbose" || (tally.total === 0 && FINISHED.has(event.type))) {
    const line = taskLine(event, view);
    if (line !== undefined) lines.push(line);
  }
  if (finished !== undefined) lines.push(experimentLine(finished, tally, seconds()));
  return lines;
}

function clock(context: ProgressContext): () => number {
  const now = context.now ?? (() => performance.now());
  const started = now();
  return () => (now() - started) / 1000;
}

/** Writes a line per finished experiment (and per task with `verbose`). */
export function logProgress(
  context: ProgressContext,
  out: TextSink,
  verbosity: Verbosity = "normal",
): Progress {
  const seconds = clock(context);
  return {
    update(event, finished) {
      for (const line of logLines(event, finished, context, seconds, verbosity)) {
        out.write(`${line}\n`);
      }
    },
    finish() {},
  };
}

/**
 * A status line redrawn in place, at most every `intervalMs` and at least every second (the
 * time left moves on while a long task runs); failed experiments (and every task with
 * `verbose`) are written above it as they happen.
 */
export function terminalProgress(
  context: ProgressContext,
  out: TextSink,
  verbosity: Verbosity = "normal",
  intervalMs = 80,
): Progress {
  const seconds = clock(context);
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    out.write(
      `${ERASE_LINE}${progressLine(context.view, context.tally, seconds(), terminalWidth(out))}`,
    );
  };
  const ticker = setInterval(draw, 1000);
  ticker.unref();
  return {
    update(event, finished) {
      const above =
        verbosity === "verbose"
          ? logLines(event, finished, context, seconds, verbosity)
          : finished?.status === "failed"
            ? [experimentLine(finished, context.tally, seconds())]
            : [];
      // The lines replace the status line, which the next draw puts back under them.
      if (above.length > 0) out.write(`${ERASE_LINE}${above.join("\n")}\n`);
      timer ??= setTimeout(draw, intervalMs);
    },
    finish() {
      clearTimeout(timer);
      clearInterval(ticker);
      out.write(ERASE_LINE);
    },
  };
}

/**
 * The progress `lazyscribe run` uses: nothing while the run goes with `quiet`, the status line
 * in a terminal, the log elsewhere.
 */
export function runProgress(
  context: ProgressContext,
  out: TextSink,
  verbosity: Verbosity,
): Progress {
  if (verbosity === "quiet") return { update() {}, finish() {} };
  return out.isTTY === true
    ? terminalProgress(context, out, verbosity)
    : logProgress(context, out, verbosity);
}
