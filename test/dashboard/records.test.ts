import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiskRecords } from "../../src/dashboard/diskRecords.js";
import { toJson } from "../../src/dashboard/json.js";
import { ValidationError } from "../../src/errors.js";
import { parseProjectFile } from "../../src/format/projectFile.js";
import { dumpsPyJson, readProjectRecord, readPyJson } from "../../src/format/pyjson/index.js";
import { Project } from "../../src/index.js";
import { fixtureText, tempDir } from "../helpers/fixtures.js";

const DIFFERENTIAL = fileURLToPath(
  new URL("../fixtures/differential/projects.json", import.meta.url),
);

/** The Python-written project files of the fixtures. */
function pythonFiles(): { name: string; text: string }[] {
  const files = ["basic", "modes", "artifacts", "duplicate-slug", "empty-test-slug"].map(
    (name) => ({ name, text: fixtureText(name, "project.json") }),
  );
  const differential = JSON.parse(readFileSync(DIFFERENTIAL, "utf8")) as { file: string }[];
  for (const [i, item] of differential.entries()) {
    files.push({ name: `differential ${i}`, text: item.file });
  }
  return files;
}

/** What the core's Project gives for `text`, as the dashboard's JSON, in its order. */
async function coreRecords(text: string): Promise<unknown[]> {
  const fpath = join(tempDir(), "project.json");
  writeFileSync(fpath, text);
  const project = await Project.open(fpath, { mode: "r" });
  return project.experiments.map((e) => JSON.parse(toJson(e.toJSON())));
}

/** What the dashboard takes of a record's read: its value, and whether JSON.parse alone read it. */
function readRecordText(text: string): { value: unknown; plain: boolean } {
  const { value, plain } = readProjectRecord(text);
  return { value, plain };
}

describe("the dashboard's reading of a record", () => {
  it("gives the same value as readPyJson, marks aside, for any JSON Python writes", () => {
    const scalar = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53), 1e16, 1e300),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(value, fc.boolean(), (item, indented) => {
        const text = dumpsPyJson(item, indented ? { indent: 4, sortKeys: true } : {});
        expect(readRecordText(text).value).toEqual(readPyJson(text).value);
      }),
      { numRuns: 300 },
    );
  });

  it("reads what JSON.parse cannot with readPyJson, and says so", () => {
    expect(readRecordText('{"a": NaN, "b": [Infinity, -Infinity]}')).toEqual({
      value: { a: Number.NaN, b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] },
      plain: false,
    });
    expect(readRecordText('{"seed": 9223372036854775808}')).toEqual({
      value: { seed: 9223372036854775808n },
      plain: false,
    });
    expect(readRecordText('{"a": -0, "b": 1.0}').value).toEqual({ a: 0, b: 1 });
    expect(readRecordText('{"a": 0.5, "b": [1, 2]}')).toEqual({
      value: { a: 0.5, b: [1, 2] },
      plain: true,
    });
  });

  it("refuses a record nested deeper than the project reader accepts", () => {
    const deep = `${"[".repeat(600)}${"]".repeat(600)}`;
    expect(() => readRecordText(deep)).toThrow(/nest/);
  });
});

describe("DiskRecords", () => {
  it.each(pythonFiles())("reads $name as the core's Project.open does", async ({ text }) => {
    const disk = new DiskRecords("project.json");
    const read = await disk.read(text);
    expect(read.layout).toBe("python");
    expect(disk.entries.map((e) => JSON.parse(e.json()))).toEqual(await coreRecords(text));
  });

  it.each(pythonFiles())("reads $name in another layout as the core does", async ({ text }) => {
    const compact = dumpsPyJson(readPyJson(text).value);
    const disk = new DiskRecords("project.json");
    expect((await disk.read(compact)).layout).toBe("whole");
    expect(disk.entries.map((e) => JSON.parse(e.json()))).toEqual(await coreRecords(text));
  });

  it("reports a record that does not match the format with the file, record and field", async () => {
    const text = fixtureText("basic", "project.json").replace('"author": "', '"author": 5, "x": "');
    const disk = new DiskRecords("basic.json");
    const error = await disk.read(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ file: "basic.json", record: 0, path: ["author"] });
    expect(() => parseProjectFile(text, "basic.json")).toThrow((error as Error).message);
  });

  it("reports text that is not JSON at its place in the whole file", async () => {
    const good = fixtureText("basic", "project.json");
    const broken = good.replace('"name": "Second run"', '"name": Second run"');
    const disk = new DiskRecords("basic.json");
    await disk.read(good);
    const before = disk.entries;
    const error = await disk.read(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const line = broken.slice(0, broken.indexOf('"name": Second')).split("\n").length;
    expect((error as Error).message).toMatch(new RegExp(`^basic\\.json: .*line ${line}, column`));
    expect(disk.entries).toBe(before);
  });
});
