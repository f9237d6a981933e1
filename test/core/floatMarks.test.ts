/**
 * Whole floats (`1.0`, `0.0`) travel as marks beside the values, never keyed by the identity
 * of their objects (issue 12): a copy of an experiment's data, however it is made
 * (`structuredClone`, spread, a JSON round trip), is written as Python wrote it when its
 * marks go with it; a value logged over a whole float loses its mark, its siblings keep
 * theirs; repositories keep the marks of their records through saves, filters and
 * promotions.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FloatMarks, withMark } from "../../src/format/pyjson/index.js";
import {
  type ArtifactData,
  ArtifactHandler,
  createRelease,
  dumpPyJson,
  Experiment,
  MemoryStorage,
  minimalRepositoryFromRelease,
  Project,
  Repository,
  registerHandler,
  serializeProjectFile,
  Test,
  type TestRecord,
  unregisterHandler,
} from "../../src/index.js";

const storage = new MemoryStorage();

afterEach(() => {
  MemoryStorage.clear();
});

/** An artifact record as Python writes it, with an unknown key `score`. */
function artifact(name: string, score: number) {
  return {
    created_at: "2024-01-01T00:00:00",
    expiry: null,
    fname: `${name}.json`,
    handler: "json",
    name,
    score,
    version: 0,
  };
}

/** One experiment as Python lazyscribe 2.2.1 writes it, whole floats where `MARKS` says. */
const RECORD = {
  artifacts: [artifact("a", 2), artifact("b", 3)],
  author: "py",
  created_at: "2024-01-01T00:00:00",
  dependencies: [],
  last_updated: "2024-01-01T00:00:00",
  last_updated_by: "py",
  metrics: { acc: 0, loss: 1, steps: 10 },
  name: "Exp",
  parameters: { layers: [1, 2], opt: { lr: 1, momentum: 0 }, seed: 7 },
  short_slug: "exp",
  slug: "exp-20240101000000",
  tags: [],
  tests: [{ artifacts: [], description: null, metrics: { m: 0 }, name: "t", parameters: {} }],
};

const MARKS: FloatMarks = {
  artifacts: { 0: { score: true }, 1: { score: true } },
  metrics: { acc: true, loss: true },
  parameters: { layers: { 0: true, 1: true }, opt: { lr: true, momentum: true } },
  tests: { 0: { metrics: { m: true } } },
};

const TEXT = dumpPyJson([RECORD], { 0: MARKS });

/** A project file of `text` in memory, opened in `mode`. */
async function openText(path: string, text: string, mode: "w+" | "a" = "w+"): Promise<Project> {
  await storage.write(path, text);
  return Project.open(`memory://${path}`, { mode, author: "bob" });
}

async function textOf(path: string): Promise<string> {
  return new TextDecoder().decode(await storage.read(path));
}

