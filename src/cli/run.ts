/**
 * `lazyscribe run <flow file>`: runs the flow a module exports, shows its progress, then the
 * final state of each task; the exit code is non-zero when the flow failed.
 *
 * @module
 */
import { Command } from "commander";
import type { Subscription } from "rxjs";
import { FlowView } from "../dashboard/flowView.js";
import { type Dashboard, serveDashboard } from "../dashboard/index.js";
import { CliError, EXIT_INTERRUPTED, EXIT_USAGE } from "./fail.js";
import { clean } from "./format.js";
import type { CliIO } from "./io.js";
import { loadFlow, type RunnableFlow } from "./loadFlow.js";
import { logProgress, type Progress, summary, terminalProgress } from "./progress.js";
import { DEFAULT_PORT, parsePort, untilStopped } from "./serve.js";

/** Options of `lazyscribe run`. */
export interface RunCommandOptions {
  readonly param?: Record<string, unknown>;
  readonly export?: string;
  readonly dashboard?: boolean;
  readonly port: number;
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
 * Runs `flow` (through `dashboard` when there is one), drawing its progress on `io.stdout`,
 * and returns the view of its final state. Ctrl+C stops the run.
 */
export function runFlowWithProgress(
  flow: RunnableFlow,
  parameters: Record<string, unknown>,
  io: CliIO,
  dashboard?: Dashboard,
): Promise<FlowView> {
  const view = new FlowView(flow);
  const progress: Progress =
    io.stdout.isTTY === true ? terminalProgress(view, io.stdout) : logProgress(view, io.stdout);
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
        resolve(view);
      } else {
        reject(error);
      }
    };
    subscription = (dashboard === undefined ? run$ : dashboard.track(run$)).subscribe({
      next: (event) => {
        view.record(event);
        progress.update(event);
      },
      error: (error: unknown) => done(error),
      complete: () => done(),
    });
  });
}

/** The `run` command. */
export function runCommand(io: CliIO): Command {
  return new Command("run")
    .description("run the flow a module exports, with live progress and a summary of its tasks")
    .argument("<flow-file>", "a module (.js, .mjs, or .ts with tsx installed) that exports a Flow")
    .option(
      "--param <name=value>",
      "a flow parameter (repeat for several; JSON values are parsed)",
      parseParam,
    )
    .option("--export <name>", "the export to run when the module exports several flows")
    .option("--dashboard", "serve the live dashboard of the run (and keep it up until Ctrl+C)")
    .option("-p, --port <port>", "the dashboard's port (0: any free port)", parsePort, DEFAULT_PORT)
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
      const started = performance.now();
      const view = await runFlowWithProgress(flow, given, io, dashboard);
      io.stdout.write(summary(view, (performance.now() - started) / 1000));
      if (dashboard !== undefined) {
        io.stderr.write(`the dashboard stays at ${dashboard.url} (Ctrl+C to stop)\n`);
        await untilStopped();
        await dashboard.close();
      }
      if (view.status === "failed") {
        const failed = view.tasks.filter((t) => t.status === "failed");
        const names = failed.map(
          (t) => `task "${clean(flow.tasks[t.id]?.name ?? "")}" failed: ${clean(t.detail ?? "")}`,
        );
        throw new CliError(`flow "${clean(flow.name)}" failed: ${names.join("; ")}`);
      }
    });
}
