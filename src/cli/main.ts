#!/usr/bin/env node
/**
 * The `lazyscribe` command: runs the program of `program.ts` on this process's arguments and
 * streams, and exits with its code. Everything else lives in the importable program.
 *
 * @module
 */
import { processIO } from "./io.js";
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv.slice(2), processIO());
