import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Experiment, Project } from "../../src/index.js";
import { mergeExperiments } from "../../src/project/merge.js";
import { fixture, fixtureJson } from "../helpers/fixtures.js";

const data = (name: string) => fixture("upstream-tests-data", name);

describe("Project.merge (Python's test data)", () => {
  it("merges distinct experiments, oldest first", async () => {
    const project = await Project.open(data("project.json"), { mode: "r" });
    const other = await Project.open(data("merge_distinct.json"), { mode: "r" });
    const merged = project.merge(other);
    expect([...merged].map((e) => e.slug)).toEqual([
      "my-experiment-20220101093000",
      "my-second-experiment-20220101103000",
    ]);
    expect(merged.fpath).toBe(project.fpath);
    expect(merged.mode).toBe("r");
  });

  it("fast-forwards to a project that has the same experiment and more", async () => {
    const project = await Project.open(data("project.json"), { mode: "r" });
    const other = await Project.open(data("merge_append.json"), { mode: "r" });
    expect([...project.merge(other)]).toEqual([...other]);
  });

  it("keeps the updated record of an experiment", async () => {
    const project = await Project.open(data("project.json"), { mode: "r" });
    const other = await Project.open(data("merge_update.json"), { mode: "r" });
    const merged = [...project.merge(other)];
    expect(merged).toEqual([...other]);
    expect(merged[0]?.last_updated).toBe("2022-01-10T09:30:00");
    expect([...other.merge(project)]).toEqual([...other]);
  });

  it("reads Python's older records without last_updated_by as written by the author", async () => {
    const project = await Project.open(data("merge_append.json"), { mode: "r" });
    const records = [...project];
    expect(records.map((e) => e.last_updated_by)).toEqual(["root", "root"]);
    expect(records).toEqual(
      (fixtureJson("upstream-tests-data", "merge_append.json") as object[]).map((e) => ({
        ...e,
        last_updated_by: "root",
        tests: (e as { tests: object[] }).tests.map((t) => ({ artifacts: [], ...t })),
      })),
    );
  });

  it("lets the first project win a tie", async () => {
    const created = new Date("2024-01-01T00:00:00Z");
    const mine = new Experiment({ name: "Tie", createdAt: created, author: "me" });
    const theirs = new Experiment({ name: "Tie", createdAt: created, author: "them" });
    const a = await Project.open("memory://tie/a.json", { mode: "w" });
    const b = await Project.open("memory://tie/b.json", { mode: "w" });
    a.append(mine);
    b.append(theirs);
    expect(a.merge(b).experiments).toEqual([mine]);
    expect(b.merge(a).experiments).toEqual([theirs]);
  });

  it("merges any number of projects", async () => {
    const projects = await Promise.all(
      ["p1", "p2", "p3"].map((n) => Project.open(`memory://many/${n}.json`, { mode: "w" })),
    );
    projects.forEach((p, i) => {
      p.append(new Experiment({ name: `E${i}`, createdAt: new Date(Date.UTC(2024, 0, 3 - i)) }));
    });
    const [first, ...rest] = projects;
    expect(first?.merge(...rest).experiments.map((e) => e.name)).toEqual(["E2", "E1", "E0"]);
  });
});

const day = 86_400_000;
const experimentArb = fc
  .record({
    name: fc.constantFrom("alpha", "beta", "gamma", "delta"),
    created: fc.integer({ min: 0, max: 5 }),
    updated: fc.integer({ min: 0, max: 5 }),
    tag: fc.integer({ min: 0, max: 1000 }),
  })
  .map(
    ({ name, created, updated, tag }) =>
      new Experiment({
        name,
        createdAt: new Date(Date.UTC(2024, 0, 1) + created * day),
        lastUpdated: new Date(Date.UTC(2024, 0, 1) + (created + updated) * day),
        metrics: { tag },
      }),
  );
const listArb = fc.array(experimentArb, { maxLength: 12 });

