/**
 * `Storage.writeMany`: many files at once, each atomic, with a report of the file that failed
 * and of those written. Run against each backend, and with SIGKILLed child processes for local
 * files.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FileWrite,
  LocalStorage,
  S3Storage,
  WriteManyError,
} from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { backends as backendsFor, text } from "./helpers/backends.js";
import { batchFiles } from "./helpers/child.js";
import { bundleChild, finished, spawnChild } from "./helpers/children.js";
import { type S3Server, startS3Server } from "./helpers/s3server.js";

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["lab"] });
});
afterAll(async () => {
  await s3?.stop();
});

const backends = backendsFor(() => s3, "batch");

describe.each(backends)("writeMany on the $name backend", (backend) => {
  it("writes every file, in several folders, and replaces those that exist", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/f-1/file-1.json`, "old");
    const files = batchFiles(base, 60, "new");
    await storage.writeMany(files);
    for (const file of files) expect(text(await storage.read(file.path))).toBe(file.data);
    await storage.writeMany([]);
  });
});

describe("writeMany on local files", () => {
  it("leaves no temporary file behind", async () => {
    const base = tempDir();
    await new LocalStorage().writeMany(batchFiles(base, 40, "new"));
    for (let f = 0; f < 10; f++) {
      expect(readdirSync(join(base, `f-${f}`)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    }
  });

  it("names the file that failed and the files written; the others are not written", async () => {
    const base = tempDir();
    const files = batchFiles(base, 100, "new");
    // The folder of file 37 is a file: it cannot be written.
    const blocked: FileWrite = { path: join(base, "in-the-way", "file.json"), data: "x" };
    files.splice(37, 0, blocked);
    writeFileSync(join(base, "in-the-way"), "not a folder");
    const error = await new LocalStorage().writeMany(files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteManyError);
    const { failed, written, message, code } = error as WriteManyError;
    expect(failed).toBe(37);
    expect(message).toContain(join(base, "in-the-way", "file.json"));
    expect(["ENOTDIR", "EEXIST"]).toContain(code);
    expect(written).not.toContain(37);
    expect(written.length).toBeGreaterThanOrEqual(37);
    files.forEach((file, index) => {
      if (index === 37) return;
      if (written.includes(index)) expect(readFileSync(file.path, "utf8")).toBe(file.data);
      else expect(existsSync(file.path)).toBe(false);
    });
  });
});

describe("writeMany on S3", () => {
  it("names the file that failed, with the server's code", async () => {
    const storage = new S3Storage(s3.storageOptions({ conditionalWrites: false }));
    const files = batchFiles("lab/batch-failure", 20, "new");
    files.splice(5, 0, { path: "no-such-bucket/file.json", data: "x" });
    const error = await storage.writeMany(files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteManyError);
    expect((error as WriteManyError).failed).toBe(5);
    expect((error as WriteManyError).code).toBe("NoSuchBucket");
    expect((error as WriteManyError).message).toContain("s3://no-such-bucket/file.json");
  });
});

/** Resolves once the child has printed `line` (or has exited). */
function saying(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (seen.includes(line)) resolve();
    });
    child.once("close", () => resolve());
  });
}

/**
 * Files the child replaces; trials (10 in a local run, 30 with LAZYSCRIBE_FULL_CRASH_TESTS=1
 * as in .ci/run), two children at a time.
 */
const FILES = 200;
const TRIALS = Number(
  process.env.LAZYSCRIBE_BATCH_KILL_TRIALS ??
    (process.env.LAZYSCRIBE_FULL_CRASH_TESTS === "1" ? 30 : 10),
);

describe("writeMany killed at a random moment", () => {
  it(`leaves each file old or new, never broken (${TRIALS} SIGKILLed children)`, async () => {
    await bundleChild();
    const root = tempDir("lazyscribe-batch-kill-");
    const oldFiles = (folder: string) => batchFiles(folder, FILES, "old");
    const newText = new Map(batchFiles("", FILES, "new").map((f) => [f.path, f.data]));
    const prepare = (folder: string) => {
      rmSync(folder, { recursive: true, force: true });
      for (const file of oldFiles(folder)) {
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.data);
      }
    };
    // How long a whole batch takes, to spread the kills over it.
    const calibration = join(root, "calibration");
    prepare(calibration);
    const child = await spawnChild(["write-many", calibration, String(FILES)]);
    const calibrated = finished(child);
    await saying(child, "saving");
    const start = performance.now();
    expect((await calibrated).stdout).toContain("saved");
    const batchMs = performance.now() - start;
    const tally = { old: 0, new: 0, broken: 0, killedBeforeTheEnd: 0 };
    let next = 0;
    const slot = async (id: number) => {
      const folder = join(root, `slot-${id}`);
      while (next < TRIALS) {
        next++;
        prepare(folder);
        const child = await spawnChild(["write-many", folder, String(FILES)]);
        const done = finished(child);
        await saying(child, "saving");
        await new Promise((resolve) => setTimeout(resolve, Math.random() * batchMs * 1.2));
        child.kill("SIGKILL");
        if ((await done).signal === "SIGKILL") tally.killedBeforeTheEnd++;
        oldFiles(folder).forEach((file, i) => {
          const now = readFileSync(file.path, "utf8");
          if (now === file.data) tally.old++;
          else if (now === newText.get(`/f-${i % 10}/file-${i}.json`)) tally.new++;
          else tally.broken++;
        });
      }
    };
    await Promise.all([slot(0), slot(1)]);
    console.log(JSON.stringify({ figure: "kill-mid-write-many", trials: TRIALS, ...tally }));
    expect(tally.broken).toBe(0);
    expect(tally.old + tally.new).toBe(TRIALS * FILES);
    expect(tally.killedBeforeTheEnd).toBeGreaterThan(0);
  }, 120_000);
});
