/**
 * `lazyscribe run` in a child process that the bin supervises, so that Ctrl+C always stops a
 * run: the first Ctrl+C is passed on to the run, which cancels the flow (task functions see
 * their AbortSignal, a save not yet in place is abandoned); the second ends the child at once,
 * even when a task function is a synchronous loop that never gives the run a chance to see
 * the first.
 *
 * The child has a process group of its own, so a terminal's Ctrl+C reaches the supervisor
 * only and each press is passed on exactly once; the child still writes to the terminal.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { EXIT_INTERRUPTED } from "./fail.js";
import type { CliIO } from "./io.js";

/** Set in the child's environment: the child runs the command itself. */
export const RUN_CHILD_VARIABLE = "LAZYSCRIBE_RUN_CHILD";

/** Whether this process should run `argv` through a supervised child. */
export function needsSupervisor(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const command = argv.find((arg) => !arg.startsWith("-"));
  return command === "run" && env[RUN_CHILD_VARIABLE] === undefined;
}

/**
 * Runs this same bin with `argv` in a child process and resolves with its exit code (130
 * when the second Ctrl+C ended it).
 */
export function superviseRun(argv: readonly string[], io: Pick<CliIO, "stderr">): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? "", ...argv], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
    env: { ...process.env, [RUN_CHILD_VARIABLE]: "1" },
  });
  let presses = 0;
  const interrupt = (signal: NodeJS.Signals) => {
    presses += signal === "SIGINT" ? 1 : 2;
    if (presses === 1) {
      child.kill("SIGINT");
    } else {
      io.stderr.write(
        "lazyscribe: stopped at once: the run had not ended after the first Ctrl+C\n",
      );
      child.kill("SIGKILL");
    }
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      resolve(code ?? (signal === null ? 1 : EXIT_INTERRUPTED));
    });
  });
}

/**
 * In the child: ends it when the supervisor is gone, without keeping the child alive for that.
 */
export function followSupervisor(): void {
  if (process.channel === undefined) return;
  process.on("disconnect", () => process.exit(EXIT_INTERRUPTED));
  process.channel.unref();
}
