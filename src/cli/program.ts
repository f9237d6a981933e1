/**
 * The `lazyscribe` program: wires each command module into one commander program and runs a
 * command line through it, writing to the streams it is given. `main.ts` is the bin that runs
 * it on the process; tests run it in-process.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { compareCommand } from "./compare.js";
import { exportCommand } from "./export.js";
import { reportError, usageMessage } from "./fail.js";
import type { CliIO } from "./io.js";
import { listCommand } from "./list.js";
import { mergeCommand } from "./merge.js";
import { repoCommand } from "./repo.js";
import { runCommand } from "./run.js";
import { serveCommand } from "./serve.js";
import { showCommand } from "./show.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

/** The `lazyscribe` program with every command, writing to `io`. */
export function createProgram(io: CliIO): Command {
  const program = new Command("lazyscribe")
    .description("look at, compare and follow lazyscribe experiments")
    .version(version(), "-V, --version")
    .option("--debug", "print the stack trace of errors")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`lazyscribe: ${usageMessage(text)}\n`),
    });
  for (const command of [
    listCommand(io),
    showCommand(io),
    compareCommand(io),
    mergeCommand(io),
    exportCommand(io),
    repoCommand(io),
    runCommand(io),
    serveCommand(io),
  ]) {
    program.addCommand(inheritSettings(command, program));
  }
  return program;
}

/**
 * Gives `command` and its own subcommands (`repo diff`) the program's output and exit
 * settings, so that none of them writes past `io` or ends the process.
 */
function inheritSettings(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub, command);
  return command;
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return reportError(error, io, program.opts().debug === true || argv.includes("--debug"));
  }
}
