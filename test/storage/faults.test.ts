/**
 * Faults: a save that cannot be written fails with a SaveError that says what failed and
 * where, the project in memory is kept as it was, and once the cause is fixed the same save()
 * succeeds. Local files (a path under a file, a read-only folder, a full disk) and S3 (a
 * missing bucket, wrong credentials, a server that is down).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LazyscribeError, Project, SaveError } from "../../src/index.js";
import { StorageError } from "../../src/storage/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { CREDENTIALS, type S3Server, startS3Server } from "./helpers/s3server.js";

/** A project with `n` experiments, logged but not saved. */
type Options = Record<string, unknown>;

async function unsaved(location: string, n: number, storageOptions?: Options): Promise<Project> {
  const project = await Project.open(location, { mode: "w", author: "alice", storageOptions });
  for (let i = 0; i < n; i++) {
    project.log(`Experiment ${i}`, (exp) => {
      for (let m = 0; m < 20; m++) exp.logMetric(`metric_${m}`, (i * 31 + m) / 997);
      exp.logParameter("notes", "x".repeat(200));
    });
  }
  return project;
}

/** Saves, expecting a SaveError; checks that the project in memory is as it was. */
async function failingSave(project: Project): Promise<SaveError> {
  const before = [...project];
  const error = await project.save().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SaveError);
  expect(error).toBeInstanceOf(LazyscribeError);
  expect([...project]).toEqual(before);
  expect(project.experiments.every((e) => e.dirty)).toBe(true);
  return error as SaveError;
}

/** Saves again after the fix, and checks that the file holds the project. */
async function retriedSave(project: Project, storageOptions?: Options): Promise<void> {
  await project.save();
  expect(project.experiments.every((e) => !e.dirty)).toBe(true);
  const reopened = await Project.open(project.fpath, { mode: "r", storageOptions });
  expect([...reopened]).toEqual([...project]);
}

const isRoot = process.getuid?.() === 0;

/** Mounts a tmpfs (root only); returns false where this machine does not allow it. */
function mount(folder: string, options: string): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const remount = (folder: string, options: string) =>
  execFileSync("mount", ["-o", `remount,${options}`, folder], { stdio: "ignore" });
const mounted: string[] = [];
afterAll(() => {
  for (const folder of mounted) {
    try {
      execFileSync("umount", [folder], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
});

describe("a save to local files", () => {
  it("under a path whose folder is a file fails, and succeeds once the folder exists", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "results"), "not a folder");
    const project = await unsaved(join(dir, "results", "project.json"), 3);
    const error = await failingSave(project);
    expect(error.message).toContain(
      `could not save project ${join(dir, "results", "project.json")}`,
    );
    expect(error.message).toMatch(/a part of the path is a file, not a folder; correct the path/);
    expect(["ENOTDIR", "EEXIST"]).toContain((error.cause as StorageError).code);
    rmSync(join(dir, "results"));
    mkdirSync(join(dir, "results"));
    await retriedSave(project);
  });

  it("to a read-only folder fails, names the folder's problem, and succeeds once it is writable", async (context) => {
    const dir = join(tempDir(), "readonly");
    mkdirSync(dir);
    let makeWritable: () => void;
    if (isRoot) {
      // root writes through file modes: make the file system itself read-only.
      if (!mount(dir, "size=4m")) return context.skip("root, but mount is not allowed here");
      mounted.push(dir);
      remount(dir, "ro");
      makeWritable = () => remount(dir, "rw");
    } else {
      chmodSync(dir, 0o555);
      makeWritable = () => chmodSync(dir, 0o755);
    }
    const project = await unsaved(join(dir, "project.json"), 3);
    const error = await failingSave(project);
    expect(error.message).toContain(`could not save project ${join(dir, "project.json")}`);
    expect(error.message).toMatch(/the file system is read-only|permission denied/);
    makeWritable();
    await retriedSave(project);
  });

  it.skipIf(!isRoot)(
    "to a full disk fails, keeps the old file whole, and succeeds once there is room",
    async (context) => {
      const dir = join(tempDir(), "small-disk");
      mkdirSync(dir);
      if (!mount(dir, "size=512k")) return context.skip("mount is not allowed here");
      mounted.push(dir);
      const file = join(dir, "project.json");
      const small = await unsaved(file, 2);
      await small.save();
      const oldText = readFileSync(file, "utf8");
      const project = await unsaved(file, 400); // about 1 MB
      const error = await failingSave(project);
      expect(error.message).toContain(`could not save project ${file}`);
      expect(error.message).toMatch(/no space left on the device; free some space and save again/);
      expect((error.cause as StorageError).code).toBe("ENOSPC");
      expect(readFileSync(file, "utf8")).toBe(oldText);
      remount(dir, "size=16m");
      await retriedSave(project);
    },
  );
});

describe("a save to S3", () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3Server({ buckets: ["lab"] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("to a missing bucket fails, names the bucket, and succeeds once it exists", async () => {
    const storageOptions = server.storageOptions({ conditionalWrites: false });
    const project = await unsaved("s3://not-yet/project.json", 3, storageOptions);
    const error = await failingSave(project);
    expect(error.message).toBe(
      `could not save project s3://not-yet/project.json: writing s3://not-yet/project.json failed: the bucket "not-yet" does not exist at ${server.endpoint}; create it or correct the location`,
    );
    await server.createBucket("not-yet");
    await retriedSave(project, storageOptions);
  });

  it("with wrong credentials fails, says so, and succeeds once they are right", async () => {
    let key = "WRONG-KEY";
    const storageOptions = server.storageOptions({
      // A provider, as the SDK allows: credentials that are rotated while the program runs.
      credentials: async () => ({
        accessKeyId: key,
        secretAccessKey: CREDENTIALS.secretAccessKey,
        expiration: new Date(Date.now() + 1000),
      }),
    });
    const project = await unsaved("s3://lab/credentials/project.json", 3, storageOptions);
    const error = await failingSave(project);
    expect(error.message).toContain("could not save project s3://lab/credentials/project.json");
    expect(error.message).toContain(
      `${server.endpoint} refused the credentials (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.); check storageOptions.credentials`,
    );
    key = CREDENTIALS.accessKeyId;
    await retriedSave(project, storageOptions);
  });

  it("to a server that is down fails, names the server, and succeeds once it is up", async () => {
    const other = await startS3Server({ buckets: ["lab"] });
    const storageOptions = other.storageOptions({ maxAttempts: 1, conditionalWrites: false });
    const project = await unsaved("s3://lab/down/project.json", 3, storageOptions);
    await other.stop();
    const error = await failingSave(project);
    expect(error.message).toContain("could not save project s3://lab/down/project.json");
    expect(error.message).toMatch(
      new RegExp(
        `cannot reach the S3 server at ${other.endpoint} \\(.*ECONNREFUSED.*\\); check that it is running`,
      ),
    );
    await other.restart();
    try {
      await retriedSave(project, storageOptions);
    } finally {
      await other.stop();
    }
  });

  it("opening a project in a missing bucket fails with a StorageError that names the bucket", async () => {
    const error = await Project.open("s3://nowhere/project.json", {
      storageOptions: server.storageOptions(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toBeInstanceOf(LazyscribeError);
    expect((error as Error).message).toBe(
      `reading s3://nowhere/project.json failed: the bucket "nowhere" does not exist at ${server.endpoint}; create it or correct the location`,
    );
  });
});
