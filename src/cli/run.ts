/**
 * `lazyscribe run <flow file>`: runs the flow a module exports, shows its progress, then the
 * final state of each task; the exit code is non-zero when the flow failed.
 *
 * @module
 */
import { Command, Option } from "commander";
import type { Subscription } from "rxjs";
import { FlowView } from "../dashboard/flowView.js";
import { type Dashboard, serveDashboard } from "../dashboard/index.js";
import { CliError, EXIT_INTERRUPTED, EXIT_USAGE } from "./fail.js";
import { clean } from "./format.js";
import type { CliIO } from "./io.js";
import { loadFlow, type RunnableFlow } from "./loadFlow.js";
import { runProgress, type Verbosity } from "./progress.js";
import { failureSummary, finalLine, taskTable } from "./runSummary.js";
import { RunTally } from "./runTally.js";
import { DEFAULT_PORT, parsePort, untilStopped } from "./serve.js";

/** Options of `lazyscribe run`. */
export interface RunCommandOptions {
  readonly param?: Record<string, unknown>;
  readonly export?: string;
  readonly dashboard?: boolean;
  readonly port: number;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
}

/** A finished run: the final state of its tasks and its experiments. */
export interface FinishedRun {
  readonly view: FlowView;
  readonly tally: RunTally;
}

/** Parses one `--param name=value` into `previous` (values are JSON when they parse as JSON). */
export function parseParam(text: string, previous: Record<string, unknown> = {}) {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new CliError(`--param needs name=value, not "${text}"`, EXIT_USAGE);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a plain string
  }
  return { ...previous, [text.slice(0, eq)]: value };
}

/**
 * Runs `flow` (through `dashboard` when there is one), drawing its progress on `io.stdout` as
 * `verbosity` says, and returns its final state. Ctrl+C stops the run.
 */
export function runFlowWithProgress(
  flow: RunnableFlow,
  parameters: Record<string, unknown>,
  io: CliIO,
  dashboard?: Dashboard,
  verbosity: Verbosity = "normal",
): Promise<FinishedRun> {
  const view = new FlowView(flow);
  const tally = new RunTally(flow);
  const progress = runProgress({ view, tally }, io.stdout, verbosity);
  const run$ = flow.run$({ parameters });
  return new Promise((resolve, reject) => {
    view.start();
    let subscription: Subscription | undefined;
    const interrupt = () => {
      subscription?.unsubscribe();
      progress.finish();
      reject(new CliError(`flow "${clean(flow.name)}" interrupted`, EXIT_INTERRUPTED));
    };
    // Nothing left to wait for, yet the run has not completed: it never will.
    const stalled = () => {
      process.off("SIGINT", interrupt);
      progress.finish();
      const open = view.tasks.length - view.finished;
      reject(
        new CliError(
          `flow "${clean(flow.name)}" stopped before it finished: ${open} of ${view.tasks.length} tasks never finished`,
        ),
      );
    };
    process.once("SIGINT", interrupt);
    process.once("beforeExit", stalled);
    const done = (error?: unknown) => {
      process.off("SIGINT", interrupt);
      process.off("beforeExit", stalled);
      progress.finish();
      if (error === undefined) {
        view.finish();
        resolve({ view, tally });
      } else {
        reject(error);
      }
    };
    subscription = (dashboard === undefined ? run$ : dashboard.track(run$)).subscribe({
      next: (event) => {
        view.record(event);
        progress.update(event, tally.record(event));
      },
      error: (error: unknown) => done(error),
      complete: () => done(),
    });
  });
}

/** Ends a failed run's one-line error: the first failed tasks, and how many more there were. */
function failureMessage(flow: RunnableFlow, view: FlowView): string {
  const failed = view.tasks.filter((t) => t.status === "failed");
  const shown = failed
    .slice(0, 3)
    .map((t) => `task "${clean(flow.tasks[t.id]?.name ?? "")}" failed: ${clean(t.detail ?? "")}`);
  const rest = failed.length - 3;
  const more = rest > 0 ? `; and ${rest} more failed task${rest === 1 ? "" : "s"}` : "";
  return `flow "${clean(flow.name)}" failed: ${shown.join("; ")}${more}`;
}

/** `--quiet`, `--verbose` or neither (commander refuses both together). */
function verbosityOf(options: RunCommandOptions): Verbosity {
  if (options.quiet === true) return "quiet";
  return options.verbose === true ? "verbose" : "normal";
}

/** The `run` command. */
export function runCommand(io: CliIO): Command {
  return new Command("run")
    .description(
      "run the flow a module exports, with its progress in experiments, then its failures",
    )
    .argument("<flow-file>", "a module (.js, .mjs, or .ts with tsx installed) that exports a Flow")
    .option(
      "--param <name=value>",
      "a flow parameter (repeat for several; JSON values are parsed)",
      parseParam,
    )
    .option("--export <name>", "the export to run when the module exports several flows")
    .addOption(
      new Option(
        "-v, --verbose",
        "print every task's start and end, and each task's final state at the end",
      ).conflicts("quiet"),
    )
    .option("-q, --quiet", "print nothing while the run goes: only its failures and the last line")
    .option("--dashboard", "serve the live dashboard of the run (and keep it up until Ctrl+C)")
    .option("-p, --port <port>", "the dashboard's port (0: any free port)", parsePort, DEFAULT_PORT)
    .addHelpText(
      "after",
      `
Output: in a terminal, one status line redrawn in place (experiments done, failed, rate, time
left, tasks, running experiments), each failed experiment printed as it fails; elsewhere, one
line per finished experiment. At the end: the failed experiments with their cause, the tasks
outside them that failed or did not run, and one closing line with the counts.`,
    )
    .action(async (file: string, options: RunCommandOptions) => {
      const flow = await loadFlow(file, options.export);
      const given = options.param ?? {};
      for (const parameter of flow.parameters ?? []) {
        if (!parameter.hasDefault && !Object.hasOwn(given, parameter.name)) {
          throw new CliError(
            `flow "${clean(flow.name)}" needs parameter "${parameter.name}": pass --param ${parameter.name}=<value>`,
            EXIT_USAGE,
          );
        }
      }
      let dashboard: Dashboard | undefined;
      if (options.dashboard === true) {
        dashboard = await serveDashboard({ flow, port: options.port });
        io.stderr.write(`lazyscribe dashboard at ${dashboard.url}\n`);
      }
      const verbosity = verbosityOf(options);
      const started = performance.now();
      const { view, tally } = await runFlowWithProgress(flow, given, io, dashboard, verbosity);
      const seconds = (performance.now() - started) / 1000;
      const sections = [verbosity === "verbose" ? taskTable(view) : "", failureSummary(tally)];
      const shown = sections.filter((section) => section !== "");
      const last = finalLine(view, tally, seconds);
      // A blank line sets the summary apart from what the run printed as it went.
      const lead = verbosity === "quiet" ? "" : "\n";
      io.stdout.write(shown.length === 0 ? last : `${lead}${shown.join("\n")}\n${last}`);
      if (dashboard !== undefined) {
        io.stderr.write(`the dashboard stays at ${dashboard.url} (Ctrl+C to stop)\n`);
        await untilStopped();
        await dashboard.close();
      }
      if (view.status === "failed") throw new CliError(failureMessage(flow, view));
    });
}
