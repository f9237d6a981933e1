// Downsampling of long curves for drawing: the minimum and the maximum of each pixel-wide
// bucket of steps, in their order, so that a 100,000-point curve keeps its spikes and its
// envelope in a few thousand points.

/**
 * At most `2 * buckets + 2` points of (steps, values), steps in increasing order: per bucket
 * of consecutive points, the lowest and the highest value (in step order), and the first and
 * last points. Nulls (values that are not finite numbers) are skipped. Curves of at most
 * `2 * buckets + 2` points are returned as they are (a curve the server downsampled for the
 * same width is drawn as it came).
 */
export function downsample(steps, values, buckets) {
  const n = values.length;
  if (n <= buckets * 2 + 2 || buckets < 1) return { steps, values };
  const outSteps = [];
  const outValues = [];
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v === null || !Number.isFinite(v)) continue;
      if (lo < 0 || v < values[lo]) lo = i;
      if (hi < 0 || v > values[hi]) hi = i;
    }
    if (lo < 0) continue;
    const first = Math.min(lo, hi);
    const second = Math.max(lo, hi);
    outSteps.push(steps[first]);
    outValues.push(values[first]);
    if (second !== first) {
      outSteps.push(steps[second]);
      outValues.push(values[second]);
    }
  }
  if (Number.isFinite(values[0]) && outSteps[0] !== steps[0]) {
    outSteps.unshift(steps[0]);
    outValues.unshift(values[0]);
  }
  if (outSteps[outSteps.length - 1] !== steps[n - 1] && Number.isFinite(values[n - 1])) {
    outSteps.push(steps[n - 1]);
    outValues.push(values[n - 1]);
  }
  return { steps: outSteps, values: outValues };
}

/**
 * Several curves on one x axis (uPlot's aligned data): the union of their steps, each curve
 * null where it has no point.
 */
export function alignCurves(curves) {
  const all = new Set();
  for (const c of curves) for (const s of c.steps) all.add(s);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = curves.map((c) => {
    const row = new Array(xs.length).fill(null);
    c.steps.forEach((s, i) => {
      row[index.get(s)] = c.values[i];
    });
    return row;
  });
  return [xs, ...ys];
}
