/**
 * How the command line reports what went wrong: one line on stderr and an exit code; the
 * stack trace only with `--debug`.
 *
 * @module
 */
import { CommanderError } from "commander";
import type { CliIO } from "./io.js";

/** Exit code of a command whose work failed (missing file, unknown slug, failed flow...). */
export const EXIT_FAILURE = 1;
/** Exit code of a command line that could not be understood (bad option, missing argument). */
export const EXIT_USAGE = 2;

/** Exit code of a command stopped with Ctrl+C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** An error the command line reports as one line, with the exit code it asks for. */
export class CliError extends Error {
  /** The process exit code. */
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** The message of a usage error as commander words it, on one line without its `error:`. */
export function usageMessage(text: string): string {
  return text
    .trim()
    .replace(/^error:\s*/, "")
    .replace(/\s*\n\s*/g, " ");
}

/**
 * Writes `error` to stderr as `lazyscribe: <message>` (with the stack when `debug` is set)
 * and returns the exit code to use.
 */
export function reportError(error: unknown, io: CliIO, debug: boolean): number {
  if (error instanceof CommanderError) {
    // commander has already printed the message (see program.ts's configureOutput).
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`lazyscribe: ${oneLine(message)}\n`);
  if (debug && error instanceof Error && error.stack !== undefined) {
    io.stderr.write(`${error.stack}\n`);
  }
  return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
