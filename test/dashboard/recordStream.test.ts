import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiskRecords } from "../../src/dashboard/diskRecords.js";
import { streamProjectRecords } from "../../src/dashboard/recordStream.js";
import {
  dumpProjectRecord,
  joinProjectRecords,
  readPyJson,
  splitProjectRecords,
} from "../../src/format/pyjson/index.js";
import { fixtureText, tempDir } from "../helpers/fixtures.js";

const BASE = splitProjectRecords(fixtureText("basic", "project.json")) as string[];

/** Writes `content` to a new file; its path. */
function fileOf(content: string | Buffer): string {
  const path = join(tempDir(), "project.json");
  writeFileSync(path, content);
  return path;
}

/** Every text the stream gives, and its return value. */
async function drain(path: string, chunkBytes?: number) {
  const texts: string[] = [];
  const stream = streamProjectRecords(path, chunkBytes);
  for (;;) {
    const next = await stream.next();
    if (next.done === true) return { texts, python: next.value };
    texts.push(next.value);
  }
}

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.oneof(fc.double({ noNaN: true }), fc.string({ unit: "grapheme" }), fc.boolean()),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ unit: "grapheme" }), tie("value"), { maxKeys: 3 }),
  ),
})).value;
const recordText = fc
  .dictionary(fc.string({ unit: "grapheme" }), jsonValue, { maxKeys: 4 })
  .map((record) => dumpProjectRecord(record));

describe("streamProjectRecords", () => {
  it("gives the texts splitProjectRecords gives, whatever the chunks' size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordText, { maxLength: 6 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (texts, chunkBytes, bom) => {
          const text = joinProjectRecords(texts);
          const path = fileOf(bom ? `\uFEFF${text}` : text);
          expect(await drain(path, chunkBytes)).toEqual({ texts, python: true });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("says when a file is not in Python's layout, as splitProjectRecords does", async () => {
    const text = joinProjectRecords(BASE);
    const variants = [
      "",
      "[",
      "[]\n",
      " []",
      `${text}\n`,
      text.slice(0, -1),
      text.slice(0, -3),
      text.replace("[\n    {", "[\n  {"),
      `${text.slice(0, -2)},\n    {}\n]`,
      JSON.stringify(readPyJson(text).value),
    ];
    for (const variant of variants) {
      for (const chunkBytes of [1, 5, 1 << 20]) {
        const { python } = await drain(fileOf(variant), chunkBytes);
        expect(python, JSON.stringify(variant.slice(0, 40))).toBe(
          splitProjectRecords(variant) !== undefined,
        );
      }
    }
    expect(await drain(fileOf("[]"), 1)).toEqual({ texts: [], python: true });
    expect(await drain(fileOf("[\n    {}\n]"), 1)).toEqual({ texts: ["{}"], python: true });
  });

  it("decodes each record's UTF-8 on its own, whatever chunk boundary splits a character", async () => {
    const record = dumpProjectRecord({ name: "café 日本 🎉" }, undefined);
    for (let chunkBytes = 1; chunkBytes < 40; chunkBytes++) {
      const { texts } = await drain(fileOf(Buffer.from(joinProjectRecords([record]))), chunkBytes);
      expect(texts).toEqual([record]);
    }
  });
});

describe("DiskRecords.readStream", () => {
  it("keeps the entries (and texts) of unchanged records and reads only the changed ones", async () => {
    const disk = new DiskRecords("project.json");
    await disk.read(joinProjectRecords(BASE));
    const [first, second] = disk.entries;
    const changed = dumpProjectRecord({
      ...(readPyJson(BASE[0] as string).value as object),
      tags: ["x"],
    });
    const path = fileOf(joinProjectRecords([changed, BASE[1] as string]));
    expect(await disk.readStream(streamProjectRecords(path, 7))).toEqual({
      layout: "python",
      parsed: 1,
    });
    expect(disk.entries[1]).toBe(second);
    expect(disk.entries[0]).not.toBe(first);
    expect(disk.entries[0]?.text).toBe(changed);
  });

  it("keeps every entry when records are appended, and finds them again when they moved", async () => {
    const disk = new DiskRecords("project.json");
    await disk.read(joinProjectRecords(BASE));
    const [first, second] = disk.entries;
    const added = dumpProjectRecord({
      ...(readPyJson(BASE[1] as string).value as object),
      name: "Added",
      slug: "added-20240301101531",
    });
    const appended = fileOf(joinProjectRecords([...BASE, added, added]));
    expect(await disk.readStream(streamProjectRecords(appended))).toEqual({
      layout: "python",
      parsed: 2,
    });
    expect(disk.entries.slice(0, 2)).toEqual([first, second]);
    expect(disk.entries[0]).toBe(first);
    expect(disk.entries[1]).toBe(second);
    // The first record removed: the others are found by their text, wherever they are now.
    const [, , third, fourth] = disk.entries;
    const shifted = fileOf(joinProjectRecords([BASE[1] as string, added, added]));
    expect(await disk.readStream(streamProjectRecords(shifted))).toEqual({
      layout: "python",
      parsed: 0,
    });
    expect(disk.entries[0]).toBe(second);
    expect([third, fourth]).toContain(disk.entries[1]);
  });

  it("changes nothing and gives undefined for a file to read whole; closes the file", async () => {
    const disk = new DiskRecords("project.json");
    await disk.read(joinProjectRecords(BASE));
    const before = [...disk.entries];
    const broken = `${joinProjectRecords(BASE).slice(0, -2)},\n    {\n        "name": NaN-\n    }\n]`;
    const stream = streamProjectRecords(fileOf(broken), 16);
    expect(await disk.readStream(stream)).toBeUndefined();
    expect(disk.entries).toEqual(before);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(await disk.readStream(streamProjectRecords(fileOf("{}")))).toBeUndefined();
    expect(disk.entries).toEqual(before);
  });

  it("throws a wrong record's error naming the file and the record, changing nothing", async () => {
    const disk = new DiskRecords("project.json");
    await disk.read(joinProjectRecords(BASE));
    const before = [...disk.entries];
    const wrong = dumpProjectRecord({
      ...(readPyJson(BASE[1] as string).value as object),
      name: 5,
    });
    const path = fileOf(joinProjectRecords([BASE[0] as string, wrong]));
    await expect(disk.readStream(streamProjectRecords(path))).rejects.toThrow(
      'project.json, record 1, field "name": Invalid input: expected string, received number',
    );
    expect(disk.entries).toEqual(before);
  });
});
