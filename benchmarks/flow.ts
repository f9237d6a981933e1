/**
 * The flow workload of DESIGN section 7 and issue 3: a flow that logs N experiments (each 20
 * metrics, 10 parameters, 2 tags, 1 test with 5 metrics) and saves them, beside the same work
 * through the core API directly. Each figure runs in its own process; the flow's time covers
 * recording the graph and running it (`buildSeconds` is the recording alone).
 *
 *   npx tsx benchmarks/flow.ts [N...] [--rounds R]   both paths (default N = 1000 and 10000,
 *                                                   R = 1), then a table of the medians and ratios
 *   npx tsx benchmarks/flow.ts <workload> <N>         one workload, in this process
 *
 * Besides the wall time (`seconds`), each figure has `cpuSeconds`, the process's CPU time
 * (user and system, every thread) over the same work: on a shared machine it moves less with
 * the other processes' load than the wall time does.
 *
 * Targets (issue 9): the flow within 3 times the core's time and 2 times its peak memory.
 */

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Flow, LazyProject } from "../src/flow/index.js";
import { type Experiment, Project, type Test } from "../src/index.js";
import { benchDir, type Figure, measure } from "./harness.js";
import { logWorkload } from "./workload.js";

const dir = benchDir();

/** The CPU time spent since `since` (a `process.cpuUsage()`), in seconds. */
function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Number(((used.user + used.system) / 1e6).toFixed(4));
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "core-log-save"(n) {
    const fpath = join(dir, `core-${n}.json`);
    let cpuSeconds = 0;
    await measure(
      "core-log-save",
      n,
      async () => {
        const cpu = process.cpuUsage();
        const project = await Project.open(fpath, { mode: "w", author: "bench" });
        for (let i = 0; i < n; i++) {
          project.log(`Experiment ${i}`, (exp: Experiment) => logWorkload<Test>(exp, i));
        }
        await project.save();
        cpuSeconds = cpuSince(cpu);
      },
      {
        get cpuSeconds() {
          return cpuSeconds;
        },
      },
    );
  },
  async "flow-log-save"(n) {
    const fpath = join(dir, `flow-${n}.json`);
    let buildSeconds = 0;
    let cpuSeconds = 0;
    let tasks = 0;
    await measure(
      "flow-log-save",
      n,
      async () => {
        const cpu = process.cpuUsage();
        const start = performance.now();
        const flow = new Flow("Benchmark", () => {
          const project = new LazyProject({ fpath, mode: "w", author: "bench" }).bind();
          for (let i = 0; i < n; i++) project.log(`Experiment ${i}`, (exp) => logWorkload(exp, i));
          project.save();
        });
        buildSeconds = (performance.now() - start) / 1000;
        tasks = flow.tasks.length;
        const state = await flow.run();
        if (!state.isSuccessful()) throw state.error;
        cpuSeconds = cpuSince(cpu);
      },
      {
        get cpuSeconds() {
          return cpuSeconds;
        },
        get buildSeconds() {
          return Number(buildSeconds.toFixed(4));
        },
        get tasks() {
          return tasks;
        },
      },
    );
  },
};

/** Runs one workload in a fresh process; prints and returns its figure. */
function child(workload: string, n: number): Figure {
  const output = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--max-old-space-size=16384",
      fileURLToPath(import.meta.url),
      workload,
      String(n),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  process.stdout.write(output);
  return JSON.parse(output.trim().split("\n").pop() as string) as Figure;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const [first, second] = process.argv.slice(2);
if (first !== undefined && first in workloads) {
  await (workloads[first] as (n: number) => Promise<void>)(Number(second ?? 10_000));
} else {
  const args = process.argv.slice(2);
  const at = args.indexOf("--rounds");
  const rounds = at < 0 ? 1 : Number(args[at + 1]);
  const sizes = args.filter((_, i) => at < 0 || (i !== at && i !== at + 1)).map(Number);
  const figures = new Map<string, Figure[]>();
  for (let round = 0; round < rounds; round++) {
    for (const n of sizes.length > 0 ? sizes : [1_000, 10_000]) {
      for (const name of Object.keys(workloads)) {
        const key = `${name} ${n}`;
        figures.set(key, [...(figures.get(key) ?? []), child(name, n)]);
      }
    }
  }
  const rows = [
    "| N | core s | flow s | time ratio | core CPU s | flow CPU s | CPU ratio | core peak MB | flow peak MB | memory ratio |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const n of sizes.length > 0 ? sizes : [1_000, 10_000]) {
    const core = figures.get(`core-log-save ${n}`) ?? [];
    const flow = figures.get(`flow-log-save ${n}`) ?? [];
    const [cs, fs] = [median(core.map((f) => f.seconds)), median(flow.map((f) => f.seconds))];
    const [cm, fm] = [median(core.map((f) => f.peakRssMB)), median(flow.map((f) => f.peakRssMB))];
    const cpu = (f: Figure) => (typeof f.cpuSeconds === "number" ? f.cpuSeconds : Number.NaN);
    const [cc, fc] = [median(core.map(cpu)), median(flow.map(cpu))];
    rows.push(
      `| ${n} | ${cs.toFixed(3)} | ${fs.toFixed(3)} | ${(fs / cs).toFixed(2)} | ${cc.toFixed(3)} | ${fc.toFixed(3)} | ${(fc / cc).toFixed(2)} | ${cm} | ${fm} | ${(fm / cm).toFixed(2)} |`,
    );
  }
  console.log(`\nmedians of ${rounds} round(s)\n${rows.join("\n")}`);
}
