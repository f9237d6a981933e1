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

const dir = process.env.LAZYSCRIBE_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "lazyscribe-bench-"));
process.env.LAZYSCRIBE_BENCH_DIR = dir;

/** What both paths log on experiment `i`, through an experiment-like and a test-like logger. */
interface Logger<T> {
  logMetric(name: string, value: number): unknown;
  logParameter(name: string, value: unknown): unknown;
  tag(tags: string[]): unknown;
  logTest(name: string, body: (test: T) => void): unknown;
}

function logExperiment<T extends { logMetric(name: string, value: number): unknown }>(
  exp: Logger<T>,
  i: number,
): void {
  for (let m = 0; m < 20; m++) exp.logMetric(`metric_${m}`, (i * 31 + m) / 997);
  for (let p = 0; p < 10; p++) {
    exp.logParameter(`param_${p}`, p % 2 === 0 ? `value-${p}` : { depth: p, lr: 0.01 * p });
  }
  exp.tag(["bench", `group-${i % 10}`]);
  exp.logTest("Holdout", (test) => {
    for (let m = 0; m < 5; m++) test.logMetric(`test_metric_${m}`, (i + m) / 13);
  });
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "core-log-save"(n) {
    const fpath = join(dir, `core-${n}.json`);
    await measure("core-log-save", n, async () => {
      const project = await Project.open(fpath, { mode: "w", author: "bench" });
      for (let i = 0; i < n; i++) {
        project.log(`Experiment ${i}`, (exp: Experiment) => logExperiment<Test>(exp, i));
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
          for (let i = 0; i < n; i++)
            project.log(`Experiment ${i}`, (exp) => logExperiment(exp, i));
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
