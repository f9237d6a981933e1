/**
 * Runs the `lazyscribe` command line in a child process, as a user would, and collects what
 * it prints and its exit code.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** What one run of the command printed, and how it exited. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lazyscribe ...args` with `node --import tsx src/cli/main.ts` in `cwd` (the root by default). */
export function lazyscribe(args: readonly string[], cwd: string = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", MAIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1" }, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
