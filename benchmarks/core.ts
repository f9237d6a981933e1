/**
 * The core workloads of DESIGN section 7: N experiments, each with 20 metrics, 10 parameters,
 * 2 tags and 1 test with 5 metrics.
 *
 *   npx tsx benchmarks/core.ts [N...]          all workloads (default N = 10000)
 *   npx tsx benchmarks/core.ts <workload> <N>   one workload, in this process
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Experiment, Project } from "../src/index.js";
import { measure, runChild } from "./harness.js";
import { logWorkload, writeWorkload } from "./workload.js";

const dir = process.env.LAZYSCRIBE_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "lazyscribe-bench-"));
process.env.LAZYSCRIBE_BENCH_DIR = dir;
const fileFor = (n: number, tag = "a") => join(dir, `project-${tag}-${n}.json`);

/** Builds N experiments through \`project.log\`, as a user would. */
async function buildViaLog(n: number): Promise<Project> {
  const project = await Project.open(fileFor(n), { mode: "w", author: "bench" });
  for (let i = 0; i < n; i++) project.log(`Experiment ${i}`, (exp) => logWorkload(exp, i));
  return project;
}

async function prepareFile(n: number, tag = "a", offset = 0): Promise<string> {
  return (await writeWorkload(fileFor(n, tag), n, offset)).fpath;
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "log-metric"(n) {
    const exp = new Experiment({ name: "Hot loop", author: "bench" });
    const calls = n * 10;
    await measure("log-metric-calls", calls, () => {
      for (let i = 0; i < calls; i++) exp.logMetric(`m${i % 50}`, i / 7);
    });
  },
  async build(n) {
    await measure("build-experiments", n, () => buildViaLog(n));
  },
  async save(n) {
    const project = await buildViaLog(n);
    await measure("save", n, () => project.save());
    const bytes = readFileSync(project.fpath).length;
    const data = [...project];
    await measure(
      "baseline-json-stringify-write",
      n,
      () => writeFileSync(`${project.fpath}.plain`, JSON.stringify(data, null, 4)),
      { bytes },
    );
  },
  async "open-r"(n) {
    const file = await prepareFile(n);
    await measure("open-r", n, () => Project.open(file, { mode: "r" }));
    await measure("baseline-read-json-parse", n, () => JSON.parse(readFileSync(file, "utf8")));
  },
  async "open-w+"(n) {
    const file = await prepareFile(n);
    await measure("open-w+", n, () => Project.open(file, { mode: "w+" }));
  },
  async merge(n) {
    const a = await Project.open(await prepareFile(n, "a", 0), { mode: "r" });
    const b = await Project.open(await prepareFile(n, "b", n / 2), { mode: "r" });
    let size = 0;
    await measure("merge", n, () => {
      size = a.merge(b).size;
    });
    if (size !== n + n / 2)
      throw new Error(`merge kept ${size} experiments, expected ${n + n / 2}`);
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
