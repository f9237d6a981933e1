/**
 * The core workloads on the bytes Python writes: a project file of N experiments (each 20
 * metrics, 10 parameters, 2 tags, 1 test with 5 metrics) written by
 * `scripts/generate-python-project.py` as Python lazyscribe 2.2.1 writes it. Each workload
 * runs in a fresh process (its time and peak memory are its own), and so does the limit it is
 * held to, where it has one: both start from the same state (modules loaded, nothing run), so
 * neither runs warmed by, or in the garbage of, the other.
 *
 * - open "r" / "w+": `Project.open`; limit `readFile` + `JSON.parse` of the same bytes
 *   (`read-limit`);
 * - save all / 1 changed (the last experiment, or the middle one) / 1 appended:
 *   `project.save()`; limit `JSON.stringify(value, null, 4)` + write of the same records (in
 *   the same process, after the save);
 * - list / show: `lazyscribe list <file>` and `lazyscribe show <file> <slug>` run in-process
 *   (output to /dev/null); limit a bare script that reads, parses and prints the same table
 *   or record in naive code (`bare-list`, `bare-show`);
 * - build-experiments (N experiments through `project.log`), held to Python lazyscribe
 *   2.2.1 doing the same (`build-python`: `benchmarks/build_python.py` run by
 *   LAZYSCRIBE_PYTHON, default `/work/pyref/py`; skipped with a notice when it cannot run);
 *   merge (two overlapping files); log-metric.
 *
 * The parent runs every workload LAZYSCRIBE_BENCH_REPEAT times (default 3) and prints a table
 * of the medians with their limits; LAZYSCRIBE_BENCH_ONLY (names, comma-separated) runs only
 * those workloads.
 *
 *   npx tsx benchmarks/core.ts [N...]          all workloads (default N = 10000)
 *   npx tsx benchmarks/core.ts <workload> <N>   one workload, in this process
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/program.js";
import { Experiment, Project } from "../src/index.js";
import { type Figure, measure, runChild } from "./harness.js";
import { BENCH_DIR, pythonCopy, pythonFile, readLimit, writeLimit } from "./pythonFiles.js";
import { logWorkload } from "./workload.js";

/** Python with lazyscribe 2.2.1 importable (see /work/shared/PYTHON-REFERENCE.md). */
const PYTHON = process.env.LAZYSCRIBE_PYTHON ?? "/work/pyref/py";

/** Output that goes nowhere, written as a terminal's would be. */
function nullIO() {
  const fd = openSync("/dev/null", "w");
  const sink = { write: (text: string) => writeSync(fd, text) };
  return { io: { stdout: sink, stderr: sink }, close: () => closeSync(fd) };
}

async function measureWriteLimit(n: number, file: string): Promise<Figure> {
  const value = readLimit(pythonFile(n));
  return measure("limit-write", n, () => writeLimit(value, `${file}.plain`));
}

/**
 * What a bare script prints for `list`, in naive code: the same table as `lazyscribe list`
 * (name, slug, author, created, tags, the parameters whose values differ, every metric by
 * name), values as `String` or compact JSON, cells cut at 40 characters, columns padded to
 * their widest cell.
 */
function bareList(file: string, write: (text: string) => unknown): void {
  const records = readLimit(file) as { [key: string]: Record<string, unknown> }[];
  const show = (value: unknown) =>
    value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const first = records[0]?.parameters ?? {};
  const parameters = [...new Set(records.flatMap((r) => Object.keys(r.parameters ?? {})))].filter(
    (p) => records.some((r) => show(r.parameters?.[p]) !== show(first[p])),
  );
  const metrics = [...new Set(records.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  const header = ["name", "slug", "author", "created", "tags", ...parameters, ...metrics];
  const rows = records.map((r) => [
    String(r.name),
    String(r.slug),
    String(r.author),
    String(r.created_at).replace("T", " "),
    (r.tags as unknown as string[]).join(", "),
    ...parameters.map((p) => show(r.parameters?.[p]).slice(0, 40)),
    ...metrics.map((m) => show(r.metrics?.[m])),
  ]);
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] as number, cell.length);
    });
  }
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] as number)).join("  ");
  const lines = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  write(`${lines.join("\n")}\n`);
}

