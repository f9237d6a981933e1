/**
 * The bin in a real terminal (a pseudo-terminal from util-linux's `script`): `run` sees a TTY
 * on its standard output, so it redraws one progress line in place instead of logging each
 * task, and leaves the line clean for the summary.
 */
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";
import { MAIN, ROOT } from "./run.js";

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Runs `command` (one shell line) in a pseudo-terminal; resolves with what the terminal got. */
function inTerminal(command: string): Promise<{ code: number; output: string }> {
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

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

describe.skipIf(!hasScript)("lazyscribe run in a terminal", () => {
  it("draws its progress in place, then the summary on a clean line", async () => {
    const fpath = join(tempDir(), "project.json");
    const flow = fileURLToPath(new URL("./flows/good.ts", import.meta.url));
    const argv = [
      process.execPath,
      "--import",
      "tsx",
      MAIN,
      "run",
      flow,
      "--param",
      `fpath=${fpath}`,
    ];
    const { code, output } = await inTerminal(argv.map(quote).join(" "));
    expect(code).toBe(0);
    // No log line per task: that is the output for pipes and files.
    expect(output).not.toContain("started    ");
    // The progress line is cleared ("\r" and erase-line) before the summary starts.
    expect(output).toContain("\r\u001b[2K#  task ");
    expect(output).toMatch(/\nflow "Nightly evaluation" succeeded in \d+\.\d\d s: 8 succeeded\n$/);
  });
});
