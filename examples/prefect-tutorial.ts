/**
 * The Python integration's tutorial, in TypeScript: generate data, train a model, score it,
 * and log the score of the trained model — each step a task of one flow.
 *
 * The model is plain TypeScript: a linear classifier fitted by least squares on generated
 * two-class data. Run with `npx tsx examples/prefect-tutorial.ts [project file]`.
 */
import { Flow, LazyProject, task } from "../src/flow/index.js";

/** Features (one row per sample) and labels (0 or 1). */
interface Data {
  readonly X: number[][];
  readonly y: number[];
}

/** A linear model: predicts 1 when `weights · [1, ...x]` is above 0.5. */
interface Model {
  readonly weights: number[];
}

/** A small seeded random number generator (mulberry32), so every run gives the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two classes of points, around two centres, with some noise. */
function makeClassification(samples: number, features: number, seed: number): Data {
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < samples; i++) {
    const label = i % 2;
    X.push(
      Array.from(
        { length: features },
        (_, j) => (label === 1 ? 1 : -1) * (j < 3 ? 1 : 0) + gaussian(),
      ),
    );
    y.push(label);
  }
  return { X, y };
}

/** Solves `A w = b` by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r]?.[col] as number) > Math.abs(m[pivot]?.[col] as number)) pivot = r;
    }
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const lead = m[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const factor = (row[col] as number) / (lead[col] as number);
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - factor * (lead[c] as number);
    }
  }
  const w = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let sum = row[n] as number;
    for (let c = r + 1; c < n; c++) sum -= (row[c] as number) * (w[c] as number);
    w[r] = sum / (row[r] as number);
  }
  return w;
}

/** Least squares on `[1, ...x]`: the normal equations `(XᵀX) w = Xᵀy`. */
function fitLeastSquares({ X, y }: Data): Model {
  const rows = X.map((x) => [1, ...x]);
  const k = (rows[0] as number[]).length;
  const xtx = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) =>
      rows.reduce((s, r) => s + (r[i] as number) * (r[j] as number), 0),
    ),
  );
  const xty = Array.from({ length: k }, (_, i) =>
    rows.reduce((s, r, n) => s + (r[i] as number) * (y[n] as number), 0),
  );
  return { weights: solve(xtx, xty) };
}

/** The share of samples the model classifies right. */
function accuracy(model: Model, { X, y }: Data): number {
  const right = X.filter((x, i) => {
    const score = [1, ...x].reduce((s, v, j) => s + v * (model.weights[j] as number), 0);
    return (score > 0.5 ? 1 : 0) === y[i];
  }).length;
  return right / X.length;
}

// First, tasks to generate fake data, train an estimator, and score the model.
const generateData = task("Generate data", (samples: number, features: number) =>
  makeClassification(samples, features, 42),
);
const fitModel = task("Train model", (data: Data) => fitLeastSquares(data));
const scoreModel = task("Score model", (model: Model, data: Data) => accuracy(model, data));

// Next, a flow that fits the model and logs the score.
const initProject = new LazyProject({
  fpath: process.argv[2] ?? "examples/output/prefect-tutorial.json",
  author: "The Best",
});
const flow = new Flow("Fit estimator", () => {
  const project = initProject.bind();
  project.log("Base performance", (exp) => {
    const data = generateData.bind(1000, 10);
    const model = fitModel.bind(data);
    const score = scoreModel.bind(model, data);
    exp.logMetric("score", score);
    exp.logParameter("algorithm", "least squares");
  });
  project.save();
});

// Let's run the flow.
const state = await flow.run();
if (!state.isSuccessful()) throw state.error;

// And print the experiment.
const [project] = flow.getTasks({ name: "Open project" });
console.log(JSON.stringify([...state.result(project as LazyProject)], null, 4));
