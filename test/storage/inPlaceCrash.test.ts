/**
 * An in-place splice killed at each of its steps (real child processes that SIGKILL themselves
 * right after the step, see `in-place-kill` in `helpers/child.ts`): every read of this project
 * gives exactly the old file, the next read or update that can take the lock rolls the file
 * back to its old bytes, a torn journal is dropped and the file left untouched, and a file that
 * someone changed after the crash is never overwritten.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Project } from "../../src/index.js";
import { LocalStorage, StorageError } from "../../src/storage/index.js";
import { journalPathOf } from "../../src/storage/localJournal.js";
import { tempDir } from "../helpers/fixtures.js";
import { bundleChild, finished, spawnChild } from "./helpers/children.js";

const TAIL = ',\n    "appended by the child"';
/** The file before the save: 40 records of 104 bytes, so that the append is written in place. */
const OLD = Buffer.from(
  `[\n    ${Array.from({ length: 40 }, (_, i) => `"${String(i).padStart(96, "r")}"`).join(",\n    ")}\n]`,
);
const NEW = Buffer.concat([OLD.subarray(0, -2), Buffer.from(TAIL), OLD.subarray(-2)]);

let dir: string;
let count = 0;

/** A new file holding OLD, and its path. */
function oldFile(): string {
  const path = join(dir, `project-${count++}.json`);
  writeFileSync(path, OLD);
  return path;
}

/** Runs the child that appends TAIL to `path` and kills itself after `step`. */
async function killedAt(path: string, step: string): Promise<void> {
  const result = await finished(await spawnChild(["in-place-kill", path, step, TAIL]));
  expect(result.signal, result.stderr).toBe("SIGKILL");
}

/** The dead child's lock: it is dead, so its lock can go (a live one would be refreshed). */
function dropLock(path: string): void {
  rmSync(`${path}.lock`, { recursive: true, force: true });
}

beforeAll(async () => {
  await bundleChild();
  dir = tempDir("lazyscribe-in-place-kill-");
  // The child, not killed, writes NEW in place.
  const path = oldFile();
  const result = await finished(await spawnChild(["in-place-kill", path, "none", TAIL]));
  expect(result.stdout).toContain("saved");
  expect(readFileSync(path)).toEqual(NEW);
  expect(existsSync(journalPathOf(path))).toBe(false);
}, 60_000);

describe("an in-place splice killed", () => {
  const raw = { journaled: "old", "mid-write": "torn", written: "new", flushed: "new" } as const;
  for (const [step, left] of Object.entries(raw)) {
    it(`after the step "${step}" leaves the ${left} bytes and a journal; reads give the old file, and restore it once the lock is free`, async () => {
      const path = oldFile();
      await killedAt(path, step);
      const onDisk = readFileSync(path);
      if (left === "old") expect(onDisk).toEqual(OLD);
      else if (left === "new") expect(onDisk).toEqual(NEW);
      else {
        expect(onDisk).not.toEqual(OLD);
        expect(onDisk).not.toEqual(NEW);
      }
      expect(existsSync(journalPathOf(path))).toBe(true);
      const storage = new LocalStorage();
      // The lock is still fresh: the old file is put together from the journal, nothing moves.
      expect(await storage.read(path)).toEqual(OLD);
      expect(readFileSync(path)).toEqual(onDisk);
      dropLock(path);
      const read = await storage.readVersioned(path);
      expect(read?.data).toEqual(OLD);
      expect(readFileSync(path)).toEqual(OLD);
      expect(existsSync(journalPathOf(path))).toBe(false);
      expect(existsSync(`${path}.lock`)).toBe(false);
      expect(read?.version).toBe((await storage.readVersioned(path))?.version);
    });
  }

  it("mid-write is rolled back by the next update before its change sees the file", async () => {
    const path = oldFile();
    await killedAt(path, "mid-write");
    dropLock(path);
    let seen: Uint8Array | undefined;
    await new LocalStorage().update(path, async (current) => {
      seen = await current?.read();
      return { keep: OLD.length - 2, tail: ',\n    "next"\n]', size: OLD.length };
    });
    expect(seen).toEqual(OLD);
    expect(readFileSync(path, "utf8")).toBe(`${OLD.subarray(0, -2)},\n    "next"\n]`);
    expect(existsSync(journalPathOf(path))).toBe(false);
  });

  it("before the journal was removed is opened by a project as the old file", async () => {
    const path = join(dir, "project.json");
    const project = await Project.open(path, { mode: "w", author: "test" });
    for (let i = 0; i < 40; i++) project.log(`experiment ${i}`);
    await project.save();
    const old = readFileSync(path);
    await killedAt(path, "flushed");
    expect(readFileSync(path)).not.toEqual(old);
    dropLock(path);
    const reopened = await Project.open(path, { mode: "r" });
    expect(reopened.size).toBe(40);
    expect(readFileSync(path)).toEqual(old);
  });
});

