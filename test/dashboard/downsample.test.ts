import fc from "fast-check";
import { describe, expect, it } from "vitest";

type Curve = { steps: number[]; values: (number | null)[] };
/** The page's module, plain JavaScript served to browsers, loaded as it is. */
const MODULE = new URL("../../src/dashboard/assets/js/downsample.js", import.meta.url).href;
const { downsample, alignCurves } = (await import(MODULE)) as {
  downsample: (steps: number[], values: (number | null)[], buckets: number) => Curve;
  alignCurves: (curves: Curve[]) => (number | null)[][];
};

/** A curve: increasing steps, values that may be missing (null). */
const curve = fc
  .array(
    fc.tuple(
      fc.integer({ min: 1, max: 5 }),
      fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    ),
    {
      minLength: 1,
      maxLength: 3000,
    },
  )
  .map((points) => {
    let step = -1;
    return {
      steps: points.map(([gap]) => (step += gap)),
      values: points.map(([, v]) => v),
    };
  });

const finite = (values: (number | null)[]) => values.filter((v): v is number => v !== null);

describe("downsampling a curve for drawing", () => {
  it("keeps at most two points per bucket (and the ends), in step order, each one of the curve's", () => {
    fc.assert(
      fc.property(curve, fc.integer({ min: 1, max: 400 }), ({ steps, values }, buckets) => {
        const out = downsample(steps, values, buckets);
        expect(out.steps.length).toBe(out.values.length);
        if (steps.length <= 2 * buckets) {
          expect(out).toEqual({ steps, values });
          return;
        }
        expect(out.steps.length).toBeLessThanOrEqual(2 * buckets + 2);
        const at = new Map(steps.map((s, i) => [s, values[i]]));
        out.steps.forEach((s, i) => {
          if (i > 0) expect(s).toBeGreaterThan(out.steps[i - 1] as number);
          expect(at.get(s)).toBe(out.values[i]);
        });
      }),
    );
  });

  it("keeps the lowest and the highest value, and the first and last points", () => {
    fc.assert(
      fc.property(curve, fc.integer({ min: 1, max: 400 }), ({ steps, values }, buckets) => {
        const kept = finite(values);
        fc.pre(kept.length > 0);
        const out = downsample(steps, values, buckets);
        const outValues = finite(out.values);
        expect(Math.max(...outValues)).toBe(Math.max(...kept));
        expect(Math.min(...outValues)).toBe(Math.min(...kept));
        if (values[0] !== null) expect(out.steps[0]).toBe(steps[0]);
        if (values.at(-1) !== null) expect(out.steps.at(-1)).toBe(steps.at(-1));
      }),
    );
  });

  it("draws a 100,000-step curve with a spike from 2,000 buckets, spike included", () => {
    const steps = Array.from({ length: 100_000 }, (_, i) => i);
    const values = steps.map((s) => (s === 70_000 ? 5 : 1 / (1 + s)));
    const out = downsample(steps, values, 1000);
    expect(out.steps.length).toBeLessThanOrEqual(2002);
    expect(out.values).toContain(5);
    expect(out.steps[out.values.indexOf(5)]).toBe(70_000);
  });
});

describe("aligning curves on one step axis", () => {
  it("puts every point of every curve at its step, and null where a curve has none", () => {
    fc.assert(
      fc.property(fc.array(curve, { minLength: 1, maxLength: 4 }), (curves) => {
        const [xs, ...ys] = alignCurves(curves) as [number[], ...(number | null)[][]];
        expect(xs).toEqual([...new Set(curves.flatMap((c) => c.steps))].sort((a, b) => a - b));
        curves.forEach((c, k) => {
          const row = ys[k] as (number | null)[];
          expect(row).toHaveLength(xs.length);
          const at = new Map(c.steps.map((s, i) => [s, c.values[i]]));
          xs.forEach((x, i) => {
            expect(row[i]).toBe(at.has(x) ? at.get(x) : null);
          });
        });
      }),
      { numRuns: 50 },
    );
  });
});
