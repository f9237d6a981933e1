/**
 * A tiny benchmark harness: each workload runs in a fresh child process, so its time and its
 * peak memory (max resident set size) are its own. Figures are printed as JSON, one a line.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

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
