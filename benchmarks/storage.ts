/**
 * Storage workloads: the save of an N-experiment project (each with 20 metrics, 10 parameters,
 * 2 tags and 1 test with 5 metrics) through the lock on local files and on an S3-compatible
 * server (s3rver, in its own process on 127.0.0.1):
 *
 * - `*-save`: the file is as this project read it, so the save writes the project as is;
 * - `*-save-merge`: another project saved one experiment since, so the save reads the file,
 *   merges and writes (the concurrent-save path).
 *
 *   npx tsx benchmarks/storage.ts [N...]          all workloads (default N = 10000)
 *   npx tsx benchmarks/storage.ts <workload> <N>   one workload, in this process
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "../src/index.js";
import { resolveLocation } from "../src/storage/index.js";
import { measure, runChild } from "./harness.js";
import { appendWorkload } from "./workload.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** Writes an N-experiment project at `location`; returns the file's size in bytes. */
async function prepare(
  location: string,
  n: number,
  storageOptions?: Record<string, unknown>,
): Promise<number> {
  const project = await Project.open(location, { mode: "w", author: "bench", storageOptions });
  appendWorkload(project, n);
  await project.save();
  const { storage, path } = resolveLocation(location, project.storageOptions);
  return (await storage.read(path))?.length ?? 0;
}

/** Measures one save of a project opened in mode "a", with one new experiment. */
async function timeSave(
  benchmark: string,
  location: string,
  n: number,
  merge: boolean,
  storageOptions?: Record<string, unknown>,
): Promise<void> {
  const bytes = await prepare(location, n, storageOptions);
  const project = await Project.open(location, { mode: "a", author: "bench", storageOptions });
  if (merge) {
    const other = await Project.open(location, { mode: "a", author: "other", storageOptions });
    other.log("Saved by another process", (exp) => exp.logMetric("x", 1));
    await other.save();
  }
  project.log("New experiment", (exp) => exp.logMetric("x", 2));
  await measure(benchmark, n, () => project.save(), { bytes });
  const check = await Project.open(location, { mode: "r", storageOptions });
  const expected = n + (merge ? 2 : 1);
  if (check.size !== expected) {
    throw new Error(`${benchmark}: the file holds ${check.size} experiments, not ${expected}`);
  }
}

/** Starts s3rver in its own process (this file's `serve-s3` workload) and waits for its port. */
async function startServer(): Promise<{ child: ChildProcess; options: Record<string, unknown> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "serve-s3"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /port (\d+)/.exec(seen);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once("exit", () => reject(new Error("s3rver exited")));
  });
  return {
    child,
    options: {
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      // s3rver ignores conditional writes: say so, so that no probe runs in the timed save.
      conditionalWrites: false,
    },
  };
}

async function s3Save(benchmark: string, n: number, merge: boolean): Promise<void> {
  const { child, options } = await startServer();
  try {
    await timeSave(benchmark, `s3://bench/project-${n}.json`, n, merge, options);
  } finally {
    child.kill();
  }
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "local-save"(n) {
    const dir = mkdtempSync(join(tmpdir(), "lazyscribe-bench-storage-"));
    await timeSave("save-local-locked", join(dir, "project.json"), n, false);
    rmSync(dir, { recursive: true });
  },
  async "local-save-merge"(n) {
    const dir = mkdtempSync(join(tmpdir(), "lazyscribe-bench-storage-"));
    await timeSave("save-local-locked-merge", join(dir, "project.json"), n, true);
    rmSync(dir, { recursive: true });
  },
  "s3-save": (n) => s3Save("save-s3", n, false),
  "s3-save-merge": (n) => s3Save("save-s3-merge", n, true),
};

const [first, second] = process.argv.slice(2);
if (first === "serve-s3") {
  const { default: S3rver } = await import("s3rver");
  const directory = mkdtempSync(join(tmpdir(), "lazyscribe-bench-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: "bench", configs: [] }],
  });
  const { port } = await server.run();
  console.log(`port ${port}`);
  const stop = () => server.close().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else if (first !== undefined && first in workloads) {
  await (workloads[first] as (n: number) => Promise<void>)(Number(second ?? 10_000));
} else {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [10_000]) {
    for (const name of Object.keys(workloads)) runChild(import.meta.url, name, n);
  }
}