/** What a bare script prints for `show`: the record of one slug, as JSON. */
function bareShow(file: string, slug: string, write: (text: string) => unknown): void {
  const records = readLimit(file) as Record<string, unknown>[];
  const record = records.find((r) => r.slug === slug || r.short_slug === slug);
  write(`${JSON.stringify(record, null, 2)}\n`);
}

async function saveOneChanged(n: number, index: number, name: string): Promise<void> {
  const file = pythonCopy(n, name);
  const project = await Project.open(file, { mode: "w+", author: "bench" });
  project.get(`experiment-${index}`).logMetric("metric_1", 0.5);
  await measure(name, n, () => project.save());
  await measureWriteLimit(n, file);
}

const workloads: Record<string, (n: number) => Promise<void>> = {
  async "read-limit"(n) {
    const file = pythonFile(n);
    await measure("limit-read", n, () => readLimit(file));
  },
  async "open-r"(n) {
    const file = pythonFile(n);
    await measure("open-r", n, () => Project.open(file, { mode: "r" }));
  },
  async "open-w+"(n) {
    const file = pythonFile(n);
    await measure("open-w+", n, () => Project.open(file, { mode: "w+" }));
  },
  async "save-all"(n) {
    const file = pythonCopy(n, "save-all");
    const project = await Project.open(file, { mode: "w+", author: "bench" });
    for (const experiment of project.experiments) experiment.logMetric("metric_1", 0.5);
    await measure("save-all", n, () => project.save());
    await measureWriteLimit(n, file);
  },
  async "save-1-changed-last"(n) {
    await saveOneChanged(n, n - 1, "save-1-changed-last");
  },
  async "save-1-changed-middle"(n) {
    await saveOneChanged(n, n >> 1, "save-1-changed-middle");
  },
  async "save-1-appended"(n) {
    const file = pythonCopy(n, "save-1-appended");
    const project = await Project.open(file, { mode: "a", author: "bench" });
    project.log("Appended", (exp) => logWorkload(exp, n));
    await measure("save-1-appended", n, () => project.save());
    await measureWriteLimit(n, file);
  },
  async list(n) {
    const file = pythonFile(n);
    const { io, close } = nullIO();
    await measure("list", n, async () => {
      if ((await runCli(["list", file], io)) !== 0) throw new Error("list failed");
    });
    close();
  },
  async "bare-list"(n) {
    const file = pythonFile(n);
    const { io, close } = nullIO();
    await measure("limit-bare-list", n, () => bareList(file, io.stdout.write));
    close();
  },
  async show(n) {
    const file = pythonFile(n);
    const slug = `experiment-${n >> 1}`;
    const { io, close } = nullIO();
    await measure("show", n, async () => {
      if ((await runCli(["show", file, slug], io)) !== 0) throw new Error("show failed");
    });
    close();
  },
  async "bare-show"(n) {
    const file = pythonFile(n);
    const { io, close } = nullIO();
    await measure("limit-bare-show", n, () =>
      bareShow(file, `experiment-${n >> 1}`, io.stdout.write),
    );
    close();
  },
  async "build-experiments"(n) {
    await measure("build-experiments", n, async () => {
      const project = await Project.open(join(BENCH_DIR, `build-${n}.json`), {
        mode: "w",
        author: "bench",
      });
      for (let i = 0; i < n; i++) project.log(`Experiment ${i}`, (exp) => logWorkload(exp, i));
    });
  },
  async "build-python"(n) {
    if (!existsSync(PYTHON)) {
      console.error(`build-python: ${PYTHON} is not here, so Python's build is not measured`);
      return;
    }
    const script = fileURLToPath(new URL("build_python.py", import.meta.url));
    try {
      const output = execFileSync(PYTHON, [script, String(n), BENCH_DIR], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      process.stdout.write(output);
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? error);
      console.error(
        `build-python: Python lazyscribe did not run, so its build is not measured\n${stderr}`,
      );
    }
  },
  async merge(n) {
    const a = await Project.open(pythonFile(n), { mode: "r" });
    const b = await Project.open(pythonFile(n, n / 2), { mode: "r" });
    let size = 0;
    await measure("merge", n, () => {
      size = a.merge(b).size;
    });
    if (size !== n + n / 2) throw new Error(`merge kept ${size} experiments, not ${n + n / 2}`);
  },
  async "log-metric"(n) {
    const exp = new Experiment({ name: "Hot loop", author: "bench" });
    const calls = n * 10;
    await measure("log-metric-calls", calls, () => {
      for (let i = 0; i < calls; i++) exp.logMetric(`m${i % 50}`, i / 7);
    });
  },
};

