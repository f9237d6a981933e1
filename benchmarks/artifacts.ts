/**
 * Artifacts: logging and saving N JSON artifacts of about 10 kB each (100 experiments, N/100
 * artifacts each), and loading them back, beside plain file writes and reads of the same
 * bytes. Target: at most 2 times the plain figures.
 *
 *   npx tsx benchmarks/artifacts.ts [N...]          all workloads (default N = 1000)
 *   npx tsx benchmarks/artifacts.ts <workload> <N>   one workload, in this process
 *
 * Each workload runs in its own process, after a `sync` (so that the dirty pages of one do not
 * slow the next), LAZYSCRIBE_BENCH_RUNS rounds (default 3); the ratios compare medians. The
 * plain baselines: "sync" and "async" are bare `writeFile`s (not durable), "durable" writes a
 * temporary file, fsyncs it and renames it (what lazyscribe does, less the folder flush).
 *
 * Sizes above 10,000 are skipped (`npm run bench -- 100000` passes experiment counts: 100,000
 * artifacts of 10 kB would be 1 GB of files).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, open, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { dumpsPyJson, Project } from "../src/index.js";
import { benchDir, measure } from "./harness.js";

const dir = benchDir();
const EXPERIMENTS = 100;
const MAX_N = 10_000;

const projectFile = (n: number) => join(dir, `artifacts-${n}`, "project.json");
const plainFolder = (n: number) => join(dir, `plain-${n}`);

/** A deterministic JSON value of about 10 kB: floats, integers, strings and nesting. */
function value(i: number): unknown {
  let seed = (i + 1) * 2_654_435_761;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const weights: number[] = [];
  for (let k = 0; k < 750; k++) weights.push(Math.round(next() * 1e6) / 1e6);
  const labels: string[] = [];
  for (let k = 0; k < 170; k++) labels.push(`label-${Math.floor(next() * 1e5)}`);
  return { id: i, name: `artifact ${i}`, weights, labels, meta: { epoch: i % 17, ok: true } };
}

/** Experiment e's artifacts: indices e * per ... (e + 1) * per - 1. */
function layout(n: number): { experiments: number; per: number } {
  const experiments = Math.min(EXPERIMENTS, n);
  return { experiments, per: Math.ceil(n / experiments) };
}

/** Logs the N artifacts in a project at `fpath` and saves it. */
async function logAndSave(fpath: string, values: unknown[]): Promise<void> {
  const n = values.length;
  const { experiments, per } = layout(n);
  const project = await Project.open(fpath, { mode: "w", author: "bench" });
  for (let e = 0; e < experiments; e++) {
    project.log(`Experiment ${e}`, (exp) => {
      for (let k = e * per; k < Math.min(n, (e + 1) * per); k++) {
        exp.logArtifact(`artifact-${k}`, values[k], "json");
      }
    });
  }
  await project.save();
}

/** The plain files: `<plain folder>/experiment-<e>/artifact-<k>.json`. */
function plainFiles(n: number): { folder: string; file: string; index: number }[] {
  const { experiments, per } = layout(n);
  const out = [];
  for (let e = 0; e < experiments; e++) {
    const folder = join(plainFolder(n), `experiment-${e}`);
    for (let k = e * per; k < Math.min(n, (e + 1) * per); k++) {
      out.push({ folder, file: join(folder, `artifact-${k}.json`), index: k });
    }
  }
  return out;
}

