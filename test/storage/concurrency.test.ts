/**
 * Concurrent saves lose nothing: several processes (and several projects in one process)
 * that save one project file at the same time all end up in it. Local files through a lock and
 * a merge with the file at save time; S3 through conditional writes and a retry with merge,
 * on two servers that honour them (moto's S3 server, where python3 has moto; s3rver behind a
 * middleware that enforces them), and through lock objects on plain s3rver, which ignores them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Project, SaveError, serializeProjectFile } from "../../src/index.js";
import { S3Storage, type StorageOptions } from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { bundleChild, runChild } from "./helpers/children.js";
import { type MotoServer, motoAvailable, startMotoServer } from "./helpers/motoServer.js";
import { type S3Server, startS3Server } from "./helpers/s3server.js";

const PROCESSES = 8;
const EXPERIMENTS = 25;
const SAVES = 5;

/** Runs PROCESSES children that log EXPERIMENTS experiments each into `location`, all at once. */
async function appendFromChildren(location: string, storageOptions?: object) {
  const startAt = Date.now() + 1500;
  const started = performance.now();
  const outputs = await Promise.all(
    Array.from({ length: PROCESSES }, (_, worker) =>
      runChild([
        "append",
        location,
        String(worker),
        String(EXPERIMENTS),
        String(SAVES),
        String(startAt),
        ...(storageOptions === undefined ? [] : [JSON.stringify(storageOptions)]),
      ]),
    ),
  );
  const workers = outputs.map((out) => JSON.parse(out) as { worker: number; ms: number });
  return { workers, seconds: (performance.now() - started) / 1000 };
}

/**
 * Runs the children against `location`, reopens it, prints the figure `figure` (with `extra()`
 * fields) and checks that it holds the `seeded` experiments and every child's.
 */
async function savedByChildren(
  figure: string,
  location: string,
  options: { storageOptions?: StorageOptions; seeded?: number; extra?: () => object } = {},
): Promise<Project> {
  const { storageOptions, seeded = 0, extra = () => ({}) } = options;
  const { workers, seconds } = await appendFromChildren(location, storageOptions);
  const project = await Project.open(location, { mode: "r", storageOptions });
  console.log(
    JSON.stringify({
      figure,
      processes: PROCESSES,
      experimentsEach: EXPERIMENTS,
      savesEach: SAVES,
      expected: seeded + PROCESSES * EXPERIMENTS,
      final: project.size,
      ...extra(),
      seconds: Number(seconds.toFixed(2)),
      slowestWorkerMs: Math.max(...workers.map((w) => w.ms)),
    }),
  );
  expect(project.size).toBe(seeded + PROCESSES * EXPERIMENTS);
  expectEveryWorker(project);
  return project;
}

function expectEveryWorker(project: Project): void {
  const names = new Set(project.experiments.map((e) => e.name));
  for (let worker = 0; worker < PROCESSES; worker++) {
    for (let i = 0; i < EXPERIMENTS; i++) {
      expect(names.has(`worker ${worker} experiment ${i}`)).toBe(true);
    }
  }
}

beforeAll(async () => {
  await bundleChild();
});

/** The object {@link keepFolder} puts. */
const KEEP = "keep-this-folder";

/**
 * Puts an object of the test's own in `prefix`, so that s3rver never finds that folder
 * empty: when it deletes an object it removes the folders left empty, and a PUT of another
 * process into the same folder at that moment fails inside s3rver (ENOENT on its own file),
 * a race of s3rver's file store that no S3 service has. Many processes put and delete their
 * probe and lock objects there at once.
 */
async function keepFolder(server: S3Server, bucket: string, prefix: string): Promise<void> {
  await new S3Storage(server.storageOptions()).write(`${bucket}/${prefix}${KEEP}`, "");
}

