/**
 * Logs a few experiments (with tests) to a local project file with the core API, then prints
 * them. Run with `npx tsx examples/quickstart.ts [project file]`.
 */
import { Project } from "../src/index.js";

const fpath = process.argv[2] ?? "examples/output/quickstart.json";

/** A small deterministic "model": predicts y = w * x on a fixed data set and scores it. */
function score(weight: number, xs: number[]): { mse: number; accuracy: number } {
  const errors = xs.map((x) => (weight * x - 2 * x) ** 2);
  const mse = errors.reduce((a, b) => a + b, 0) / xs.length;
  const accuracy = errors.filter((e) => e < 0.5).length / xs.length;
  return { mse, accuracy };
}

const project = await Project.open(fpath, { mode: "a", author: "quickstart" });
const data = Array.from({ length: 50 }, (_, i) => i / 10);

for (const weight of [1.5, 1.9, 2.0]) {
  await project.log(`Linear model w=${weight}`, async (exp) => {
    const { mse, accuracy } = score(weight, data);
    exp.logParameter("weight", weight);
    exp.logParameter("features", ["x"]);
    exp.logMetric("mse", mse);
    exp.logMetric("accuracy", accuracy);
    exp.tag(weight === 2 ? ["best", "linear"] : ["linear"]);
    await exp.logTest(
      "Small x",
      (test) => {
        const small = score(
          weight,
          data.filter((x) => x < 1),
        );
        test.logMetric("mse", small.mse);
        test.logParameter("filter", "x < 1");
      },
      { description: "inputs below 1" },
    );
  });
}
await project.save();

const { experiments, tests } = project.toTabular();
console.log(`Saved ${project.size} experiments to ${fpath}\n`);
console.table(
  experiments.map((r) => ({
    slug: r.slug,
    author: r.author,
    mse: r["metrics.mse"],
    accuracy: r["metrics.accuracy"],
  })),
);
console.table(
  tests.map((r) => ({ experiment: r.experiment_slug, test: r.test, mse: r["metrics.mse"] })),
);
