/**
 * In-place splices of local files: a small change of a large file (a record appended, the
 * last one rewritten) is written into the file itself, giving the very bytes the copy would,
 * with a new version token and no journal left; a change that would move most of the file is
 * still copied and renamed.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Project } from "../../src/index.js";
import { type FileSplice, LocalStorage, type Versioned } from "../../src/storage/index.js";
import { setInPlaceStepHook } from "../../src/storage/localInPlace.js";
import { decodeJournal, encodeJournal, journalPathOf } from "../../src/storage/localJournal.js";
import { splicedBytes } from "../../src/storage/storage.js";
import { tempDir } from "../helpers/fixtures.js";

/** A file of `records` records of 98 bytes each (104 with the separator before them), in the
 * project file's layout. */
function recordsFile(records: number): { path: string; bytes: Buffer } {
  const texts = Array.from({ length: records }, (_, i) => `"${String(i).padStart(96, "r")}"`);
  const bytes = Buffer.from(`[\n    ${texts.join(",\n    ")}\n]`);
  const path = join(tempDir("lazyscribe-in-place-"), "project.json");
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Applies `splice` with `update` and returns the file's bytes, inode and the token given. */
async function applied(path: string, splice: FileSplice) {
  const inode = statSync(path).ino;
  const version = await new LocalStorage().update(path, () => splice);
  return {
    bytes: readFileSync(path),
    inPlace: statSync(path).ino === inode,
    version,
    entries: readdirSync(join(path, "..")).sort(),
  };
}

describe("an in-place splice", () => {
  it("appends a record: the bytes of the copy, the same inode, no journal left", async () => {
    const { path, bytes } = recordsFile(40);
    const splice = { keep: bytes.length - 2, tail: ',\n    "appended"\n]', size: bytes.length };
    const after = await applied(path, splice);
    expect(after.inPlace).toBe(true);
    expect(after.bytes).toEqual(Buffer.from(splicedBytes(splice, bytes)));
    expect(after.bytes.toString().endsWith(`r39",\n    "appended"\n]`)).toBe(true);
    expect(after.entries).toEqual(["project.json"]);
    expect(existsSync(journalPathOf(path))).toBe(false);
  });

  it("rewrites the last record shorter, then longer, keeping the bytes after it", async () => {
    const { path, bytes } = recordsFile(40);
    const last = bytes.lastIndexOf('"', bytes.length - 4);
    const shorter = { keep: last, tail: '"short"', resume: bytes.length - 2, size: bytes.length };
    const first = await applied(path, shorter);
    expect(first.inPlace).toBe(true);
    expect(first.bytes.toString()).toBe(`${bytes.subarray(0, last).toString()}"short"\n]`);
    const size = first.bytes.length;
    const longer = { keep: last, tail: `"${"L".repeat(300)}"`, resume: size - 2, size };
    const second = await applied(path, longer);
    expect(second.inPlace).toBe(true);
    expect(second.bytes).toEqual(Buffer.from(splicedBytes(longer, first.bytes)));
    expect(second.entries).toEqual(["project.json"]);
  });

  it("rewrites a record in the middle in place when the bytes after it stay where they are", async () => {
    const { path, bytes } = recordsFile(40);
    const keep = 6 + 20 * 104;
    const tail = `"${"m".repeat(96)}"`;
    const splice = { keep, tail, resume: keep + 98, size: bytes.length };
    const after = await applied(path, splice);
    expect(after.inPlace).toBe(true);
    expect(after.bytes).toEqual(Buffer.from(splicedBytes(splice, bytes)));
  });

  it("is not used when the change moves most of the file: that is copied and renamed", async () => {
    const { path, bytes } = recordsFile(40);
    const keep = 6 + 20 * 104;
    const splice = { keep, tail: '"moved"', resume: keep + 98, size: bytes.length };
    const after = await applied(path, splice);
    expect(after.inPlace).toBe(false);
    expect(after.bytes).toEqual(Buffer.from(splicedBytes(splice, bytes)));
    expect(after.entries).toEqual(["project.json"]);
  });

  it("copies a file of several chunks, moving the bytes after the change later, then earlier", async () => {
    // 200,000 records, about 20 MiB: the bytes after the change are copied in several chunks.
    const { path, bytes } = recordsFile(200_000);
    const keep = 6 + 1_000 * 104;
    const longer = { keep, tail: `"${"g".repeat(103)}"`, resume: keep + 98, size: bytes.length };
    const grown = await applied(path, longer);
    expect(grown.inPlace).toBe(false);
    expect(grown.bytes.equals(Buffer.from(splicedBytes(longer, bytes)))).toBe(true);
    const size = grown.bytes.length;
    const shorter = { keep, tail: '"s"', resume: keep + 105, size };
    const shrunk = await applied(path, shorter);
    expect(shrunk.inPlace).toBe(false);
    expect(shrunk.bytes.length).toBe(size - 102);
    expect(shrunk.bytes.equals(Buffer.from(splicedBytes(shorter, grown.bytes)))).toBe(true);
    expect(shrunk.entries).toEqual(["project.json"]);
  });

  it("gives a new version token each time, even rewriting the same bytes within one clock tick", async () => {
    const { path, bytes } = recordsFile(40);
    const storage = new LocalStorage();
    const same = { keep: bytes.length - 10, tail: bytes.subarray(-10), size: bytes.length };
    const tokens = [(await storage.readVersioned(path))?.version];
    for (let i = 0; i < 5; i++) tokens.push(await storage.update(path, () => same));
    expect(new Set(tokens).size).toBe(6);
    expect(readFileSync(path)).toEqual(bytes);
    // The token given is the file's as the next read sees it.
    expect((await storage.readVersioned(path))?.version).toBe(tokens.at(-1));
  });

  it("is how a project saves one experiment appended to a Python-written file", async () => {
    const path = join(tempDir("lazyscribe-in-place-"), "project.json");
    const old = readFileSync(
      fileURLToPath(new URL("../fixtures/python-project/project-40.json", import.meta.url)),
      "utf8",
    );
    writeFileSync(path, old);
    const inode = statSync(path).ino;
    const project = await Project.open(path, { mode: "a", author: "test" });
    // Created now: after every record of the file, so appended at its end.
    project.log("appended now", (experiment) => experiment.logMetric("score", 0.5));
    await project.save();
    const text = readFileSync(path, "utf8");
    expect(statSync(path).ino).toBe(inode);
    expect(text.startsWith(old.slice(0, -2))).toBe(true);
    const reopened = await Project.open(path, { mode: "r" });
    expect(reopened.size).toBe(41);
    expect([...reopened].at(-1)?.name).toBe("appended now");
  });
});

describe("a read while an in-place splice is under way", () => {
  afterEach(() => setInPlaceStepHook(undefined));

  for (const point of ["journaled", "mid-write", "written", "flushed"] as const) {
    it(`gives the old file and its token at the point "${point}", the new one after the save`, async () => {
      const { path, bytes } = recordsFile(40);
      const storage = new LocalStorage();
      const before = await storage.readVersioned(path);
      const seen: (Versioned | undefined)[] = [];
      const step = point === "mid-write" ? "written" : point;
      setInPlaceStepHook(async (reached, handle, journal) => {
        if (reached !== step) return;
        if (point !== "mid-write") {
          seen.push(await storage.readVersioned(path));
          return;
        }
        // The second half of the new bytes not written yet: the file is torn on the disk.
        const half = journal.fresh.length >> 1;
        const rest = journal.fresh.length - half;
        await handle.write(Buffer.alloc(rest), 0, rest, journal.keep + half);
        seen.push(await storage.readVersioned(path));
        await handle.write(journal.fresh, half, rest, journal.keep + half);
      });
      const splice = { keep: bytes.length - 2, tail: ',\n    "appended"\n]', size: bytes.length };
      const version = await storage.update(path, () => splice);
      expect(seen).toEqual([before]);
      expect(await storage.readVersioned(path)).toEqual({
        data: Buffer.from(splicedBytes(splice, bytes)),
        version,
      });
      expect(version).not.toBe(before?.version);
    });
  }
});

describe("an in-place splice stopped before it touches the file", () => {
  afterEach(() => setInPlaceStepHook(undefined));

  it("by its signal, aborted once the journal is written, leaves the file and no journal", async () => {
    const { path, bytes } = recordsFile(40);
    const controller = new AbortController();
    setInPlaceStepHook(() => controller.abort());
    const splice = { keep: bytes.length - 2, tail: ',\n    "appended"\n]', size: bytes.length };
    const error = await new LocalStorage()
      .update(path, () => splice, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(readFileSync(path)).toEqual(bytes);
    expect(existsSync(journalPathOf(path))).toBe(false);
  });

  it("by a process that rewrote the file without the lock meanwhile, leaves that process's file", async () => {
    const { path, bytes } = recordsFile(40);
    setInPlaceStepHook(() => writeFileSync(path, "[]"));
    const splice = { keep: bytes.length - 2, tail: ',\n    "appended"\n]', size: bytes.length };
    await expect(new LocalStorage().update(path, () => splice)).rejects.toThrow(
      `${path} was rewritten by a process that does not take its lock while this save wrote its journal; nothing was written, save again`,
    );
    expect(readFileSync(path, "utf8")).toBe("[]");
    expect(existsSync(journalPathOf(path))).toBe(false);
  });
});

describe("the journal's format", () => {
  const journal = {
    id: "0123456789abcdef",
    keep: 7,
    oldSize: 12,
    newSize: 15,
    oldVersion: "1:2:12:3",
    old: Buffer.from("old!\n"),
    fresh: Buffer.from("new bytes\n"),
  };

  it("decodes what it encodes", () => {
    expect(decodeJournal(encodeJournal(journal))).toEqual(journal);
  });

  it("recognises every cut of a journal as torn, and a changed byte", () => {
    const bytes = encodeJournal(journal);
    for (let length = 0; length < bytes.length; length++) {
      expect(decodeJournal(bytes.subarray(0, length))).toBeUndefined();
    }
    for (let at = 0; at < bytes.length; at += 7) {
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at] as number) ^ 1;
      expect(decodeJournal(changed)).toBeUndefined();
    }
  });
});