/** Runs `work` over `items`, `CONCURRENCY` at a time (as lazyscribe writes artifact files). */
async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "artifacts-save"(n) {
    const values = Array.from({ length: n }, (_, i) => value(i));
    const bytes = values.reduce<number>((sum, v) => sum + dumpsPyJson(v).length, 0);
    await measure("artifacts-save", n, () => logAndSave(projectFile(n), values), { bytes });
  },
  async "artifacts-save-memory"(n) {
    const values = Array.from({ length: n }, (_, i) => value(i));
    await measure("artifacts-save-memory", n, () =>
      logAndSave(`memory://bench/artifacts-${n}/project.json`, values),
    );
  },
  async "plain-write-sync"(n) {
    const texts = Array.from({ length: n }, (_, i) => dumpsPyJson(value(i)));
    await measure("plain-fs-write-sync", n, () => {
      for (const { folder, file, index } of plainFiles(n)) {
        mkdirSync(folder, { recursive: true });
        writeFileSync(file, texts[index] as string);
      }
    });
  },
  async "plain-write-async"(n) {
    const texts = Array.from({ length: n }, (_, i) => dumpsPyJson(value(i)));
    await measure("plain-fs-write-async", n, () =>
      pool(plainFiles(n), async ({ folder, file, index }) => {
        await mkdir(folder, { recursive: true });
        await writeFile(file, texts[index] as string);
      }),
    );
  },
  async "plain-write-durable"(n) {
    const texts = Array.from({ length: n }, (_, i) => dumpsPyJson(value(i)));
    await measure("plain-fs-write-durable", n, () =>
      pool(plainFiles(n), async ({ folder, file, index }) => {
        await mkdir(folder, { recursive: true });
        const handle = await open(`${file}.tmp`, "w");
        await handle.writeFile(texts[index] as string);
        await handle.sync();
        await handle.close();
        await rename(`${file}.tmp`, file);
      }),
    );
  },
  async "artifacts-load"(n) {
    let loaded = 0;
    await measure("artifacts-load", n, async () => {
      const project = await Project.open(projectFile(n), { mode: "r" });
      for (const experiment of project.experiments) {
        for (const artifact of experiment.artifacts) {
          await experiment.loadArtifact(artifact.name);
          loaded++;
        }
      }
    });
    if (loaded !== n) throw new Error(`loaded ${loaded} artifacts, expected ${n}`);
  },
  async "plain-read-sync"(n) {
    await measure("plain-fs-read-sync", n, () => {
      for (const { file } of plainFiles(n)) JSON.parse(readFileSync(file, "utf8"));
    });
  },
  async "plain-read-async"(n) {
    await measure("plain-fs-read-async", n, async () => {
      for (const { file } of plainFiles(n)) JSON.parse(await readFile(file, "utf8"));
    });
  },
};

/** Flushes the page cache's dirty data, so that one workload's writes do not slow the next. */
function flush(): void {
  try {
    execFileSync("sync", { stdio: "ignore" });
  } catch {
    // No `sync` command here: the figures are noisier, nothing more.
  }
}

/** Runs one workload in a fresh Node process and returns its figure (also printed). */
function run(workload: string, n: number): { seconds: number; peakRssMB: number } {
  flush();
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), workload, String(n)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  process.stdout.write(output);
  return JSON.parse(output.trim().split("\n").pop() as string);
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds of every workload (each round in the same order); the ratios use the medians. */
const RUNS = Math.max(1, Number(process.env.LAZYSCRIBE_BENCH_RUNS ?? 3));

const [first, second] = process.argv.slice(2);
if (first !== undefined && first in workloads) {
  await (workloads[first] as (n: number) => Promise<void>)(Number(second ?? 1000));
} else {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [1000]) {
    if (n > MAX_N) {
      process.stderr.write(`artifacts benchmark: skipping N=${n} (at most ${MAX_N})\n`);
      continue;
    }
    mkdirSync(dirname(projectFile(n)), { recursive: true });
    const runs = new Map<string, { seconds: number; peakRssMB: number }[]>();
    for (let round = 0; round < RUNS; round++) {
      for (const name of Object.keys(workloads)) {
        runs.set(name, [...(runs.get(name) ?? []), run(name, n)]);
      }
    }
    const figure: Record<string, number> = {};
    for (const [name, figures] of runs) {
      figure[name] = median(figures.map((f) => f.seconds));
      console.log(
        JSON.stringify({
          benchmark: `${name}-median`,
          n,
          runs: figures.length,
          seconds: Number((figure[name] as number).toFixed(4)),
          peakRssMB: median(figures.map((f) => f.peakRssMB)),
        }),
      );
    }
    const ratio = (ours: string, plain: string) =>
      console.log(
        JSON.stringify({
          benchmark: `${ours}-vs-${plain}`,
          n,
          ratio: Number(((figure[ours] as number) / (figure[plain] as number)).toFixed(2)),
          target: 2,
        }),
      );
    ratio("artifacts-save", "plain-write-sync");
    ratio("artifacts-save", "plain-write-async");
    ratio("artifacts-save", "plain-write-durable");
    ratio("artifacts-load", "plain-read-sync");
    ratio("artifacts-load", "plain-read-async");
  }
}
