/**
 * The project files the benchmarks open: written as Python lazyscribe 2.2.1 writes them, by
 * `scripts/generate-python-project.py` (whole floats, big integers, a rare `NaN`, non-ASCII
 * text), once per benchmark folder, and the engine's limits on the same bytes.
 */
import { execFileSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDir } from "./harness.js";

/** The benchmark folder, shared with the child processes. */
export const BENCH_DIR = benchDir();

/** The Python-written file of `n` experiments numbered from `first`. */
export function pythonFile(n: number, first = 0): string {
  const file = join(BENCH_DIR, `python-project-${n}-${first}.json`);
  if (!existsSync(file)) {
    const script = fileURLToPath(new URL("../scripts/generate-python-project.py", import.meta.url));
    execFileSync("python3", [script, String(n), file, String(first)], { stdio: "inherit" });
  }
  return file;
}

/**
 * A fresh copy of the Python-written file of `n` experiments, for a workload to change. The
 * copy is flushed to the disk, as a project file saved earlier is: a save that flushes the file
 * it writes in place would otherwise pay for writing the whole copy out.
 */
export function pythonCopy(n: number, tag: string): string {
  const file = join(BENCH_DIR, `work-${tag}-${n}.json`);
  copyFileSync(pythonFile(n), file);
  const fd = openSync(file, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return file;
}

/**
 * The same bytes with `NaN` made plain JSON (`0  `, same length) for the engine's limits:
 * `JSON.parse` refuses `NaN`.
 */
export function plainText(file: string): string {
  return readFileSync(file, "utf8").replace(/NaN/g, "0  ");
}

/** The read limit: `readFile` + `JSON.parse` of the file's bytes (`NaN` made `0`). */
export function readLimit(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8").replace(/NaN/g, "0  "));
}

/** The write limit: `JSON.stringify(value, null, 4)` + write. */
export function writeLimit(value: unknown, file: string): void {
  writeFileSync(file, JSON.stringify(value, null, 4));
}
