/**
 * The flow workload of DESIGN section 7 and issue 3: a flow that logs N experiments (each 20
 * metrics, 10 parameters, 2 tags, 1 test with 5 metrics) and saves them, beside the same work
 * through the core API directly. Each figure runs in its own process; the flow's time covers
 * recording the graph and running it (`buildSeconds` is the recording alone).
 *
 *   npx tsx benchmarks/flow.ts [N...]            both paths (default N = 1000 and 10000)
 *   npx tsx benchmarks/flow.ts <workload> <N>     one workload, in this process
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Flow, LazyProject } from "../src/flow/index.js";
import { type Experiment, Project, type Test } from "../src/index.js";
import { measure, runChild } from "./harness.js";
import { logWorkload } from "./workload.js";

const dir = process.env.LAZYSCRIBE_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "lazyscribe-bench-"));
process.env.LAZYSCRIBE_BENCH_DIR = dir;

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "core-log-save"(n) {
    const fpath = join(dir, `core-${n}.json`);
    await measure("core-log-save", n, async () => {
      const project = await Project.open(fpath, { mode: "w", author: "bench" });
      for (let i = 0; i < n; i++) {
        project.log(`Experiment ${i}`, (exp: Experiment) => logWorkload<Test>(exp, i));
      }
      await project.save();
    });
  },
  async "flow-log-save"(n) {
    const fpath = join(dir, `flow-${n}.json`);
    let buildSeconds = 0;
    let tasks = 0;
    await measure(
      "flow-log-save",
      n,
      async () => {
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
      },
      {
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

const [first, second] = process.argv.slice(2);
if (first !== undefined && first in workloads) {
  await (workloads[first] as (n: number) => Promise<void>)(Number(second ?? 10_000));
} else {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [1_000, 10_000]) {
    for (const name of Object.keys(workloads)) runChild(import.meta.url, name, n);
  }
}