describe("local files", () => {
  it(`keep every experiment of ${PROCESSES} processes that save ${EXPERIMENTS} experiments each at once`, async () => {
    const file = join(tempDir(), "project.json");
    const seed = await Project.open(file, { mode: "w", author: "seed" });
    for (let i = 0; i < 10; i++) seed.log(`seed ${i}`, () => undefined);
    await seed.save();
    const project = await savedByChildren("concurrent-saves-local", file, { seeded: 10 });
    expect(project.experiments.slice(0, 10).map((e) => e.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `seed ${i}`),
    );
  }, 90_000);
});

describe("projects that save one file", () => {
  const T0 = new Date("2024-05-01T12:00:00Z");
  const at = (seconds: number) => vi.setSystemTime(new Date(T0.getTime() + seconds * 1000));
  afterEach(() => {
    vi.useRealTimers();
  });
  const fresh = async (...names: string[]) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const file = join(tempDir(), "project.json");
    const seed = await Project.open(file, { mode: "w", author: "seed" });
    for (const name of names) seed.log(name, (exp) => exp.logMetric("value", 0));
    await seed.save();
    return file;
  };
  const names = (file: string) =>
    (JSON.parse(readFileSync(file, "utf8")) as { name: string }[]).map((r) => r.name);

  it("write exactly the project when nobody else saved meanwhile, as Python does", async () => {
    const file = await fresh("X");
    const project = await Project.open(file, { mode: "a", author: "alice" });
    project.log("Y", () => undefined);
    await project.save();
    expect(readFileSync(file, "utf8")).toBe(serializeProjectFile([...project]));
  });

  it('in mode "a", both keep their new experiments, in the order they were saved', async () => {
    const file = await fresh("X");
    const a = await Project.open(file, { mode: "a", author: "alice" });
    const b = await Project.open(file, { mode: "a", author: "bob" });
    at(1);
    a.log("from alice", () => undefined);
    b.log("from bob", () => undefined);
    await a.save();
    await b.save();
    expect(names(file)).toEqual(["X", "from alice", "from bob"]);
    at(2);
    a.log("from alice again", () => undefined);
    await a.save();
    expect(names(file)).toEqual(["X", "from alice", "from bob", "from alice again"]);
  });

  it('in mode "w+", an edit wins for the experiment it changed; the rest comes from the file', async () => {
    const file = await fresh("X", "Y");
    const editor = await Project.open(file, { mode: "w+", author: "editor" });
    const other = await Project.open(file, { mode: "w+", author: "other" });
    const appender = await Project.open(file, { mode: "a", author: "appender" });
    at(5);
    other.get("y").logMetric("value", 2);
    await other.save();
    appender.log("Z", () => undefined);
    await appender.save();
    at(6);
    editor.get("x").logMetric("value", 1);
    await editor.save();
    const records = JSON.parse(readFileSync(file, "utf8")) as {
      name: string;
      metrics: { value: number };
      last_updated_by: string;
    }[];
    expect(records.map((r) => [r.name, r.metrics.value, r.last_updated_by])).toEqual([
      ["X", 1, "editor"],
      ["Y", 2, "other"],
      ["Z", undefined, "appender"],
    ]);
  });

  it("keep the newest edit of an experiment that two projects changed (Python's merge rule)", async () => {
    const file = await fresh("X");
    const early = await Project.open(file, { mode: "w+", author: "early" });
    const late = await Project.open(file, { mode: "w+", author: "late" });
    at(5);
    early.get("x").logMetric("value", 5);
    at(9);
    late.get("x").logMetric("value", 9);
    await late.save();
    await early.save();
    const [record] = JSON.parse(readFileSync(file, "utf8"));
    expect(record.metrics.value).toBe(9);
    expect(record.last_updated_by).toBe("late");
  });

  it('in mode "w", replace the file: what others saved meanwhile is gone, by design', async () => {
    const file = await fresh("X");
    const writer = await Project.open(file, { mode: "w", author: "writer" });
    const appender = await Project.open(file, { mode: "a", author: "appender" });
    appender.log("Z", () => undefined);
    await appender.save();
    writer.log("W", () => undefined);
    await writer.save();
    expect(names(file)).toEqual(["W"]);
  });

  it('do not bring back experiments that a project in mode "w" removed', async () => {
    const file = await fresh("X", "Y");
    const appender = await Project.open(file, { mode: "a", author: "appender" });
    const writer = await Project.open(file, { mode: "w", author: "writer" });
    writer.log("W", () => undefined);
    await writer.save();
    appender.log("Z", () => undefined);
    await appender.save();
    expect(names(file)).toEqual(["W", "Z"]);
  });

  it("refuse to merge into a file that another process made invalid, and leave it as is", async () => {
    const file = await fresh("X");
    const project = await Project.open(file, { mode: "a", author: "alice" });
    project.log("Y", () => undefined);
    writeFileSync(file, "[{not json");
    const error = await project.save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SaveError);
    expect((error as Error).message).toMatch(
      /another process rewrote the file since this project read it, and it is not a valid project file now/,
    );
    expect(readFileSync(file, "utf8")).toBe("[{not json");
    expect(project.size).toBe(2);
  });

  it("write a merged project as Project.merge orders it when the file has not changed", async () => {
    const file = await fresh("A");
    const otherFile = join(tempDir(), "other.json");
    at(3);
    const other = await Project.open(otherFile, { mode: "w", author: "bob" });
    other.log("B", () => undefined);
    await other.save();
    const project = await Project.open(file, { mode: "a", author: "alice" });
    const merged = project.merge(await Project.open(otherFile, { mode: "r" }));
    await merged.save();
    expect(readFileSync(file, "utf8")).toBe(serializeProjectFile([...merged]));
    expect(names(file)).toEqual(["A", "B"]);
  });
});

