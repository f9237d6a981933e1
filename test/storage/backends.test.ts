/**
 * The Storage contract, run against each backend: local files, memory://, and S3 through the
 * real AWS SDK client on a real S3-compatible server (s3rver) listening on 127.0.0.1.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LazyscribeError, Project } from "../../src/index.js";
import {
  LocalStorage,
  MemoryStorage,
  resolveLocation,
  S3Storage,
  StorageError,
} from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { backends as backendsFor, text } from "./helpers/backends.js";
import { type S3Server, startS3Server } from "./helpers/s3server.js";

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["lab"] });
});
afterAll(async () => {
  await s3?.stop();
});

const backends = backendsFor(() => s3, "contract");

describe.each(backends)("the $name backend", (backend) => {
  it("reads back what it wrote, and nothing for a missing file", async () => {
    const { storage, base } = backend.make();
    expect(await storage.read(`${base}/missing.json`)).toBeUndefined();
    expect(await storage.readVersioned(`${base}/missing.json`)).toBeUndefined();
    expect(await storage.exists(`${base}/missing.json`)).toBe(false);
    await storage.write(`${base}/deep/folder/a.json`, "[1]");
    expect(text(await storage.read(`${base}/deep/folder/a.json`))).toBe("[1]");
    expect(await storage.exists(`${base}/deep/folder/a.json`)).toBe(true);
    await storage.write(`${base}/deep/folder/a.json`, new TextEncoder().encode("[2]"));
    expect(text(await storage.read(`${base}/deep/folder/a.json`))).toBe("[2]");
  });

  it("removes a file, and removing a missing file is no error", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/a.json`, "[]");
    await storage.remove(`${base}/a.json`);
    expect(await storage.exists(`${base}/a.json`)).toBe(false);
    await storage.remove(`${base}/a.json`);
  });

  it("gives a new version token each time the file is replaced", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/a.json`, "[1]");
    const first = await storage.readVersioned(`${base}/a.json`);
    expect(text(first?.data)).toBe("[1]");
    expect(first?.version).toEqual(expect.any(String));
    expect((await storage.readVersioned(`${base}/a.json`))?.version).toBe(first?.version);
    await storage.write(`${base}/a.json`, "[2, 3]");
    expect((await storage.readVersioned(`${base}/a.json`))?.version).not.toBe(first?.version);
  });

  it("updates a missing file from nothing, and returns the new version", async () => {
    const { storage, base } = backend.make();
    const seen: unknown[] = [];
    const version = await storage.update(`${base}/new/a.json`, (current) => {
      seen.push(current);
      return "[1]";
    });
    expect(seen).toEqual([undefined]);
    expect(await storage.readVersioned(`${base}/new/a.json`)).toEqual({
      data: expect.anything(),
      version,
    });
  });

  it("hands an update the current version and, on demand, the current content", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/a.json`, "[1]");
    const before = await storage.readVersioned(`${base}/a.json`);
    const version = await storage.update(`${base}/a.json`, async (current) => {
      expect(current?.version).toBe(before?.version);
      return `${text(await current?.read())?.slice(0, -1)}, 2]`;
    });
    expect(text(await storage.read(`${base}/a.json`))).toBe("[1, 2]");
    expect((await storage.readVersioned(`${base}/a.json`))?.version).toBe(version);
  });

  it("runs this process's concurrent updates of one file one after the other", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/count.json`, "0");
    await Promise.all(
      Array.from({ length: 10 }, () =>
        storage.update(`${base}/count.json`, async (current) => {
          const value = Number(text(await current?.read()));
          await new Promise((resolve) => setTimeout(resolve, 2));
          return String(value + 1);
        }),
      ),
    );
    expect(text(await storage.read(`${base}/count.json`))).toBe("10");
  });

  it("leaves the file as it was when the change throws, and passes the error on", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/a.json`, "[1]");
    const boom = new Error("boom");
    await expect(
      storage.update(`${base}/a.json`, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(text(await storage.read(`${base}/a.json`))).toBe("[1]");
  });

  it("writes content given in parts, each made as it is read", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/a.json`, "[1]");
    const made: number[] = [];
    function* parts() {
      for (let i = 0; i < 5; i++) {
        made.push(i);
        yield new TextEncoder().encode(i === 0 ? "[" : i === 4 ? `${i}]` : `${i}, `);
      }
    }
    const version = await storage.update(`${base}/a.json`, () => ({ parts: parts() }));
    expect(made).toEqual([0, 1, 2, 3, 4]);
    expect(text(await storage.read(`${base}/a.json`))).toBe("[1, 2, 3, 4]");
    expect((await storage.readVersioned(`${base}/a.json`))?.version).toBe(version);
    await storage.update(`${base}/a.json`, () => ({ parts: [] }));
    expect(text(await storage.read(`${base}/a.json`))).toBe("");
  });

  it("leaves the file as it was when making a part throws, and passes that error on", async () => {
    const { storage, base } = backend.make();
    await storage.write(`${base}/a.json`, "[1]");
    const boom = new Error("boom");
    function* parts() {
      yield new TextEncoder().encode("[2");
      yield new TextEncoder().encode(", 3");
      throw boom;
    }
    await expect(storage.update(`${base}/a.json`, () => ({ parts: parts() }))).rejects.toBe(boom);
    expect(text(await storage.read(`${base}/a.json`))).toBe("[1]");
  });

  it("saves and opens a project", async () => {
    const { storage, base } = backend.make();
    const prefix =
      storage instanceof LocalStorage
        ? ""
        : storage instanceof MemoryStorage
          ? "memory://"
          : "s3://";
    const location = `${prefix}${base}/project.json`;
    const storageOptions =
      storage instanceof S3Storage ? s3.storageOptions({ conditionalWrites: false }) : undefined;
    const project = await Project.open(location, { mode: "w", author: "alice", storageOptions });
    project.log("Round trip", (exp) => exp.logMetric("auroc", 0.5));
    await project.save();
    const reopened = await Project.open(location, { mode: "r", storageOptions });
    expect([...reopened]).toEqual([...project]);
  });
});

describe("local files", () => {
  it("leave no temporary file or lock behind after a save", async () => {
    const dir = tempDir();
    const project = await Project.open(join(dir, "project.json"), { mode: "a" });
    project.log("Tidy", () => undefined);
    await project.save();
    expect(readdirSync(dir)).toEqual(["project.json"]);
  });

  it("leave no temporary file or lock behind when making a part throws", async () => {
    const dir = tempDir();
    const storage = new LocalStorage();
    await storage.write(join(dir, "a.json"), "[1]");
    function* parts(): Generator<Uint8Array> {
      yield new Uint8Array(3 << 20);
      throw new Error("boom");
    }
    await expect(storage.update(join(dir, "a.json"), () => ({ parts: parts() }))).rejects.toThrow(
      /^boom$/,
    );
    expect(readdirSync(dir)).toEqual(["a.json"]);
    await storage.update(join(dir, "a.json"), () => "[2]");
    expect(text(await storage.read(join(dir, "a.json")))).toBe("[2]");
  });

  it("hold a lock file beside the file during an update", async () => {
    const dir = tempDir();
    const storage = new LocalStorage();
    await storage.update(join(dir, "a.json"), () => {
      expect(readdirSync(dir)).toContain("a.json.lock");
      return "[]";
    });
    expect(readdirSync(dir)).toEqual(["a.json"]);
  });
});

describe("resolveLocation", () => {
  it("chooses the backend by the location's protocol", () => {
    expect(resolveLocation("/tmp/p.json").storage).toBeInstanceOf(LocalStorage);
    expect(resolveLocation("file:///tmp/p.json")).toMatchObject({ path: "/tmp/p.json" });
    expect(resolveLocation("memory://a/p.json")).toMatchObject({ path: "a/p.json" });
    const { storage, path } = resolveLocation("s3://bucket/folder/p.json", {});
    expect(storage).toBeInstanceOf(S3Storage);
    expect(path).toBe("bucket/folder/p.json");
  });

  it("keeps one S3 client per storageOptions object", () => {
    const options = { region: "eu-west-1" };
    expect(resolveLocation("s3://a/p.json", options).storage).toBe(
      resolveLocation("s3://b/q.json", options).storage,
    );
    expect(resolveLocation("s3://a/p.json", { region: "eu-west-1" }).storage).not.toBe(
      resolveLocation("s3://a/p.json", options).storage,
    );
  });

  it("passes storageOptions through to the S3 client", async () => {
    const storage = new S3Storage(s3.storageOptions({ maxAttempts: 1 }));
    expect(storage.endpoint).toBe(s3.endpoint);
    await storage.write("lab/options/a.json", "[]");
    expect(await storage.exists("lab/options/a.json")).toBe(true);
  });

  it("refuses an unknown protocol, naming the location", () => {
    expect(() => resolveLocation("ftp://host/p.json")).toThrow(
      /no storage backend for "ftp:\/\/" \(in "ftp:\/\/host\/p.json"\)/,
    );
  });

  it("refuses an s3 location without a key", async () => {
    const storage = new S3Storage(s3.storageOptions());
    await expect(storage.read("lab")).rejects.toThrow(
      /"s3:\/\/lab" is not an S3 object location: write s3:\/\/<bucket>\/<key>/,
    );
    await expect(storage.read("lab")).rejects.toBeInstanceOf(StorageError);
    await expect(storage.read("lab")).rejects.toBeInstanceOf(LazyscribeError);
  });
});
