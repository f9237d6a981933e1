import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ArtifactData,
  ArtifactHandler,
  ArtifactLoadError,
  ArtifactLogError,
  dumpPyJson,
  dumpsPyJson,
  Experiment,
  handlerAliases,
  JsonHandler,
  type JsonValue,
  LazyscribeError,
  MemoryStorage,
  Project,
  type PyJsonRead,
  parsePyJson,
  registerHandler,
  unregisterHandler,
  V8Handler,
  ValidationError,
} from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { memoryFolder, useFakeClock } from "./helpers.js";

useFakeClock("2025-01-20T13:23:30Z");

const NODE_MAJOR = process.versions.node.split(".")[0];

afterEach(() => {
  unregisterHandler("csv");
});

class CsvHandler extends ArtifactHandler<string[][]> {
  readonly alias: string = "csv";
  readonly suffix: string = "csv";
  readonly binary = false;
  override facts(): Readonly<Record<string, JsonValue>> {
    return { csv_dialect: "excel" };
  }
  write(rows: string[][]): ArtifactData {
    return rows.map((r) => r.join(",")).join("\n");
  }
  read(data: ArtifactData): string[][] {
    return String(data)
      .split("\n")
      .map((line) => line.split(","));
  }
}

describe("the json handler", () => {
  const json = new JsonHandler();

  it("writes as Python's json.dump with default separators", () => {
    expect(json.write([0, 1, 2, 3], {})).toBe("[0, 1, 2, 3]");
    expect(json.write({ lr: 0.1, layers: [64, 32] }, {})).toBe('{"lr": 0.1, "layers": [64, 32]}');
    expect(json.write({}, {})).toBe("{}");
    expect(json.write([[], {}, null, true, "é"], {})).toBe('[[], {}, null, true, "\\u00e9"]');
  });

  it("passes writer options through: indent, sortKeys, separators, ensureAscii, allowNan", () => {
    expect(json.write(["a", "b"], { indent: 4 })).toBe('[\n    "a",\n    "b"\n]');
    expect(json.write({ b: 1, a: [1] }, { indent: 2, sortKeys: true })).toBe(
      '{\n  "a": [\n    1\n  ],\n  "b": 1\n}',
    );
    expect(json.write({ b: 1, a: 2 }, { sort_keys: true })).toBe('{"a": 2, "b": 1}');
    expect(json.write([1, 2], { separators: [",", ":"] })).toBe("[1,2]");
    expect(json.write({ a: [1, 2] }, { indent: 0 })).toBe('{\n"a": [\n1,\n2\n]\n}');
    expect(json.write(["é"], { ensureAscii: false })).toBe('["é"]');
    expect(json.write(["😀"], {})).toBe('["\\ud83d\\ude00"]');
    expect(json.write([Number.NaN, Number.POSITIVE_INFINITY, 1e-5, 1e21, 2.5], {})).toBe(
      "[NaN, Infinity, 1e-05, 1e+21, 2.5]",
    );
    expect(() => json.write([Number.NaN], { allowNan: false })).toThrow(RangeError);
  });

  it("refuses unknown writer options and values JSON cannot hold", () => {
    expect(() => json.write([1], { indnet: 4 })).toThrow(/unknown json writer option "indnet"/);
    expect(() => json.write({ a: undefined }, {})).toThrow(/undefined at "a"/);
    expect(() => json.write([new Map()], {})).toThrow(/a Map at "0"/);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => json.write(cycle, {})).toThrow(/Circular/);
  });

  it("reads as Python's json.load, and gives the whole floats' marks beside the value when asked", () => {
    const value = json.read("[NaN, 1.0, 2]", {});
    expect(value).toEqual([Number.NaN, 1, 2]);
    // The value alone carries no marks (nothing hangs on its objects): 1.0 is the number 1.
    expect(json.write(value, {})).toBe("[NaN, 1, 2]");
    const read = json.read("[NaN, 1.0, 2]", { marks: true }) as PyJsonRead;
    expect(read).toEqual({ value: [Number.NaN, 1, 2], marks: { 1: true } });
    expect(json.write(read.value, { marks: read.marks })).toBe("[NaN, 1.0, 2]");
    // A copy is written the same, given the same marks.
    expect(json.write(structuredClone(read.value), { marks: read.marks })).toBe("[NaN, 1.0, 2]");
    // A whole value 1.0 too.
    const whole = json.read("1.0", { marks: true }) as PyJsonRead;
    expect(whole).toEqual({ value: 1, marks: true });
    expect(json.write(whole.value, { marks: whole.marks })).toBe("1.0");
  });

  it("refuses reader options other than marks, and marks that are not marks", () => {
    expect(() => json.read("1", { indent: 4 })).toThrow(
      'unknown json reader option "indent" (the json handler takes only marks: true)',
    );
    expect(() => json.read("1", { marks: "yes" })).toThrow('"marks" must be true or false');
    expect(() => json.write(1, { marks: 3 })).toThrow('"marks" must be whole-float marks');
  });

  it("writes a JSON artifact loaded with its marks back byte for byte, its whole value 1.0 included", async () => {
    const folder = memoryFolder();
    const files = ['{"x": 1.0, "y": [2.0, 3], "z": 1}', "1.0", "[0.0, [1e+16, -0.0]]"];
    const storage = new MemoryStorage();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    const exp = project.log("Copies", () => undefined);
    files.forEach((_, i) => {
      exp.logArtifact(`a${i}`, 0, "json", { fname: `a${i}.json` });
    });
    await project.save();
    for (const [i, file] of files.entries()) {
      await storage.write(`${folder.slice("memory://".length)}/${exp.slug}/a${i}.json`, file);
    }
    const reopened = await Project.open(`${folder}/project.json`, { mode: "w+" });
    const source = reopened.get(exp.slug);
    const copy = reopened.log("Copy", () => undefined);
    for (const i of files.keys()) {
      const { value, marks } = (await source.loadArtifact(`a${i}`, { marks: true })) as PyJsonRead;
      copy.logArtifact(`a${i}`, structuredClone(value), "json", { marks, fname: `a${i}.json` });
    }
    await reopened.save();
    for (const [i, file] of files.entries()) {
      const path = `${folder.slice("memory://".length)}/${copy.slug}/a${i}.json`;
      expect(new TextDecoder().decode(await storage.read(path))).toBe(file);
    }
  });
});

