/**
 * Metric history: logging 10^5 values of one metric by step, saving them, and opening a
 * project of N workload experiments with and without one experiment that holds a
 * 10^5-value history (the history is an artifact: opening the project must not read it),
 * then reading that history back with `metricHistory`.
 *
 *   npx tsx benchmarks/history.ts [N...]          all workloads (default N = 10000)
 *   npx tsx benchmarks/history.ts <workload> <N>   one workload, in this process
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { Experiment, Project } from "../src/index.js";
import { benchDir, measure, runChild } from "./harness.js";
import { appendWorkload } from "./workload.js";

/** The values in the long history. */
const POINTS = 100_000;

const dir = benchDir();

/** Logs POINTS losses at steps 0, 1, 2... on `exp`. */
function logLosses(exp: Experiment): void {
  for (let step = 0; step < POINTS; step++) exp.logMetric("loss", 1 / (step + 1), { step });
}

/** Writes N workload experiments, plus one with the long history when `withHistory`. */
async function writeProject(n: number, withHistory: boolean): Promise<string> {
  const fpath = join(dir, `history-${withHistory ? "with" : "without"}-${n}`, "project.json");
  const project = await Project.open(fpath, { mode: "w", author: "bench" });
  appendWorkload(project, n);
  if (withHistory) {
    const exp = new Experiment({ name: "Long run", project: fpath, author: "bench" });
    logLosses(exp);
    project.append(exp);
  }
  await project.save();
  return fpath;
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "log-steps"() {
    const exp = new Experiment({ name: "Long run", author: "bench" });
    await measure("history-log-metric-steps", POINTS, () => logLosses(exp));
  },
  async "save-history"() {
    const fpath = join(dir, "history-save", "project.json");
    const project = await Project.open(fpath, { mode: "w", author: "bench" });
    const exp = new Experiment({ name: "Long run", project: fpath, author: "bench" });
    logLosses(exp);
    project.append(exp);
    await measure("history-save", POINTS, () => project.save());
    const bytes = statSync(join(exp.path, "metric-history.json")).size;
    console.log(JSON.stringify({ benchmark: "history-file-bytes", n: POINTS, bytes }));
  },
  async "open-without-history"(n) {
    const fpath = await writeProject(n, false);
    await measure("history-open-r-without", n, () => Project.open(fpath, { mode: "r" }));
  },
  async "open-with-history"(n) {
    const fpath = await writeProject(n, true);
    let project!: Project;
    await measure("history-open-r-with-1e5", n, async () => {
      project = await Project.open(fpath, { mode: "r" });
    });
    const exp = project.get("long-run") as Experiment;
    let read = 0;
    await measure("history-read-1e5", POINTS, async () => {
      read = (await exp.metricHistory("loss")).length;
    });
    if (read !== POINTS) throw new Error(`read ${read} values, expected ${POINTS}`);
  },
};

const [first, second] = process.argv.slice(2);
if (first !== undefined && first in workloads) {
  await (workloads[first] as (n: number) => Promise<void>)(Number(second ?? 10_000));
} else {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [10_000]) {
    for (const name of Object.keys(workloads)) runChild(import.meta.url, name, n);
  }
}
