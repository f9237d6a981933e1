import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Experiment, Project } from "../../src/index.js";
import { insort, olderThan } from "../../src/project/order.js";
import { MemoryStorage } from "../../src/storage/memory.js";

function record(name: string, slug: string, created: string, updated: string, author = "a") {
  return {
    artifacts: [],
    author,
    created_at: `2024-01-01T10:00:${created}`,
    dependencies: [],
    last_updated: `2024-01-01T10:00:${updated}`,
    last_updated_by: author,
    metrics: {},
    name,
    parameters: {},
    short_slug: slug.replace(/-\d+$/, ""),
    slug,
    tags: [],
    tests: [],
  };
}

async function open(records: object[], mode: "r" | "w+" = "r"): Promise<Project> {
  await new MemoryStorage().write("order/project.json", JSON.stringify(records));
  return Project.open("memory://order/project.json", { mode });
}

const summary = (project: Project) =>
  [...project].map((r) => [r.name, r.author, r.last_updated.slice(-2)]);

// The expected lists are what Python lazyscribe 2.2.1 gives for the same files.
describe("the order of a project's experiments (Python's insort on load)", () => {
  it("puts a record of the same slug updated earlier first (two runs in one second)", async () => {
    const project = await open([
      record("My Exp", "my-exp-20240101100000", "00", "05"),
      record("my exp", "my-exp-20240101100000", "00", "01"),
    ]);
    expect(summary(project)).toEqual([
      ["my exp", "a", "01"],
      ["My Exp", "a", "05"],
    ]);
    expect(project.experiments.map((e) => e.name)).toEqual(["my exp", "My Exp"]);
    // Python's project["my-exp"] looks from the end of its list.
    expect(project.get("my-exp").name).toBe("My Exp");
  });

  it("follows the binary search's steps where the comparison is not a total order", async () => {
    const project = await open([
      record("A", "a-20240101100000", "00", "09"),
      record("B", "b-20240101100001", "01", "01"),
      record("A", "a-20240101100000", "00", "02", "c"),
    ]);
    // A linear insertion or a stable sort would put the second A after B, or keep file order.
    expect(summary(project)).toEqual([
      ["A", "c", "02"],
      ["A", "a", "09"],
      ["B", "a", "01"],
    ]);
    const editable = await open(
      [
        record("A", "a-20240101100000", "00", "09"),
        record("B", "b-20240101100001", "01", "01"),
        record("A", "a-20240101100000", "00", "02", "c"),
      ],
      "w+",
    );
    expect(summary(editable)).toEqual(summary(project));
  });

  it("loads any file in the order of insort, repeated slugs, ties and disorder included (property)", async () => {
    const entry = fc.record({
      name: fc.constantFrom("A", "B", "C", "D", "E", "F"),
      created: fc.integer({ min: 0, max: 5 }),
      updated: fc.integer({ min: 0, max: 9 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 14 }), async (entries) => {
        const records = entries.map(({ name, created, updated }, i) => {
          const seconds = String(created).padStart(2, "0");
          // A file's slug need not match its created_at: same slug, other creation times.
          const slug = `${name.toLowerCase()}-20240101100000`;
          return record(`${name}${i}`, slug, seconds, String(updated).padStart(2, "0"));
        });
        const expected: { name: string; slug: string; createdAt: Date; lastUpdated: Date }[] = [];
        for (const r of records) {
          insort(expected, {
            name: r.name,
            slug: r.slug,
            createdAt: new Date(`${r.created_at}Z`),
            lastUpdated: new Date(`${r.last_updated}Z`),
          });
        }
        const project = await open(records);
        expect([...project].map((r) => r.name)).toEqual(expected.map((e) => e.name));
        expect(project.experiments.map((e) => e.name)).toEqual(expected.map((e) => e.name));
      }),
      { numRuns: 500 },
    );
  });

  it("inserts an appended experiment by creation time, as Python's append does", async () => {
    const project = await Project.open("memory://order/append.json", { mode: "w" });
    const late = new Experiment({ name: "late", createdAt: new Date("2024-01-03T00:00:00Z") });
    const early = new Experiment({ name: "early", createdAt: new Date("2024-01-01T00:00:00Z") });
    const middle = new Experiment({ name: "middle", createdAt: new Date("2024-01-02T00:00:00Z") });
    for (const e of [late, early, middle]) project.append(e);
    expect(project.experiments).toEqual([early, middle, late]);
  });
});

describe("insort", () => {
  const at = (slug: string, created: number, updated = created) => ({
    slug,
    createdAt: new Date(created * 1000),
    lastUpdated: new Date(updated * 1000),
  });

  it("compares by lastUpdated within a slug and by createdAt across slugs", () => {
    expect(olderThan(at("a", 5, 1), at("a", 1, 2))).toBe(true);
    expect(olderThan(at("a", 1, 9), at("b", 2, 0))).toBe(true);
    expect(olderThan(at("a", 1), at("b", 1))).toBe(false);
  });

  it("inserts after equal elements (insort_right) and returns the position", () => {
    const list = [at("a", 1), at("b", 2), at("c", 2)];
    expect(insort(list, at("d", 2))).toBe(3);
    expect(insort(list, at("e", 0))).toBe(0);
    expect(list.map((e) => e.slug)).toEqual(["e", "a", "b", "c", "d"]);
  });
});