describe("dumpsPyJson properties", () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.string({ unit: "binary" }),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string({ unit: "binary", maxLength: 4 }), tie("value"), { maxKeys: 4 }),
    ),
  })).value;

  it("with indent 4 and sorted keys, writes what the project writer (Python's json.dump) writes", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(dumpsPyJson(value, { indent: 4, sortKeys: true })).toBe(dumpPyJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it("reads back what it writes, whatever the options", () => {
    const options = fc.record(
      {
        indent: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4 }), fc.constant("\t")),
        sortKeys: fc.boolean(),
        ensureAscii: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(json, options, (value, opts) => {
        expect(parsePyJson(dumpsPyJson(value, opts))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the v8 handler", () => {
  it("round-trips JavaScript values Node's structured serialisation supports", async () => {
    const folder = memoryFolder();
    const value = {
      map: new Map([["a", 1]]),
      set: new Set([1, 2]),
      when: new Date("2024-01-01T00:00:00Z"),
      big: 10n ** 20n,
      bytes: new Uint8Array([1, 2, 3]),
    };
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    project.log("Binary", (exp) => exp.logArtifact("state", value, "v8"));
    await project.save();
    const reopened = await Project.open(`${folder}/project.json`, { mode: "r" });
    const experiment = reopened.get("binary");
    expect(await experiment.loadArtifact("state")).toEqual(value);
    expect(experiment.artifacts[0]).toEqual({
      name: "state",
      fname: "state-20250120132330.v8",
      handler: "v8",
      created_at: "2025-01-20T13:23:30",
      expiry: null,
      version: 0,
      node_version: NODE_MAJOR,
    });
  });

  it("refuses a file written by another Node major version, unless validate is false", async () => {
    const dir = tempDir();
    const file = join(dir, "project.json");
    const project = await Project.open(file, { mode: "w" });
    project.log("Binary", (exp) => exp.logArtifact("state", [1, 2], "v8"));
    await project.save();
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(`"node_version": "${NODE_MAJOR}"`, '"node_version": "12"'),
    );
    const experiment = (await Project.open(file, { mode: "r" })).get("binary");
    await expect(experiment.loadArtifact("state")).rejects.toThrow(ArtifactLoadError);
    await expect(experiment.loadArtifact("state")).rejects.toThrow(/node_version/);
    expect(await experiment.loadArtifact("state", { validate: false })).toEqual([1, 2]);
  });

  it("refuses a value it cannot serialise when it is logged", () => {
    const handler = new V8Handler();
    expect(() => handler.write(() => 1, {})).toThrow();
    const exp = new Experiment({ name: "Binary" });
    expect(() => exp.logArtifact("f", { f: () => 1 }, "v8")).toThrow(ArtifactLogError);
    expect(() => exp.logArtifact("f", { f: () => 1 }, "v8")).toThrow(/"v8" handler cannot write/);
    expect(exp.artifacts).toEqual([]);
  });
});

describe("registerHandler", () => {
  it("registers a user handler by alias, whose facts are recorded and checked", async () => {
    registerHandler(CsvHandler);
    expect(handlerAliases()).toEqual(["csv", "json", "v8"]);
    const folder = memoryFolder();
    const project = await Project.open(`${folder}/project.json`, { mode: "w" });
    const exp = project.log("Tables", (e) =>
      e.logArtifact(
        "rows",
        [
          ["a", "b"],
          ["1", "2"],
        ],
        "csv",
      ),
    );
    expect(exp.artifacts[0]).toMatchObject({
      fname: "rows-20250120132330.csv",
      csv_dialect: "excel",
    });
    await project.save();
    const reopened = await Project.open(`${folder}/project.json`, { mode: "r" });
    expect(await reopened.get("tables").loadArtifact("rows")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("refuses a second handler under the same alias unless replace is set", () => {
    registerHandler(new CsvHandler());
    expect(() => registerHandler(new CsvHandler())).toThrow(LazyscribeError);
    expect(() => registerHandler(new CsvHandler(), { replace: true })).not.toThrow();
  });

  it("refuses a handler without an alias, a suffix with a slash, or facts using lazyscribe's keys", () => {
    expect(() => registerHandler({ suffix: "x", binary: false } as never)).toThrow(ValidationError);
    class Slashed extends CsvHandler {
      override readonly suffix = "../x";
    }
    expect(() => registerHandler(Slashed)).toThrow(/suffix/);
    class Clashing extends CsvHandler {
      override facts(): Readonly<Record<string, JsonValue>> {
        return { version: "1" };
      }
    }
    expect(() => registerHandler(Clashing)).toThrow(/"version" is a key lazyscribe writes/);
  });
});

describe("artifacts of handlers this runtime lacks (Python's pickle)", () => {
  const PICKLE = {
    created_at: "2024-04-01T10:00:00",
    expiry: null,
    fname: "model-20240401100000.pkl",
    handler: "pickle",
    name: "model",
    python_version: "3.11",
    version: 0,
  };

  it("are kept as metadata and written back unchanged", async () => {
    const dir = tempDir();
    const file = join(dir, "project.json");
    const record = {
      name: "Python run",
      author: "alice",
      last_updated_by: "alice",
      metrics: {},
      parameters: {},
      created_at: "2024-04-01T10:00:00",
      last_updated: "2024-04-01T10:00:00",
      dependencies: [],
      short_slug: "python-run",
      slug: "python-run-20240401100000",
      tests: [],
      artifacts: [PICKLE],
      tags: [],
    };
    const original = dumpsPyJson([record], { indent: 4, sortKeys: true });
    writeFileSync(file, original);
    const project = await Project.open(file, { mode: "w+" });
    expect(project.get("python-run").artifacts).toEqual([PICKLE]);
    project.log("TypeScript run", (exp) => exp.logMetric("auroc", 0.5));
    await project.save();
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved[0].artifacts).toEqual([PICKLE]);
  });

  it("fail to load with an error that names the handler", async () => {
    const dir = tempDir();
    const file = join(dir, "project.json");
    writeFileSync(
      file,
      JSON.stringify([
        {
          name: "Python run",
          author: "alice",
          created_at: "2024-04-01T10:00:00",
          last_updated: "2024-04-01T10:00:00",
          artifacts: [PICKLE],
        },
      ]),
    );
    const project = await Project.open(file, { mode: "r" });
    const load = project.get("python-run").loadArtifact("model");
    await expect(load).rejects.toThrow(ArtifactLoadError);
    await expect(project.get("python-run").loadArtifact("model")).rejects.toThrow(
      /no artifact handler "pickle" is registered/,
    );
  });

  it("cannot be logged: the unknown alias is refused, naming it", async () => {
    const project = await Project.open(`${memoryFolder()}/project.json`, { mode: "w" });
    expect(() => project.log("x", (exp) => exp.logArtifact("model", {}, "pickle"))).toThrow(
      ArtifactLogError,
    );
    expect(() => project.log("x", (exp) => exp.logArtifact("model", {}, "pickle"))).toThrow(
      /"pickle"/,
    );
  });
});
