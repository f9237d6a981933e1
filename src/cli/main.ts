#!/usr/bin/env node
/**
 * The `lazyscribe` command: runs the program of `program.ts` on this process's arguments and
 * streams, and exits with its code. Everything else lives in the importable program; `run`
 * goes through a supervised child process (see `supervise.ts`) so that Ctrl+C always stops it.
 *
 * @module
 */
import { processIO } from "./io.js";
import { runCli } from "./program.js";
import { followSupervisor, needsSupervisor, superviseRun } from "./supervise.js";

const argv = process.argv.slice(2);
const io = processIO();
if (needsSupervisor(argv, process.env)) {
  process.exitCode = await superviseRun(argv, io);
} else {
  followSupervisor();
  process.exitCode = await runCli(argv, io);
}
