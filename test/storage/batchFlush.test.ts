/**
 * What `LocalStorage.writeMany` flushes: each file once, each folder it writes in once, and
 * the parents of the folders it makes — counted on the file system calls.
 */
import { mkdirSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { LocalStorage } from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { batchFiles } from "./helpers/child.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, open: vi.fn(actual.open) };
});

describe("LocalStorage.writeMany", () => {
  it("opens each new file once and flushes each folder once, with the new folders' parents", async () => {
    const base = tempDir();
    mkdirSync(join(base, "old", "f-0"), { recursive: true });
    const files = [
      ...batchFiles(join(base, "new", "deep"), 50, "x"),
      ...batchFiles(join(base, "old"), 3, "y"),
    ];
    const open = vi.mocked(fsp.open);
    open.mockClear();
    await new LocalStorage().writeMany(files);
    const calls = open.mock.calls.map(([path, flags]) => ({ path: String(path), flags }));
    expect(calls.filter((c) => c.flags === "wx")).toHaveLength(53);
    const folders = calls.filter((c) => c.flags === "r").map((c) => c.path);
    const expected = [
      ...Array.from({ length: 10 }, (_, f) => join(base, "new", "deep", `f-${f}`)),
      join(base, "new", "deep"),
      join(base, "new"),
      base,
      ...[0, 1, 2].map((f) => join(base, "old", `f-${f}`)),
      join(base, "old"),
    ];
    expect(folders.sort()).toEqual(expected.sort());
  });
});
