/**
 * A small, deterministic machine-learning toolkit for the examples: generated two-class data
 * and linear classifiers fitted by least squares or by gradient descent, in plain TypeScript.
 */

/** Features (one row per sample) and labels (0 or 1). */
export interface Data {
  readonly X: number[][];
  readonly y: number[];
}

/** A training and a test set. */
export interface Split {
  readonly train: Data;
  readonly test: Data;
}

/** A linear model: predicts 1 when `weights · [1, ...x]` is above 0.5. */
export interface Model {
  readonly weights: number[];
}

/** A model and the mean squared error after each epoch of its training. */
export interface Fit {
  readonly model: Model;
  readonly losses: number[];
}

/** A small seeded random number generator (mulberry32), so every run gives the same data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two classes of points around two centres (the first three features separate them), with noise. */
export function makeClassification(samples: number, features: number, seed: number): Data {
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

/** The first `share` of the samples for training, the rest for testing. */
export function split({ X, y }: Data, share: number): Split {
  const cut = Math.round(X.length * share);
  return {
    train: { X: X.slice(0, cut), y: y.slice(0, cut) },
    test: { X: X.slice(cut), y: y.slice(cut) },
  };
}

/** The samples whose feature `feature` is above `threshold`. */
export function subset({ X, y }: Data, feature: number, threshold: number): Data {
  const keep = X.map((x) => (x[feature] as number) > threshold);
  return { X: X.filter((_, i) => keep[i]), y: y.filter((_, i) => keep[i]) };
}

function predict(weights: number[], x: number[]): number {
  let score = weights[0] as number;
  for (let j = 0; j < x.length; j++) score += (weights[j + 1] as number) * (x[j] as number);
  return score;
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
export function fitLeastSquares({ X, y }: Data): Model {
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

/** Batch gradient descent on the mean squared error, recording the loss after each epoch. */
export function fitGradientDescent({ X, y }: Data, rate: number, epochs: number): Fit {
  const weights = new Array<number>((X[0] as number[]).length + 1).fill(0);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradient = new Array<number>(weights.length).fill(0);
    let loss = 0;
    X.forEach((x, i) => {
      const error = predict(weights, x) - (y[i] as number);
      loss += error * error;
      gradient[0] = (gradient[0] as number) + error;
      x.forEach((v, j) => {
        gradient[j + 1] = (gradient[j + 1] as number) + error * v;
      });
    });
    gradient.forEach((g, j) => {
      weights[j] = (weights[j] as number) - (rate * 2 * g) / X.length;
    });
    losses.push(Number((loss / X.length).toFixed(6)));
  }
  return { model: { weights }, losses };
}

/** The share of samples the model classifies right. */
export function accuracy(model: Model, { X, y }: Data): number {
  if (X.length === 0) return Number.NaN;
  const right = X.filter((x, i) => (predict(model.weights, x) > 0.5 ? 1 : 0) === y[i]).length;
  return right / X.length;
}