describe("a torn journal", () => {
  let whole: Buffer;

  beforeAll(async () => {
    const path = oldFile();
    await killedAt(path, "journaled");
    whole = readFileSync(journalPathOf(path));
  });

  const cuts: Record<string, (length: number) => number> = {
    empty: () => 0,
    "one byte": () => 1,
    "within its first line": () => 30,
    half: (length) => length >> 1,
    "all but its last byte": (length) => length - 1,
  };
  for (const [name, kept] of Object.entries(cuts)) {
    it(`(${name}) is dropped and the file left untouched`, async () => {
      const path = oldFile();
      writeFileSync(journalPathOf(path), whole.subarray(0, kept(whole.length)));
      utimesSync(path, 1_700_000_000, 1_700_000_000);
      const { mtimeMs } = statSync(path);
      expect(await new LocalStorage().read(path)).toEqual(OLD);
      expect(readFileSync(path)).toEqual(OLD);
      expect(statSync(path).mtimeMs).toBe(mtimeMs);
      expect(existsSync(journalPathOf(path))).toBe(false);
    });
  }

  it("is read past while its writer holds the lock, and dropped once the lock is free", async () => {
    const path = oldFile();
    writeFileSync(journalPathOf(path), whole.subarray(0, whole.length >> 1));
    mkdirSync(`${path}.lock`);
    const storage = new LocalStorage();
    expect(await storage.read(path)).toEqual(OLD);
    expect(existsSync(journalPathOf(path))).toBe(true);
    dropLock(path);
    expect(await storage.read(path)).toEqual(OLD);
    expect(existsSync(journalPathOf(path))).toBe(false);
  });
});

describe("a file replaced after a save was killed in place", () => {
  it("is read as it is, the journal of the file it replaced dropped once the lock is free", async () => {
    const path = oldFile();
    await killedAt(path, "mid-write");
    const storage = new LocalStorage();
    await storage.write(path, "[]");
    // The killed writer's lock is still fresh: the journal stays, the new file is read.
    expect(Buffer.from((await storage.read(path)) as Uint8Array).toString()).toBe("[]");
    expect(existsSync(journalPathOf(path))).toBe(true);
    dropLock(path);
    expect(Buffer.from((await storage.read(path)) as Uint8Array).toString()).toBe("[]");
    expect(readFileSync(path, "utf8")).toBe("[]");
    expect(existsSync(journalPathOf(path))).toBe(false);
  });

  it("or removed, has its journal dropped by the next update, which writes the file anew", async () => {
    const path = oldFile();
    await killedAt(path, "written");
    dropLock(path);
    rmSync(path);
    await new LocalStorage().update(path, (current) => (current === undefined ? "[]" : "kept"));
    expect(readFileSync(path, "utf8")).toBe("[]");
    expect(existsSync(journalPathOf(path))).toBe(false);
  });
});

describe("a file changed after a save was killed in place", () => {
  it("is never overwritten: reads, updates and opens fail naming the journal", async () => {
    const path = oldFile();
    await killedAt(path, "written");
    dropLock(path);
    // Someone else rewrote the end of the file since.
    const changed = Buffer.from(readFileSync(path));
    changed.fill("Z".charCodeAt(0), OLD.length - 2, OLD.length + 4);
    writeFileSync(path, changed);
    const storage = new LocalStorage();
    const message = `${path} does not match its journal ${journalPathOf(path)} (byte ${OLD.length - 2} is neither the old nor the new one)`;
    const read = await storage.read(path).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(StorageError);
    expect((read as StorageError).code).toBe("EJOURNAL");
    expect((read as StorageError).message).toContain(message);
    let called = false;
    const update = await storage
      .update(path, () => {
        called = true;
        return "overwritten";
      })
      .catch((error: unknown) => error);
    expect((update as StorageError).code).toBe("EJOURNAL");
    expect(called).toBe(false);
    await expect(Project.open(path, { mode: "r" })).rejects.toThrow(message);
    expect(readFileSync(path)).toEqual(changed);
    expect(existsSync(journalPathOf(path))).toBe(true);
  });

  it("to another size is never overwritten either", async () => {
    const path = oldFile();
    await killedAt(path, "journaled");
    dropLock(path);
    writeFileSync(path, "[]");
    const error = await new LocalStorage().read(path).catch((e: unknown) => e);
    expect((error as StorageError).message).toContain(
      `(it holds 2 bytes, the save went from ${OLD.length} to ${NEW.length})`,
    );
    expect(readFileSync(path, "utf8")).toBe("[]");
  });
});
