/**
 * Python lazyscribe 2.2.1 against this project on the files it writes, both directions:
 * scripts/generate-differential-projects.py made each file with Python and recorded what
 * Python reads back from it, the bytes of its unchanged "w+" save, and what its merge gives.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Project, parseProjectFile, StoredExperimentSchema } from "../../src/index.js";
import { MemoryStorage } from "../../src/storage/memory.js";

interface Case {
  /** The file, as Python's `Project.save` writes it, its records in a random order. */
  file: string;
  /** `list(project)` in mode "r": indices into the file's records. */
  order: number[];
  /** The bytes of Python's unchanged "w+" save (`null`: the same as `file`). */
  saved: string | null;
  /** Whether the file holds integers beyond 2**53. */
  bigInts: boolean;
}

interface MergeCase {
  /** Indices into the cases of the projects merged, in order. */
  projects: number[];
  /** Python's merge: [project, index in that project's list] per record. */
  python: [number, number][];
  /** The documented merge, where Python breaks its rule (`null`: the same as `python`). */
  documented: [number, number][] | null;
}

const load = <T>(name: string): T =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/differential/${name}`, import.meta.url), "utf8"),
  ) as T;
const cases = load<Case[]>("projects.json");
const merges = load<MergeCase[]>("merges.json");
const path = (i: number) => `differential/${i}/project.json`;

beforeAll(async () => {
  MemoryStorage.clear();
  const storage = new MemoryStorage();
  for (const [i, c] of cases.entries())
    await storage.write(path(i), new TextEncoder().encode(c.file));
});

async function savedUnchanged(i: number): Promise<string> {
  const storage = new MemoryStorage();
  const text = (cases[i] as Case).file;
  await storage.write(path(i), new TextEncoder().encode(text));
  const project = await Project.open(`memory://${path(i)}`, { mode: "w+", author: "nobody" });
  await project.save();
  const saved = new TextDecoder().decode(await storage.read(path(i)));
  await storage.write(path(i), new TextEncoder().encode(text));
  return saved;
}

describe(`Python 2.2.1's files (${cases.length} projects, ${merges.length} merges)`, () => {
  it("holds the cases the generator promises", () => {
    expect(cases).toHaveLength(240);
    expect(cases.filter((c) => c.bigInts)).toHaveLength(71);
    expect(cases.filter((c) => c.saved !== null)).toHaveLength(178);
    expect(merges.filter((m) => m.documented !== null)).toHaveLength(21);
  });

  it.each(cases.map((c, i) => [i, c] as const))(
    "project %i reads back as Python's list(project), order included",
    async (i, c) => {
      // The records as written (timestamps as their text), which is what iteration gives.
      const records = parseProjectFile(c.file, "fixture.json").map((r) =>
        StoredExperimentSchema.encode(r),
      );
      for (const mode of ["r", "w+"] as const) {
        const project = await Project.open(`memory://${path(i)}`, { mode });
        expect([...project]).toEqual(c.order.map((k) => records[k]));
        expect(project.experiments.map((e) => e.slug)).toEqual(
          c.order.map((k) => records[k]?.slug),
        );
      }
    },
  );

  it.each(merges.map((m, i) => [i, m.projects.join("+"), m] as const))(
    "merge %i (projects %s) gives Python's order, with the documented records",
    async (_i, _name, m) => {
      const projects = await Promise.all(
        m.projects.map((k) => Project.open(`memory://${path(k)}`, { mode: "r" })),
      );
      const [first, ...rest] = projects as [Project, ...Project[]];
      const merged = first.merge(...rest).experiments.map((e) => {
        const k = projects.findIndex((p) => p.experiments.includes(e));
        return [k, (projects[k] as Project).experiments.indexOf(e)];
      });
      expect(merged).toEqual(m.documented ?? m.python);
    },
  );
});

describe('an unchanged "w+" save gives Python\'s bytes', () => {
  it.each(cases.flatMap((c, i) => (c.bigInts ? [] : [[i, c] as const])))(
    "project %i",
    async (i, c) => {
      expect(await savedUnchanged(i)).toBe(c.saved ?? c.file);
    },
  );
});

describe('an unchanged "w+" save gives Python\'s bytes, integers beyond 2**53 included', () => {
  it.each(cases.flatMap((c, i) => (c.bigInts ? [[i, c] as const] : [])))(
    "project %i",
    async (i, c) => {
      expect(await savedUnchanged(i)).toBe(c.saved ?? c.file);
    },
  );
});