describe("whole floats beside an experiment's values", () => {
  it("the fixture is what Python writes: whole floats as floats", () => {
    for (const line of ['"acc": 0.0', '"loss": 1.0', '"lr": 1.0', '"m": 0.0', '"score": 2.0']) {
      expect(TEXT).toContain(line);
    }
    expect(TEXT).toContain('"steps": 10\n');
  });

  it("a built experiment gives its record's marks, and is written back byte for byte", async () => {
    const project = await openText("m/p.json", TEXT);
    const exp = project.get("exp");
    expect(exp.floatMarks).toEqual(MARKS);
    expect(exp.tests[0]?.floatMarks).toEqual({ metrics: { m: true } });
    expect(serializeProjectFile([exp])).toBe(TEXT);
    expect(serializeProjectFile([exp.copy()])).toBe(TEXT);
    expect(serializeProjectFile([exp.copy({ readOnly: true })])).toBe(TEXT);
    await project.save();
    expect(await textOf("m/p.json")).toBe(TEXT);
  });

  it("a record copied by structuredClone, spread or JSON is written as Python wrote it with the experiment's marks", async () => {
    const exp = (await openText("m/p.json", TEXT)).get("exp");
    const record = exp.toJSON();
    const copies = [
      structuredClone(record),
      { ...record, metrics: { ...record.metrics }, parameters: { ...record.parameters } },
      JSON.parse(JSON.stringify(record)),
    ];
    for (const copy of copies) {
      expect(copy).toEqual(RECORD);
      expect(dumpPyJson([copy], { 0: exp.floatMarks as FloatMarks })).toBe(TEXT);
    }
  });

  it("an experiment rebuilt from a structuredClone of toJSON() and logged into another project writes 0.0", async () => {
    const exp = (await openText("m/p.json", TEXT)).get("exp");
    const r = structuredClone(exp.toJSON());
    const testRecord = r.tests[0] as TestRecord;
    const rebuilt = new Experiment({
      name: r.name,
      author: r.author,
      lastUpdatedBy: r.last_updated_by,
      metrics: { ...r.metrics },
      parameters: JSON.parse(JSON.stringify(r.parameters)),
      createdAt: new Date("2024-01-01T00:00:00Z"),
      lastUpdated: new Date("2024-01-01T00:00:00Z"),
      tests: [new Test({ ...testRecord, floatMarks: exp.tests[0]?.floatMarks })],
      artifacts: r.artifacts,
      floatMarks: exp.floatMarks,
      dirty: false,
    });
    expect(serializeProjectFile([rebuilt])).toBe(TEXT);
    const other = await Project.open("memory://m/other.json", { mode: "w", author: "py" });
    other.append(rebuilt);
    await other.save();
    expect(await textOf("m/other.json")).toBe(TEXT);
  });

  it("a value logged over a whole float is written as JavaScript logged it; its siblings keep their marks", async () => {
    const project = await openText("m/p.json", TEXT);
    const exp = project.get("exp");
    exp.logMetric("acc", 0);
    // A whole parameter replaced, even by a copy of itself: every value in it is logged now.
    exp.logParameter("opt", structuredClone(exp.parameters.opt));
    exp.tests[0]?.logMetric("m", 0);
    exp.logMetric("new", 1);
    const expected: FloatMarks = {
      artifacts: { 0: { score: true }, 1: { score: true } },
      metrics: { loss: true },
      parameters: { layers: { 0: true, 1: true } },
    };
    expect(exp.floatMarks).toEqual(expected);
    await project.save();
    const text = await textOf("m/p.json");
    expect(text).toBe(dumpPyJson([exp.toJSON()], { 0: expected }));
    for (const line of ['"acc": 0,', '"loss": 1.0,', '"lr": 1,', '"momentum": 0\n', '"m": 0\n']) {
      expect(text).toContain(line);
    }
    expect(text).toContain('"layers": [\n                1.0,\n                2.0\n            ]');
    expect(text).toContain('"new": 1,');
  });

  it("a nested whole float replaced in place keeps its mark until its parameter is logged", async () => {
    const project = await openText("m/p.json", TEXT);
    const exp = project.get("exp");
    // A write into the experiment's own objects is not a log: the file's spelling stays.
    (exp.parameters.opt as Record<string, number>).lr = 2;
    (exp.parameters.opt as Record<string, number>).momentum = 0.5;
    await project.save();
    let text = await textOf("m/p.json");
    expect(text).toContain('"lr": 2.0,');
    expect(text).toContain('"momentum": 0.5');
    exp.logParameter("opt", { lr: 2, momentum: 0 });
    await project.save();
    text = await textOf("m/p.json");
    expect(text).toContain('"lr": 2,');
    expect(text).toContain('"momentum": 0\n');
    expect(text).toContain('"loss": 1.0,');
  });

  it("an artifact logged over (overwrite) loses its record's marks; the other artifact keeps its", async () => {
    class Scored extends ArtifactHandler<string> {
      readonly alias = "scored";
      readonly suffix = "txt";
      readonly binary = false;
      override facts() {
        return { score: 2 };
      }
      write(value: string): ArtifactData {
        return value;
      }
      read(data: ArtifactData): string {
        return String(data);
      }
    }
    registerHandler(Scored);
    try {
      const project = await openText("m/p.json", TEXT);
      const exp = project.get("exp");
      exp.logArtifact("a", "x", "scored", { overwrite: true });
      expect(exp.floatMarks).toEqual(withMark(MARKS, ["artifacts", 0], false));
      await project.save();
      const text = await textOf("m/p.json");
      expect(text).toContain('"score": 2,');
      expect(text).toContain('"score": 3.0,');
      expect(text).toBe(dumpPyJson([exp.toJSON()], { 0: exp.floatMarks as FloatMarks }));
    } finally {
      unregisterHandler("scored");
    }
  });
});

describe("whole floats of a repository's records", () => {
  const REPOSITORY = dumpPyJson([artifact("features", 2)], { 0: { score: true } });

  it("stay through a save, a filter written elsewhere and a promotion", async () => {
    expect(REPOSITORY).toContain('"score": 2.0,');
    await storage.write("r/repository.json", REPOSITORY);
    await storage.write("r/features/features.json", "[1]");
    const repository = await Repository.open("memory://r/repository.json");
    await repository.save();
    expect(await textOf("r/repository.json")).toBe(REPOSITORY);

    const release = createRelease(repository, "v1");
    await minimalRepositoryFromRelease(repository, release, { target: "memory://s/repo.json" });
    expect(await textOf("s/repo.json")).toBe(REPOSITORY);

    // Artifact "b" of the experiment, saved (its file exists), promoted with its record's marks.
    const project = await openText("p/p.json", TEXT);
    await storage.write("p/exp-20240101000000/b.json", "[2]");
    await project.get("exp").promoteArtifact(repository, "b");
    const text = await textOf("r/repository.json");
    expect(text).toContain('"score": 2.0,');
    expect(text).toContain('"score": 3.0,');
    expect(text.match(/"score": \d\.0,/g)).toHaveLength(2);
  });
});
