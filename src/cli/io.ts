/**
 * Where a command writes: standard output and standard error, and whether output goes to a
 * terminal. Commands write through this, never to `process` directly, so one place handles
 * terminals, pipes and closed pipes.
 *
 * @module
 */

/** A stream a command writes text to. */
export interface TextSink {
  write(text: string): unknown;
  /** Whether the stream is a terminal. */
  readonly isTTY?: boolean;
  /** The terminal's width in columns, when it is one. */
  readonly columns?: number;
}

/** The output streams of one command line run. */
export interface CliIO {
  /** Results: tables, records, exported data. */
  readonly stdout: TextSink;
  /** Errors and progress. */
  readonly stderr: TextSink;
}

/** The process's own streams. A closed pipe on stdout (`lazyscribe list | head`) ends quietly. */
export function processIO(): CliIO {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  return { stdout: process.stdout, stderr: process.stderr };
}

/**
 * The terminal's width: what it says, else `$COLUMNS` (a terminal that reports no size, as
 * `script` gives), else 80.
 */
export function terminalWidth(out: TextSink, env: NodeJS.ProcessEnv = process.env): number {
  if (out.columns !== undefined && out.columns > 0) return out.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 80;
}
