/**
 * A tiny benchmark harness: each workload runs in a fresh child process, so its time and its
 * peak memory (max resident set size) are its own. Figures are printed as JSON, one a line.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder a benchmark writes its files in, shared with its child processes through
 * `LAZYSCRIBE_BENCH_DIR`. When that variable is not set, this process creates a temporary
 * folder and removes it when it exits (the files are hundreds of megabytes at N = 50,000);
 * a folder given by the variable is kept.
 */
export function benchDir(): string {
  const given = process.env.LAZYSCRIBE_BENCH_DIR;
  if (given !== undefined) return given;
  const dir = mkdtempSync(join(tmpdir(), "lazyscribe-bench-"));
  process.env.LAZYSCRIBE_BENCH_DIR = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One measured figure. */
export interface Figure {
  readonly benchmark: string;
  readonly n: number;
  readonly seconds: number;
  /**
   * The processor time the process spent meanwhile (user + system, every thread: the
   * garbage collector's helpers too), steadier than `seconds` on a shared machine.
   */
  readonly cpuSeconds?: number;
  readonly peakRssMB: number;
  readonly [extra: string]: unknown;
}

/** Times `work` in this process and prints its figure (called inside the child). */
export async function measure(
  benchmark: string,
  n: number,
  work: () => Promise<unknown> | unknown,
  extra: object = {},
): Promise<Figure> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(4));
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const figure: Figure = {
    benchmark,
    n,
    seconds: Number(seconds.toFixed(4)),
    cpuSeconds,
    peakRssMB,
    ...extra,
  };
  console.log(JSON.stringify(figure));
  return figure;
}

/**
 * Runs `script workload n` in a fresh Node process with tsx, passes its output through and
 * returns the figures it printed.
 */
export function runChild(script: string, workload: string, n: number): Figure[] {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", "--max-old-space-size=16384", fileURLToPath(script), workload, String(n)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  process.stdout.write(output);
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Figure);
}
