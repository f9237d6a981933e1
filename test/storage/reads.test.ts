/**
 * Bounded reads: only regular files are read (a folder, a FIFO or a device is refused at once,
 * without reading and without waiting for a writer), and a file over the size limit
 * (`storageOptions.maxReadBytes`, 1 GiB by default) is refused with its size and the option.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LazyscribeError, Project, Repository, release } from "../../src/index.js";
import {
  DEFAULT_MAX_READ_BYTES,
  LocalStorage,
  resolveLocation,
  S3Storage,
  StorageError,
} from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";

function fifo(): string {
  const path = join(tempDir(), "pipe.json");
  execFileSync("mkfifo", [path]);
  return path;
}

describe("reading what is not a regular file", () => {
  it("refuses a folder, naming it", async () => {
    const folder = join(tempDir(), "project.json");
    mkdirSync(folder);
    const error = await Project.open(folder, { mode: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toBe(
      `${folder} is a folder, not a file; name the file inside it`,
    );
    expect((error as StorageError).code).toBe("EISDIR");
  });

  it("refuses a FIFO at once, without waiting for a writer", async () => {
    const path = fifo();
    for (const open of [
      () => Project.open(path, { mode: "r" }),
      () => Repository.open(path, { mode: "r" }),
      () => release.load(path),
    ]) {
      const error = await open().catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        `${path} is a FIFO (named pipe), not a file: lazyscribe reads only regular files`,
      );
      expect((error as StorageError).code).toBe("ENOTREG");
    }
  });

  it("refuses /dev/zero without reading it", async () => {
    const error = await Project.open("/dev/zero", { mode: "r" }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "/dev/zero is a character device, not a file: lazyscribe reads only regular files",
    );
  });

  it("refuses a FIFO in an update (a save in mode a) without touching it", async () => {
    const path = fifo();
    const error = await new LocalStorage()
      .update(path, () => "never written")
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `${path} is a FIFO (named pipe), not a file: lazyscribe reads only regular files`,
    );
  });
});

describe("the size limit", () => {
  it("is 1 GiB by default", () => {
    expect(DEFAULT_MAX_READ_BYTES).toBe(1024 ** 3);
  });

  it("refuses a larger file with its size and the option that raises the limit", async () => {
    const path = join(tempDir(), "project.json");
    writeFileSync(path, `[${" ".repeat(2000)}]`);
    const error = await Project.open(path, {
      mode: "r",
      storageOptions: { maxReadBytes: 1024 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toBe(
      `reading ${path} refused: the file is 2 KiB (2002 bytes), more than the 1 KiB (1024 bytes) lazyscribe reads; raise storageOptions.maxReadBytes to read it`,
    );
    expect((error as StorageError).code).toBe("EFBIG");
    const raised = await Project.open(path, { mode: "r", storageOptions: { maxReadBytes: 2002 } });
    expect(raised.size).toBe(0);
  });

  it("applies to reads, versioned reads and the read of an update", async () => {
    const path = join(tempDir(), "file.txt");
    writeFileSync(path, "0123456789");
    const storage = new LocalStorage({ maxReadBytes: 9 });
    const message = `reading ${path} refused: the file is 10 bytes, more than the 9 bytes lazyscribe reads; raise storageOptions.maxReadBytes to read it`;
    await expect(storage.read(path)).rejects.toThrow(message);
    await expect(storage.readVersioned(path)).rejects.toThrow(message);
    await expect(storage.update(path, () => "x")).rejects.toThrow(message);
    expect(new TextDecoder().decode(await new LocalStorage({ maxReadBytes: 10 }).read(path))).toBe(
      "0123456789",
    );
  });

  it("is taken from storageOptions by resolveLocation, and must be a positive whole number", () => {
    const options = { maxReadBytes: 5 };
    expect(resolveLocation("/tmp/p.json", options).storage).toBe(
      resolveLocation("/tmp/q.json", options).storage,
    );
    expect(resolveLocation("/tmp/p.json", options).storage).not.toBe(
      resolveLocation("/tmp/p.json").storage,
    );
    for (const bad of [0, -1, 1.5, "10"]) {
      expect(() => new LocalStorage({ maxReadBytes: bad })).toThrow(
        new LazyscribeError(
          `storageOptions.maxReadBytes must be a positive whole number of bytes, not ${bad}`,
        ),
      );
      expect(() => new S3Storage({ maxReadBytes: bad })).toThrow(LazyscribeError);
    }
  });
});