describe("S3 with conditional writes", () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3Server({ conditional: true, buckets: ["lab"] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is detected by the probe", async () => {
    const storage = new S3Storage(server.storageOptions());
    expect(await storage.honoursConditionalWrites("lab", "probe/project.json")).toBe(true);
  });

  it("retries a write that another writer beat, with the file as it is then", async () => {
    const storage = new S3Storage(server.storageOptions({ conditionalWrites: true }));
    const rival = new S3Storage(server.storageOptions({ conditionalWrites: false }));
    await storage.write("lab/retry/list.json", "a");
    const refusedBefore = server.refused;
    const seen: string[] = [];
    await storage.update("lab/retry/list.json", async (current) => {
      const text = new TextDecoder().decode(await current?.read());
      seen.push(text);
      // Another process writes between this read and this write, the first time only.
      if (seen.length === 1) await rival.write("lab/retry/list.json", `${text}b`);
      return `${text}c`;
    });
    expect(seen).toEqual(["a", "ab"]);
    expect(server.refused).toBe(refusedBefore + 1);
    expect(new TextDecoder().decode(await storage.read("lab/retry/list.json"))).toBe("abc");
  });

  it("refuses to create a file that another writer created first", async () => {
    const storage = new S3Storage(server.storageOptions({ conditionalWrites: true }));
    const rival = new S3Storage(server.storageOptions({ conditionalWrites: false }));
    let calls = 0;
    await storage.update("lab/create/once.json", async (current) => {
      calls++;
      if (current === undefined) {
        await rival.write("lab/create/once.json", "rival");
        return "mine";
      }
      return `${new TextDecoder().decode(await current.read())}+mine`;
    });
    expect(calls).toBe(2);
    expect(new TextDecoder().decode(await storage.read("lab/create/once.json"))).toBe("rival+mine");
  });

  it(`keeps every experiment of ${PROCESSES} processes that save ${EXPERIMENTS} experiments each at once`, async () => {
    const location = "s3://lab/concurrent/project.json";
    const storageOptions = server.storageOptions({ conditionalWrites: true });
    await keepFolder(server, "lab", "concurrent/");
    const refusedBefore = server.refused;
    await savedByChildren("concurrent-saves-s3", location, {
      storageOptions,
      extra: () => ({ conflictsRetried: server.refused - refusedBefore }),
    });
  }, 90_000);
});

