/**
 * Running the bin in a real terminal for tests: a pseudo-terminal from util-linux's `script`,
 * so that `run` sees a TTY on its standard output.
 */
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { MAIN, ROOT } from "./run.js";

/** Whether `script` is installed (the terminal tests are skipped without it). */
export const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Runs `command` (one shell line) in a pseudo-terminal; resolves with what the terminal got. */
export function inTerminal(command: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "script",
      ["--quiet", "--return", "--command", command, "/dev/null"],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, COLUMNS: "100" } },
      (error, stdout) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        // The terminal turns each "\n" into "\r\n".
        resolve({ code, output: stdout.replaceAll("\r\n", "\n") });
      },
    );
  });
}

/** `text` quoted for a POSIX shell. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The command line of the bin running `run <flow file> ...args`, quoted for a shell. */
export function runLine(flow: string, ...args: string[]): string {
  const file = fileURLToPath(new URL(`./flows/${flow}`, import.meta.url));
  const argv = [process.execPath, "--import", "tsx", MAIN, "run", file, ...args];
  return argv.map(quote).join(" ");
}

/** Each redraw of the status line starts with a carriage return and an erase of the line. */
export const REDRAW = "\r\u001b[2K";
