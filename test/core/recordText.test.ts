/**
 * Saving by record text (issue 12): a save writes the text it read for every experiment that
 * cannot have changed, serialises the others, and splices the file when its start stays; the
 * bytes are always those of writing the whole list, and the file is replaced atomically.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  Experiment,
  MemoryStorage,
  Project,
  parseProjectFile,
  serializeProjectFile,
} from "../../src/index.js";
import { LocalStorage } from "../../src/storage/index.js";
import { type FileContent, isSplice } from "../../src/storage/storage.js";
import { tempDir } from "../helpers/fixtures.js";

/** 40 experiments written as Python lazyscribe 2.2.1 writes them (see its README). */
const PYTHON_FILE = fileURLToPath(
  new URL("../fixtures/python-project/project-40.json", import.meta.url),
);
const pythonText = readFileSync(PYTHON_FILE, "utf8");

/** The texts of the records of a file in Python's layout (`{` at four spaces to `}`). */
function recordTexts(text: string): string[] {
  return text
    .slice(6, -2)
    .split(",\n    {")
    .map((t, i) => (i === 0 ? t : `{${t}`));
}

/** A copy of the Python-written file in a new folder. */
function pythonCopy(): string {
  const file = join(tempDir("lazyscribe-record-text-"), "project.json");
  copyFileSync(PYTHON_FILE, file);
  return file;
}

/** Calls `seen` with the content of each save through `LocalStorage`, once it is computed. */
function onLocalContent(seen: (content: FileContent) => void): void {
  const update = LocalStorage.prototype.update;
  vi.spyOn(LocalStorage.prototype, "update").mockImplementation(function (
    this: LocalStorage,
    path,
    change,
    options,
  ) {
    return update.call(
      this,
      path,
      async (current) => {
        const content = await change(current);
        seen(content);
        return content;
      },
      options,
    );
  });
}

/** Records, for each save through `LocalStorage`, whether its content was a splice. */
function watchSplices(): boolean[] {
  const splices: boolean[] = [];
  onLocalContent((content) => splices.push(isSplice(content)));
  return splices;
}

afterEach(() => {
  vi.restoreAllMocks();
  MemoryStorage.clear();
});

