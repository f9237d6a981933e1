/**
 * The experiment shape of DESIGN section 7, shared by the benchmarks: 20 metrics, 10
 * parameters, 2 tags and 1 test with 5 metrics.
 */
import { Experiment, Project } from "../src/index.js";

const BASE = Date.UTC(2024, 0, 1);

/** What the workload logs on: an experiment (core or lazy) and its tests. */
export interface Logger<T> {
  logMetric(name: string, value: number): unknown;
  logParameter(name: string, value: unknown): unknown;
  tag(tags: string[]): unknown;
  logTest(name: string, body: (test: T) => void): unknown;
}

/** Logs experiment `i` of the workload. */
export function logWorkload<T extends { logMetric(name: string, value: number): unknown }>(
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

/** Appends experiments `offset` to `offset + n - 1`, created one second apart. */
export function appendWorkload(project: Project, n: number, offset = 0): void {
  for (let i = offset; i < offset + n; i++) {
    const exp = new Experiment({
      name: `Experiment ${i}`,
      project: project.fpath,
      author: "bench",
      createdAt: new Date(BASE + i * 1000),
    });
    logWorkload(exp, i);
    project.append(exp);
  }
}

/** Writes a project of `n` workload experiments at `fpath` (mode "w") and returns it. */
export async function writeWorkload(fpath: string, n: number, offset = 0): Promise<Project> {
  const project = await Project.open(fpath, { mode: "w", author: "bench" });
  appendWorkload(project, n, offset);
  await project.save();
  return project;
}