/** The limit each workload is held to, and the ratio it may reach. */
const LIMITS: Record<string, [limit: string, target: string]> = {
  "open-r": ["limit-read", "<= 1.3x"],
  "open-w+": ["limit-read", "<= 1.3x"],
  "save-all": ["limit-write", "<= 1.5x"],
  "save-1-changed-last": ["save-all", "<= 0.1x"],
  "save-1-changed-middle": ["save-all", "<= 0.1x"],
  "save-1-appended": ["save-all", "<= 0.1x"],
  list: ["limit-bare-list", "<= 1.5x"],
  show: ["limit-bare-show", "<= 1.5x"],
  "build-experiments": ["build-python", "<= 0.2x (5x Python)"],
};

/**
 * The workloads that measure a workload's limit, each in a fresh process of its own: the
 * limit then starts from the same state as the workload (modules loaded, nothing run yet),
 * neither warmed nor burdened by the other's run.
 */
const LIMIT_WORKLOADS: Record<string, string> = {
  "open-r": "read-limit",
  "open-w+": "read-limit",
  list: "bare-list",
  show: "bare-show",
  "build-experiments": "build-python",
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * Prints the medians of each workload beside its limit's, as a Markdown table: wall-clock
 * seconds, and processor seconds (steadier on a shared machine) with their ratio too.
 */
function printTable(n: number, figures: Figure[]): void {
  const by = new Map<string, Figure[]>();
  for (const f of figures) by.set(f.benchmark, [...(by.get(f.benchmark) ?? []), f]);
  const seconds = (name: string) => median((by.get(name) ?? []).map((f) => f.seconds));
  const cpu = (name: string) => median((by.get(name) ?? []).map((f) => f.cpuSeconds ?? NaN));
  const peak = (name: string) => median((by.get(name) ?? []).map((f) => f.peakRssMB));
  const rows = [
    `| workload (N = ${n}) | s | limit | limit s | ratio | target | cpu s | limit cpu s | cpu ratio | peak MB | limit peak MB |`,
  ];
  rows.push("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, [limit, target]] of Object.entries(LIMITS)) {
    if (!by.has(name)) continue;
    const s = seconds(name);
    const l = seconds(limit);
    const c = cpu(name);
    const lc = cpu(limit);
    rows.push(
      `| ${name} | ${s.toFixed(3)} | ${limit} | ${l.toFixed(3)} | ${(s / l).toFixed(2)}x | ${target} | ${c.toFixed(3)} | ${lc.toFixed(3)} | ${(c / lc).toFixed(2)}x | ${peak(name)} | ${peak(limit)} |`,
    );
  }
  for (const name of ["merge", "log-metric-calls"]) {
    if (by.has(name)) {
      rows.push(
        `| ${name} | ${seconds(name).toFixed(3)} | | | | | ${cpu(name).toFixed(3)} | | | ${peak(name)} | |`,
      );
    }
  }
  console.log(rows.join("\n"));
}

const [first, second] = process.argv.slice(2);
if (first !== undefined && first in workloads) {
  await (workloads[first] as (n: number) => Promise<void>)(Number(second ?? 10_000));
} else {
  const sizes = process.argv.slice(2).map(Number);
  const repeat = Number(process.env.LAZYSCRIBE_BENCH_REPEAT ?? 3);
  for (const n of sizes.length > 0 ? sizes : [10_000]) {
    pythonFile(n);
    pythonFile(n, n / 2);
    const only = process.env.LAZYSCRIBE_BENCH_ONLY?.split(",");
    const chosen = Object.keys(workloads).filter((name) => only?.includes(name) ?? true);
    const limits = chosen.map((name) => LIMIT_WORKLOADS[name]).filter((l) => l !== undefined);
    const names = [...new Set([...chosen, ...limits])];
    const figures: Figure[] = [];
    for (let run = 0; run < repeat; run++) {
      for (const name of names) {
        figures.push(...runChild(import.meta.url, name, n));
      }
    }
    printTable(n, figures);
  }
}