describe("mergeExperiments (properties)", () => {
  it("keeps exactly one record per slug, the newest one", () => {
    fc.assert(
      fc.property(listArb, listArb, (a, b) => {
        const merged = mergeExperiments([a, b]);
        const slugs = merged.map((e) => e.slug);
        expect(new Set(slugs).size).toBe(slugs.length);
        expect(new Set(slugs)).toEqual(new Set([...a, ...b].map((e) => e.slug)));
        for (const e of merged) {
          const newest = Math.max(
            ...[...a, ...b].filter((x) => x.slug === e.slug).map((x) => x.lastUpdated.getTime()),
          );
          expect(e.lastUpdated.getTime()).toBe(newest);
        }
      }),
    );
  });

  it("is idempotent: merging the result again changes nothing", () => {
    fc.assert(
      fc.property(listArb, listArb, (a, b) => {
        const once = mergeExperiments([a, b]);
        expect(mergeExperiments([once, once])).toEqual(once);
        expect(mergeExperiments([once, a])).toEqual(once);
        expect(mergeExperiments([once, b])).toEqual(once);
      }),
    );
  });

  it("is Python 2.2.1's insertion-sort order, with the documented record of each slug", () => {
    fc.assert(
      fc.property(listArb, listArb, listArb, (a, b, c) => {
        const merged = mergeExperiments([a, b, c]);
        const python = pythonInsortMerge([a, b, c]);
        // Python keeps the last record of each slug in its order; where that is the record
        // the documentation promises, the lists are the same.
        const documented = (e: Experiment) => merged.includes(e);
        if (python.every(documented)) expect(merged).toEqual(python);
        else expect(merged.map((e) => e.slug)).toEqual(pythonSlugOrder([a, b, c], merged));
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * Python 2.2.1's `Project.merge` before it drops duplicates, line by line: copy the first
 * list, then `insort` each record of the others unless the list holds it already (identity
 * stands in for `==` here: the arbitrary experiments differ in `metrics.tag`).
 */
function pythonInsertionOrder(lists: readonly (readonly Experiment[])[]): Experiment[] {
  const cexp = [...(lists[0] ?? [])];
  for (const list of lists.slice(1)) {
    for (const exp of list) {
      if (cexp.includes(exp)) continue;
      let lo = 0;
      let hi = cexp.length;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (exp.compare(cexp[mid] as Experiment) < 0) hi = mid;
        else lo = mid + 1;
      }
      cexp.splice(lo, 0, exp);
    }
  }
  return cexp;
}

/** Python's result: its insertion order, keeping the last record of each slug. */
function pythonInsortMerge(lists: readonly (readonly Experiment[])[]): Experiment[] {
  const cexp = pythonInsertionOrder(lists);
  return cexp.filter((e, i) => !cexp.slice(i + 1).some((later) => later.slug === e.slug));
}

/** The slugs in Python's insertion order, each at the place of the record `kept` holds. */
function pythonSlugOrder(lists: readonly (readonly Experiment[])[], kept: Experiment[]): string[] {
  return pythonInsertionOrder(lists)
    .filter((e) => kept.includes(e))
    .map((e) => e.slug);
}

/** Python's algorithm, for reference: merge-sort's merge with `<`, then keep the last of each slug. */
function pythonMerge(a: readonly Experiment[], b: readonly Experiment[]): Experiment[] {
  const out: Experiment[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((a[i] as Experiment).compare(b[j] as Experiment) < 0) out.push(a[i++] as Experiment);
    else out.push(b[j++] as Experiment);
  }
  out.push(...a.slice(i), ...b.slice(j));
  return out.filter((e, idx) => !out.slice(idx + 1).some((later) => later.slug === e.slug));
}

function pythonSorted(list: Experiment[]): Experiment[] {
  const unique = new Map(list.map((e) => [e.slug, e]));
  return [...unique.values()].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
}

/** Experiments whose creation times differ whenever their slugs do (Python's merge needs that). */
const distinctTimesArb = fc.array(
  fc
    .record({
      nameIndex: fc.integer({ min: 0, max: 3 }),
      created: fc.integer({ min: 0, max: 5 }),
      updated: fc.nat(5),
    })
    .map(
      ({ nameIndex, created, updated }) =>
        new Experiment({
          name: ["alpha", "beta", "gamma", "delta"][nameIndex] as string,
          createdAt: new Date(Date.UTC(2024, 0, 1) + (nameIndex * 10 + created) * day),
          lastUpdated: new Date(Date.UTC(2024, 0, 1) + (nameIndex * 10 + created + updated) * day),
        }),
    ),
  { maxLength: 12 },
);

describe("mergeExperiments matches Python's merge on the inputs Python expects", () => {
  it("gives the same list for sorted projects with one record per slug each", () => {
    fc.assert(
      fc.property(distinctTimesArb, distinctTimesArb, (a, b) => {
        const sa = pythonSorted(a);
        const sb = pythonSorted(b);
        expect(mergeExperiments([sa, sb])).toEqual(pythonMerge(sa, sb));
      }),
      { numRuns: 300 },
    );
  });
});
