/**
 * Property: a project file of Python-shaped records (whole floats, big integers, `-0.0`,
 * unicode keys, at every depth of metrics, parameters, tests and unknown keys), opened in
 * mode "w+", some experiments built and changed through `logMetric` and `logParameter`, is
 * saved as exactly what the exact writer gives for the changed values with the marks of the
 * values that were not logged over.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  dumpPyJson,
  type FloatMarks,
  marksOfItems,
  withMark,
} from "../../src/format/pyjson/index.js";
import { isMetricValue } from "../../src/format/schemas.js";
import { type Experiment, MemoryStorage, Project } from "../../src/index.js";
import { type Marked, marked } from "./pyjson/arbitraries.js";

afterEach(() => {
  MemoryStorage.clear();
});

/** Metric and parameter names: few, so that changes often hit a name the file has. */
const NAME = fc.constantFrom("a", "b", "c", "__proto__", "é", "0");

/** A sparse mirror node of `entries`' marks (see `FloatMarks`). */
function nodeOf(entries: readonly [string, FloatMarks | undefined][]): FloatMarks | undefined {
  const kept = entries.filter((e): e is [string, FloatMarks] => e[1] !== undefined);
  return kept.length === 0 ? undefined : (Object.fromEntries(kept) as FloatMarks);
}

/** Names to marked values, as one object and its marks. */
function namedValues(value: fc.Arbitrary<Marked>): fc.Arbitrary<Marked> {
  return fc
    .uniqueArray(fc.tuple(NAME, value), { maxLength: 4, selector: (e) => e[0] })
    .map((members): Marked => {
      const object = Object.fromEntries(members.map(([k, v]) => [k, v[0]]));
      return [object, nodeOf(members.map(([k, v]) => [k, v[1]]))];
    });
}

const metricValue = marked.filter(([value]) => isMetricValue(value));

const testRecord = fc
  .tuple(namedValues(metricValue), namedValues(marked))
  .map(([[metrics, m], [parameters, p]]) => ({
    record: { artifacts: [], description: null, metrics, name: "t", parameters },
    marks: nodeOf([
      ["metrics", m],
      ["parameters", p],
    ]),
  }));

/** A change made through the API: a metric or a parameter of the experiment or its test. */
type Change = {
  readonly kind: "metrics" | "parameters";
  readonly test: boolean;
  readonly name: string;
  readonly value: unknown;
};

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant("metrics" as const),
    test: fc.boolean(),
    name: NAME,
    value: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, 1, -0, 2 ** 53, 1e16)),
  }),
  fc.record({
    kind: fc.constant("parameters" as const),
    test: fc.boolean(),
    name: NAME,
    value: marked.map(([value]) => value),
  }),
);

const experiment = fc.record({
  metrics: namedValues(metricValue),
  parameters: namedValues(marked),
  future: fc.option(marked, { nil: undefined }),
  tests: fc.array(testRecord, { maxLength: 2 }),
  built: fc.boolean(),
  changes: fc.array(change, { maxLength: 4 }),
});

describe("a w+ save of Python-shaped records changed through the API", () => {
  it("writes the exact writer's bytes for the changed values and the marks left", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(experiment, { minLength: 1, maxLength: 3 }), async (drawn) => {
        const records = drawn.map((e, i) => {
          const time = `2024-01-01T00:00:0${i}`;
          const record: Record<string, unknown> = {
            artifacts: [],
            author: "py",
            created_at: time,
            dependencies: [],
            last_updated: time,
            last_updated_by: "py",
            metrics: e.metrics[0],
            name: `E${i}`,
            parameters: e.parameters[0],
            short_slug: `e${i}`,
            slug: `e${i}-2024010100000${i}`,
            tags: [],
            tests: e.tests.map((t) => t.record),
          };
          if (e.future !== undefined) record.future = e.future[0];
          const marks = nodeOf([
            ["metrics", e.metrics[1]],
            ["parameters", e.parameters[1]],
            ["tests", marksOfItems(e.tests.map((t) => t.marks))],
            ["future", e.future?.[1]],
          ]);
          return { record, marks };
        });
        const text = dumpPyJson(
          records.map((r) => r.record),
          marksOfItems(records.map((r) => r.marks)),
        );
        const storage = new MemoryStorage();
        await storage.write("prop/p.json", text);
        const project = await Project.open("memory://prop/p.json", { mode: "w+", author: "bob" });

        const expected = records.map(({ record, marks }) => ({
          record: structuredClone(record),
          marks,
        }));
        const changed: [Experiment, Record<string, unknown>][] = [];
        drawn.forEach((e, i) => {
          if (!e.built && e.changes.length === 0) return;
          const exp = project.get(`e${i}`);
          const want = expected[i] as { record: Record<string, unknown>; marks?: FloatMarks };
          for (const c of e.changes) {
            const onTest = c.test && exp.tests.length > 0;
            const owner = onTest ? (exp.tests[0] as (typeof exp.tests)[number]) : exp;
            if (c.kind === "metrics") owner.logMetric(c.name, c.value as number);
            else owner.logParameter(c.name, c.value);
            const holder = onTest
              ? (want.record.tests as Record<string, unknown>[])[0]
              : want.record;
            const values = (holder as Record<string, Record<string, unknown>>)[c.kind];
            Object.defineProperty(values, c.name, {
              value: structuredClone(c.value),
              enumerable: true,
              writable: true,
              configurable: true,
            });
            const path = onTest ? ["tests", 0, c.kind, c.name] : [c.kind, c.name];
            want.marks = withMark(want.marks, path, false);
          }
          expect(exp.floatMarks).toEqual(want.marks);
          if (e.changes.length > 0) changed.push([exp, want.record]);
        });
        await project.save();
        for (const [exp, record] of changed) {
          // What the save stamps (the time and author of a change), and the metric history's
          // artifact record a metric logged twice adds, as the experiment holds them.
          const now = exp.toJSON();
          record.last_updated = now.last_updated;
          record.last_updated_by = now.last_updated_by;
          record.artifacts = now.artifacts;
          (record.tests as Record<string, unknown>[]).forEach((t, n) => {
            t.artifacts = now.tests[n]?.artifacts;
          });
        }
        const saved = new TextDecoder().decode(await storage.read("prop/p.json"));
        expect(saved).toBe(
          dumpPyJson(
            expected.map((r) => r.record),
            marksOfItems(expected.map((r) => r.marks)),
          ),
        );
        MemoryStorage.clear();
      }),
      { numRuns: 150 },
    );
  });
});