describe("a save reusing record texts", () => {
  it("gives the Python file back unchanged after an unchanged save in mode w+", async () => {
    const file = pythonCopy();
    const project = await Project.open(file, { mode: "w+", author: "bob" });
    await project.save();
    expect(readFileSync(file, "utf8")).toBe(pythonText);
  });

  it("rewrites only the changed record of a Python-written file, with the bytes of a full write", async () => {
    const file = pythonCopy();
    const splices = watchSplices();
    const project = await Project.open(file, { mode: "w+", author: "bob" });
    const changed = project.get("experiment-37");
    changed.logMetric("metric_1", 0.5);
    await project.save();
    const text = readFileSync(file, "utf8");
    // Every other record is Python's text, byte for byte; the changed one is what writing
    // the whole project gives, and so is the file.
    const before = recordTexts(pythonText);
    const after = recordTexts(text);
    expect(after).toHaveLength(40);
    after.forEach((record, i) => {
      if (i !== 37) expect(record).toBe(before[i]);
    });
    expect(after[37]).not.toBe(before[37]);
    expect(after[37]).toContain('"metric_1": 0.5,');
    expect(after[37]).toContain('"last_updated_by": "bob",');
    // Whole floats of the changed record are still written as Python wrote them.
    expect(after[37]).toContain('"metric_0": 1.0,');
    expect(after[37]).toContain('"metric_7": 0.0,');
    expect(text).toBe(serializeProjectFile((await Project.open(file, { mode: "r" })).experiments));
    expect(text).toBe(serializeProjectFile(project.experiments));
    expect(splices).toEqual([true]);
  });

  it("rewrites a record in the middle, resuming with the file's own bytes after it", async () => {
    const file = pythonCopy();
    const splices = watchSplices();
    const project = await Project.open(file, { mode: "w+", author: "bob" });
    const before = recordTexts(pythonText);
    // Longer, then shorter than Python's record: the bytes after it move both ways.
    for (const value of ["a much longer value than Python wrote, to grow the record", "s"]) {
      project.get("experiment-20").logParameter("note", value);
      await project.save();
      const text = readFileSync(file, "utf8");
      const after = recordTexts(text);
      expect(after).toHaveLength(40);
      after.forEach((record, i) => {
        if (i !== 20) expect(record).toBe(before[i]);
      });
      expect(after[20]).toContain(`"note": "${value}"`);
      expect(text).toBe(
        serializeProjectFile((await Project.open(file, { mode: "r" })).experiments),
      );
    }
    expect(splices).toEqual([true, true]);
  });

  it("splices a local file keeping its first and last bytes, whatever the tail's length", async () => {
    const storage = new LocalStorage();
    const file = join(tempDir("lazyscribe-splice-"), "p.json");
    for (const [tail, expected] of [
      ["XY", "0123XY6789"],
      ["LONGER", "0123LONGER6789"],
      ["", "01236789"],
    ] as const) {
      writeFileSync(file, "0123456789");
      await storage.update(file, () => ({ keep: 4, tail, resume: 6, size: 10 }));
      expect(readFileSync(file, "utf8")).toBe(expected);
    }
    writeFileSync(file, "0123456789");
    await expect(
      storage.update(file, () => ({ keep: 7, tail: "x", resume: 6, size: 10 })),
    ).rejects.toThrow(/keeping 7, resuming at 6/);
    expect(readFileSync(file, "utf8")).toBe("0123456789");
    expect(readdirSync(join(file, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("appends a new record after Python's bytes, as a full write would", async () => {
    const file = pythonCopy();
    const splices = watchSplices();
    const project = await Project.open(file, { mode: "a", author: "bob" });
    project.log("Appended", (exp) => {
      exp.logMetric("whole", 1);
      exp.logParameter("seed", 2n ** 64n);
    });
    await project.save();
    const text = readFileSync(file, "utf8");
    expect(text.startsWith(pythonText.slice(0, -2))).toBe(true);
    const appended = recordTexts(text)[40] as string;
    expect(text).toBe(`${pythonText.slice(0, -2)},\n    ${appended}\n]`);
    expect(appended).toContain('"seed": 18446744073709551616');
    expect(text).toBe(serializeProjectFile((await Project.open(file, { mode: "r" })).experiments));
    expect(splices).toEqual([true]);
    // A second save appends again to the file the first one wrote.
    project.log("Second", (exp) => exp.logMetric("n", 2));
    await project.save();
    const again = readFileSync(file, "utf8");
    expect(again.startsWith(text.slice(0, -2))).toBe(true);
    expect(again).toBe(serializeProjectFile((await Project.open(file, { mode: "r" })).experiments));
    expect(splices).toEqual([true, true]);
  });

  it("writes an experiment built in mode w+ again even if only its test changed", async () => {
    const file = pythonCopy();
    const project = await Project.open(file, { mode: "w+", author: "bob" });
    const test = project.get("experiment-5").tests[0];
    test?.logMetric("extra", 2);
    await project.save();
    const record = recordTexts(readFileSync(file, "utf8"))[5] as string;
    expect(record).toContain('"extra": 2');
  });

  it("writes a file not in Python's layout whole, in Python's layout", async () => {
    const file = join(tempDir("lazyscribe-record-text-"), "compact.json");
    const records = JSON.parse(pythonText.replace(/NaN/g, "0")) as object[];
    // Compact JSON: the same records, no indentation; the big integers stay exact as text.
    const compact = JSON.stringify(records.slice(1, 6));
    writeFileSync(file, compact);
    const splices = watchSplices();
    const project = await Project.open(file, { mode: "w+", author: "bob" });
    await project.save();
    const text = readFileSync(file, "utf8");
    expect(text).not.toBe(compact);
    expect(text).toBe(serializeProjectFile(project.experiments));
    expect(parseProjectFile(text, "saved.json")).toEqual(parseProjectFile(compact, "compact.json"));
    expect(splices).toEqual([false]);
  });

  it("in mode w, replaces a file another process rewrote instead of splicing it", async () => {
    const file = join(tempDir("lazyscribe-record-text-"), "project.json");
    const mine = await Project.open(file, { mode: "w", author: "bob" });
    mine.log("Mine", (exp) => exp.logMetric("m", 1));
    await mine.save();
    const other = await Project.open(file, { mode: "w", author: "eve" });
    other.log("Other", (exp) => exp.logMetric("m", 22));
    await other.save();
    mine.log("Mine again", (exp) => exp.logMetric("m", 3));
    const splices = watchSplices();
    await mine.save();
    expect(splices).toEqual([false]);
    expect(readFileSync(file, "utf8")).toBe(serializeProjectFile(mine.experiments));
  });

  it("writes the whole file when its first record changes", async () => {
    const file = pythonCopy();
    const splices = watchSplices();
    const project = await Project.open(file, { mode: "w+", author: "bob" });
    project.get("experiment-0").tag("first");
    await project.save();
    expect(readFileSync(file, "utf8")).toBe(serializeProjectFile(project.experiments));
    expect(splices).toEqual([false]);
  });

  it("merges into a file another process rewrote, keeping that file's texts", async () => {
    const file = pythonCopy();
    const project = await Project.open(file, { mode: "a", author: "bob" });
    const other = await Project.open(file, { mode: "a", author: "eve" });
    other.log("Other", (exp) => exp.logMetric("m", 1));
    await other.save();
    project.log("Mine", (exp) => exp.logMetric("m", 2));
    await project.save();
    const text = readFileSync(file, "utf8");
    const reread = await Project.open(file, { mode: "r" });
    expect(reread.experiments.map((e) => e.name).slice(-2)).toEqual(["Other", "Mine"]);
    expect(text.startsWith(pythonText.slice(0, -2))).toBe(true);
    expect(text).toBe(serializeProjectFile(reread.experiments));
  });

  it("leaves the old file whole, and no temporary file, when a splicing save is abandoned", async () => {
    const file = pythonCopy();
    const project = await Project.open(file, { mode: "a", author: "bob" });
    project.append(
      new Experiment({ name: "Late", project: file, author: "bob", createdAt: new Date() }),
    );
    const controller = new AbortController();
    // The content is computed, the temporary file written; the signal is checked right before
    // the rename.
    onLocalContent(() => controller.abort(new Error("stopped")));
    await expect(project.save({ signal: controller.signal })).rejects.toThrow("stopped");
    expect(readFileSync(file, "utf8")).toBe(pythonText);
    expect(readdirSync(join(file, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses to splice a file whose size is not the one the project knows", async () => {
    const file = pythonCopy();
    const project = await Project.open(file, { mode: "a", author: "bob" });
    project.log("New", (exp) => exp.logMetric("m", 1));
    const storage = new LocalStorage();
    // A change computed for another size: the backend writes nothing.
    await expect(storage.update(file, () => ({ keep: 10, tail: "x", size: 12 }))).rejects.toThrow(
      /holds \d+ bytes where the change expected 12/,
    );
    expect(readFileSync(file, "utf8")).toBe(pythonText);
    await project.save();
    expect(readFileSync(file, "utf8")).toBe(
      serializeProjectFile((await Project.open(file, { mode: "r" })).experiments),
    );
  });

  it("builds no experiment on open, nor for list's summaries, and builds one on get()", async () => {
    const project = await Project.open(PYTHON_FILE, { mode: "r" });
    expect(project.size).toBe(40);
    expect(project.slots.filter((s) => s.built !== undefined)).toEqual([]);
    const { summaries } = await import("../../src/cli/records.js");
    const rows = summaries(project);
    expect(rows[3]).toMatchObject({ name: "Experiment 3", slug: "experiment-3-20240101000003" });
    expect(project.slots.filter((s) => s.built !== undefined)).toEqual([]);
    const experiment = project.get("experiment-3");
    expect(project.slots.filter((s) => s.built !== undefined).map((s) => s.slug)).toEqual([
      "experiment-3-20240101000003",
    ]);
    // Built on access, it is the experiment a full read gives, whole floats included.
    expect(experiment.toJSON()).toEqual(JSON.parse(recordTexts(pythonText)[3] as string));
    expect(serializeProjectFile([experiment])).toBe(`[\n    ${recordTexts(pythonText)[3]}\n]`);
    // toJSON() is plain data: its whole floats travel beside it, as the experiment's marks.
    expect(serializeProjectFile([experiment.toJSON()], { 0: experiment.floatMarks ?? {} })).toBe(
      `[\n    ${recordTexts(pythonText)[3]}\n]`,
    );
  });

  it("still refuses a bad record at open, naming the file, the record and the field", async () => {
    const file = pythonCopy();
    const records = recordTexts(pythonText);
    records[12] = (records[12] as string).replace('"tags": [', '"tags": [7, ');
    writeFileSync(file, `[\n    ${records.join(",\n    ")}\n]`);
    const error = await Project.open(file, { mode: "r" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ file, record: 12, path: ["tags", 0] });
    expect((error as Error).message).toBe(
      `${file}, record 12, field "tags.0": Invalid input: expected string, received number`,
    );
  });

  it("splices memory:// files by assembling the bytes", async () => {
    const storage = new MemoryStorage();
    await storage.write("a/p.json", "[1, 2]");
    await storage.update("a/p.json", () => ({ keep: 5, tail: ", 3]", size: 6 }));
    expect(new TextDecoder().decode(await storage.read("a/p.json"))).toBe("[1, 2, 3]");
    await storage.update("a/p.json", () => ({ keep: 4, tail: "20", resume: 5, size: 9 }));
    expect(new TextDecoder().decode(await storage.read("a/p.json"))).toBe("[1, 20, 3]");
  });
});