describe("S3 without conditional writes (plain s3rver)", () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3Server({ buckets: ["lab"] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is detected by the probe; saves then hold lock objects, and leave none behind", async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on("warning", listen);
    try {
      const options = server.storageOptions();
      const a = await Project.open("s3://lab/plain/project.json", { storageOptions: options });
      a.log("first", () => undefined);
      await a.save();
      a.log("second", () => undefined);
      await a.save();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listen);
    }
    expect(warnings).toEqual([]);
    const client = new S3Client(server.storageOptions());
    const listed = await client.send(new ListObjectsV2Command({ Bucket: "lab", Prefix: "plain/" }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(["plain/project.json"]);
    client.destroy();
    const storage = new S3Storage(server.storageOptions());
    expect(await storage.honoursConditionalWrites("lab")).toBe(false);
  });

  it(`keeps every experiment of ${PROCESSES} processes that save ${EXPERIMENTS} experiments each at once, through lock objects`, async () => {
    const location = "s3://lab/locked/project.json";
    const storageOptions = server.storageOptions();
    await keepFolder(server, "lab", "locked/");
    await savedByChildren("concurrent-saves-s3-lock-objects", location, { storageOptions });
    const client = new S3Client(server.storageOptions());
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: "lab", Prefix: "locked/" }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toEqual([
      `locked/${KEEP}`,
      "locked/project.json",
    ]);
    client.destroy();
  }, 120_000);

  it("still merges saves that come one after the other", async () => {
    const storageOptions = server.storageOptions({ conditionalWrites: false });
    const location = "s3://lab/sequential/project.json";
    const a = await Project.open(location, { mode: "a", author: "alice", storageOptions });
    const b = await Project.open(location, { mode: "a", author: "bob", storageOptions });
    a.log("from alice", () => undefined);
    b.log("from bob", () => undefined);
    await a.save();
    await b.save();
    const project = await Project.open(location, { mode: "r", storageOptions });
    expect(project.experiments.map((e) => e.name)).toEqual(["from alice", "from bob"]);
  });
});

if (!motoAvailable) {
  console.warn(
    "python3 cannot import moto.server here: the suite on moto's S3 server is skipped (s3rver behind the conditional-writes middleware still runs)",
  );
}

describe.skipIf(!motoAvailable)("S3 with conditional writes (moto's S3 server)", () => {
  let server: MotoServer;
  beforeAll(async () => {
    server = await startMotoServer(["lab"]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is detected by the probe", async () => {
    const storage = new S3Storage(server.storageOptions());
    expect(await storage.honoursConditionalWrites("lab", "probe/project.json")).toBe(true);
  });

  it("retries a write that another writer beat, with the file as it is then", async () => {
    const storage = new S3Storage(server.storageOptions({ conditionalWrites: true }));
    const rival = new S3Storage(server.storageOptions());
    await storage.write("lab/retry/list.json", "a");
    const seen: string[] = [];
    await storage.update("lab/retry/list.json", async (current) => {
      const text = new TextDecoder().decode(await current?.read());
      seen.push(text);
      if (seen.length === 1) await rival.write("lab/retry/list.json", `${text}b`);
      return `${text}c`;
    });
    expect(seen).toEqual(["a", "ab"]);
    expect(new TextDecoder().decode(await storage.read("lab/retry/list.json"))).toBe("abc");
  });

  it(`keeps every experiment of ${PROCESSES} processes that save ${EXPERIMENTS} experiments each at once`, async () => {
    const location = "s3://lab/concurrent/project.json";
    const storageOptions = server.storageOptions();
    await savedByChildren("concurrent-saves-s3-moto", location, { storageOptions });
    const client = new S3Client(server.storageOptions());
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: "lab", Prefix: "concurrent/" }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toEqual(["concurrent/project.json"]);
    client.destroy();
  }, 120_000);
});
