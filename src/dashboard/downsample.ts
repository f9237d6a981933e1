/**
 * The page's downsampling of long curves (`assets/js/downsample.js`: per pixel-wide bucket
 * of steps, its lowest and highest values, so spikes survive), run by the server on a
 * metric's history when the page asks for a number of points: one rule, one module, for
 * both sides.
 *
 * @module
 */

/** A curve: its steps, in increasing order, and its values (`null`: not a finite number). */
export interface Curve {
  readonly steps: readonly number[];
  readonly values: readonly (number | null)[];
}

type Downsample = (
  steps: readonly number[],
  values: readonly (number | null)[],
  buckets: number,
) => { steps: number[]; values: (number | null)[] };

let loaded: Promise<Downsample> | undefined;

/** The page's module, loaded once (it is served to browsers from the same file). */
function pageDownsample(): Promise<Downsample> {
  loaded ??= import(new URL("./assets/js/downsample.js", import.meta.url).href).then(
    (module: { downsample: Downsample }) => module.downsample,
  );
  return loaded;
}

/**
 * The indexes of the points of `curve` that the page's rule keeps to draw it in at most
 * `points` points (buckets of `(points - 2) / 2`, the first and last points kept): all of
 * them when it has no more.
 */
export async function keptPoints(curve: Curve, points: number): Promise<number[]> {
  const buckets = Math.max(1, Math.floor((points - 2) / 2));
  // Downsampling the indexes' curve keeps indexes: the steps are the points' positions.
  const positions = curve.values.map((_, i) => i);
  const kept = (await pageDownsample())(positions, curve.values, buckets);
  return kept.steps;
}
