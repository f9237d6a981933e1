/**
 * Runs the `lazyscribe` command line for tests: in this process through `runCli`, collecting
 * what it writes to its streams and its exit code; or, for what only a real process shows
 * (signals, the end of the event loop), as a child process of the bin.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/program.js";

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The bin, run from its TypeScript source with `node --import tsx`. */
export const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** What one run of the command printed, and how it exited. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lazyscribe ...args` in this process; output goes to strings, not to a terminal. */
export async function lazyscribe(args: readonly string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Starts `node --import tsx src/cli/main.ts ...args` with its output piped. */
export function spawnLazyscribe(
  args: readonly string[],
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the bin as a child process to its end, collecting its output and exit code. */
export function lazyscribeProcess(args: readonly string[]): Promise<CliResult> {
  const child = spawnLazyscribe(args);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }),
    );
  });
}
