import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ExperimentRecord,
  Project,
  parseProjectFile,
  serializeProjectFile,
} from "../../src/index.js";
import { MemoryStorage } from "../../src/storage/memory.js";

const text = fc.string({ unit: "binary", minLength: 1, maxLength: 12 });
const scalar = fc.oneof(fc.double(), fc.integer(), fc.string({ unit: "binary", maxLength: 8 }));
const metric = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
const stamp = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 0, 1) / 1000 })
  .map((s) => new Date(s * 1000).toISOString().slice(0, 19));

const testRecord = fc.record({
  name: text,
  description: fc.option(text, { nil: null }),
  metrics: fc.dictionary(text, metric, { maxKeys: 3 }),
  parameters: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  artifacts: fc.constant([]),
});

const experimentRecord = fc.record({
  name: text,
  author: text,
  last_updated_by: text,
  metrics: fc.dictionary(text, metric, { maxKeys: 4 }),
  parameters: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  created_at: stamp,
  last_updated: stamp,
  dependencies: fc.constant([]),
  short_slug: text,
  slug: text,
  tests: fc.array(testRecord, { maxLength: 2 }),
  artifacts: fc.constant([]),
  tags: fc.array(text, { maxLength: 3 }),
  future_key: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
});

/**
 * Records as JSON would give them back (no undefined keys, -0 kept), oldest first with
 * distinct slugs: the order Python's `insort` keeps on load (test/core/order.test.ts covers
 * the others).
 */
function normalise(records: object[]): ExperimentRecord[] {
  return (
    records.map((r, i) => ({
      ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
      slug: `${(r as ExperimentRecord).slug}-${i}`,
    })) as ExperimentRecord[]
  ).sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}

describe("write-then-read (property)", () => {
  it("any valid record survives a save and a read unchanged, unknown keys included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(experimentRecord, { maxLength: 4 }), async (raw) => {
        MemoryStorage.clear();
        const records = normalise(raw);
        const file = serializeProjectFile(records);
        expect(parseProjectFile(file, "x.json")).toEqual(records);
        await new MemoryStorage().write("prop/project.json", file);
        const project = await Project.open("memory://prop/project.json", {
          mode: "w+",
          author: "z",
        });
        expect([...project]).toEqual(records);
        await project.save();
        const saved = await new MemoryStorage().read("prop/project.json");
        expect(new TextDecoder().decode(saved)).toBe(file);
      }),
      { numRuns: 150 },
    );
  });
});
