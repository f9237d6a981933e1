/**
 * The project behind the metric history fixture (`test/fixtures/metric-history/`): what
 * `scripts/generate-metric-history-fixture.ts` writes for Python to read, and what the tests
 * write again to check that lazyscribe still writes those very bytes.
 *
 * @module
 */
import { Experiment, Project } from "../../src/index.js";

/** When the fixture's first value is logged: 2026-01-02T03:04:05Z. */
export const HISTORY_T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/**
 * Writes the fixture project to `fpath` (mode "w"). `setTime(ms)` sets the clock that
 * `Date.now()` reads (a fake timer in tests, a stub in the script).
 *
 * - "Training": `loss` logged 4 times without a step (steps 0-3, a NaN among them), `lr` at
 *   steps 0, 10, 20, `phase` a string logged twice, `accuracy` logged once, `f1` given to
 *   the constructor (as a file gives it: no time) and logged again; its test
 *   "Holdout" logs `auroc` at steps 1 and 2.
 * - "Baseline": each metric logged once without a step: no history is saved.
 */
export async function writeHistoryProject(
  fpath: string,
  setTime: (ms: number) => void,
): Promise<Project> {
  setTime(HISTORY_T0);
  const project = await Project.open(fpath, { mode: "w", author: "alice" });
  const training = new Experiment({
    name: "Training",
    project: fpath,
    author: "alice",
    createdAt: new Date(HISTORY_T0),
    metrics: { f1: 0.5 },
  });
  training.logMetric("f1", 0.625, { step: 1 });
  const losses = [0.9, 0.5, Number.NaN, 0.25];
  losses.forEach((loss, i) => {
    setTime(HISTORY_T0 + 1000 * i);
    training.logMetric("loss", loss);
  });
  [0, 10, 20].forEach((step, i) => {
    setTime(HISTORY_T0 + 1500 * i);
    training.logMetric("lr", 0.1 / (i + 1), { step });
  });
  training.logMetric("phase", "warmup");
  setTime(HISTORY_T0 + 5000);
  training.logMetric("phase", "train");
  training.logMetric("accuracy", 0.75);
  training.logTest("Holdout", (test) => {
    test.logMetric("auroc", 0.6, { step: 1 });
    setTime(HISTORY_T0 + 6000);
    test.logMetric("auroc", 0.7, { step: 2 });
  });
  project.append(training);
  const baseline = new Experiment({
    name: "Baseline",
    project: fpath,
    author: "alice",
    createdAt: new Date(HISTORY_T0 + 7000),
  });
  setTime(HISTORY_T0 + 7000);
  baseline.logMetric("loss", 0.8);
  baseline.logMetric("accuracy", 0.5);
  project.append(baseline);
  await project.save();
  return project;
}
