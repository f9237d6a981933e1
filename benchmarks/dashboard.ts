/**
 * `lazyscribe serve` on a large project written as Python writes it
 * (scripts/generate-python-project.py: 20 metrics, 10 parameters, 2 tags, 1 test each):
 *
 * - `serve start`: from spawning `node dist/cli/main.js serve <file>` to its listening line
 *   (the page itself can load), to the first complete `/api/summary` answer (the table's data;
 *   a root without that route is timed on `/api/project`), and to the first complete
 *   `/api/project` answer (every full record), each in a fresh process (median of 3);
 * - `serve update`: from another process's `save()` of one appended experiment returning to
 *   the `project` event that carries it reaching an event-stream client (can be below 0: the
 *   file is replaced before `save()` has released its lock), and from `save()` being called
 *   (which includes writing the file) to that event (median of 3 saves,
 *   after a first save, timed apart, in which the core rewrites every record's text: the
 *   generator leaves out `last_updated_by`, which the core writes);
 * - `serve memory`: the server's peak resident set (VmHWM, reset between phases) while it
 *   starts and answers the summary, during the first save, during the later saves, and
 *   during one `/api/project`; beside it the peak of a bare
 *   `JSON.parse(readFileSync(file))` of the same file (its NaNs written as null, which
 *   `JSON.parse` cannot read) and the heap that parse leaves in use.
 *
 *   npx tsx benchmarks/dashboard.ts [--root DIR] [N...]     (default N = 10000 50000)
 *
 * `--root` measures another checkout of the package (its `dist/` is built if missing), for
 * figures before and after a change. One JSON line per figure.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "../src/index.js";

const SELF = fileURLToPath(import.meta.url);
const HERE = fileURLToPath(new URL("../", import.meta.url));
const PYTHON = existsSync("/work/pyref/py") ? "/work/pyref/py" : "python3";
const now = () => performance.timeOrigin + performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** The project file of `n` experiments, generated once into the system's temporary folder. */
function projectFile(n: number): string {
  const dir = join(tmpdir(), "lazyscribe-dashboard-bench");
  mkdirSync(dir, { recursive: true });
  const fpath = join(dir, `python-${n}.json`);
  if (!existsSync(fpath)) {
    const script = join(HERE, "scripts/generate-python-project.py");
    execFileSync(PYTHON, [script, String(n), `${fpath}.tmp`]);
    execFileSync("mv", [`${fpath}.tmp`, fpath]);
  }
  return fpath;
}

interface Server {
  readonly pid: number;
  readonly url: string;
  readonly listening: number;
  stop(): Promise<void>;
}

/** Starts `lazyscribe serve` from `root`; resolves once it prints its URL. */
function startServer(root: string, fpath: string, started: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [join(root, "dist/cli/main.js"), "serve", fpath, "-p", "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolvePromise, reject) => {
    let out = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
      const match = / at (http:\/\/[^ ]+) /.exec(out);
      if (match?.[1] === undefined) return;
      child.removeAllListeners("exit");
      resolvePromise({
        pid: child.pid as number,
        url: match[1],
        listening: now() - started,
        stop: () =>
          new Promise((done) => {
            child.on("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** GETs `url` to the end; resolves to the status and the body's size. */
function fetchAll(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolvePromise, reject) => {
    get(url, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, bytes }));
    }).on("error", reject);
  });
}

/** The peak resident set of process `pid`, in MB. */
function peakRssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024);
}

/**
 * The CPU time `pid` has used so far (user + system), in seconds: on a machine shared with
 * other work, a steadier figure than the wall-clock time.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts the peak of `pid`'s resident set again from its current size (Linux). */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** Seconds from spawning the server to the first complete answer of `path`. */
async function timeStart(root: string, fpath: string, path: string) {
  const started = now();
  const server = await startServer(root, fpath, started);
  try {
    let body = await fetchAll(`${server.url}${path.slice(1)}`);
    let route = path;
    if (body.status === 404) {
      route = "/api/project";
      body = await fetchAll(`${server.url}api/project`);
    }
    const answer = (now() - started) / 1000;
    const cpu = cpuSeconds(server.pid);
    return { listening: server.listening / 1000, answer, cpu, route, bytes: body.bytes };
  } finally {
    await server.stop();
  }
}

/** Appends one experiment from another process; resolves to when its save was called and returned. */
function appendElsewhere(
  fpath: string,
  name: string,
): Promise<{ called: number; returned: number }> {
  return new Promise((resolvePromise, reject) => {
    let out = "";
    const child = spawn(process.execPath, ["--import", "tsx", SELF, "append", fpath, name], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      const [called, returned] = out.trim().split(" ").map(Number) as [number, number];
      if (code === 0) resolvePromise({ called, returned });
      else reject(new Error(`append exited ${code}`));
    });
  });
}

/** Resolves when an event-stream message naming `name` arrives. */
function eventNaming(url: string, name: string): { ready: Promise<void>; seen: Promise<number> } {
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((r) => {
    ready = r;
  });
  const seen = new Promise<number>((resolvePromise) => {
    const req = get(`${url}api/events`, (res) => {
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        buffer += chunk;
        if (buffer.includes("event: hello")) ready();
        if (buffer.includes(`"${name}"`)) {
          resolvePromise(now());
          req.destroy();
        }
      });
    });
  });
  return { ready: readyPromise, seen };
}

async function benchUpdates(root: string, n: number, fpath: string, copy: string): Promise<void> {
  execFileSync("cp", [fpath, copy]);
  const server = await startServer(root, copy, now());
  try {
    const first = await fetchAll(`${server.url}api/summary`);
    if (first.status === 404) await fetchAll(`${server.url}api/project`);
    // The first save by this package's core writes Python's defaults (last_updated_by) into
    // every record the generator left them out of: every record's text changes once.
    const startPeak = peakRssMB(server.pid);
    resetPeak(server.pid);
    const firstWaiter = eventNaming(server.url, "First save elsewhere");
    await firstWaiter.ready;
    const firstSaved = await appendElsewhere(copy, "First save elsewhere");
    const firstSave = ((await firstWaiter.seen) - firstSaved.returned) / 1000;
    const firstSavePeak = peakRssMB(server.pid);
    resetPeak(server.pid);
    const times: number[] = [];
    const fromCall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `Saved elsewhere ${i}`;
      const waiter = eventNaming(server.url, name);
      await waiter.ready;
      const cpuBefore = cpuSeconds(server.pid);
      const saved = await appendElsewhere(copy, name);
      const seen = await waiter.seen;
      cpu.push(cpuSeconds(server.pid) - cpuBefore);
      times.push((seen - saved.returned) / 1000);
      fromCall.push((seen - saved.called) / 1000);
    }
    const savesPeak = peakRssMB(server.pid);
    resetPeak(server.pid);
    await fetchAll(`${server.url}api/project`);
    const projectPeak = peakRssMB(server.pid);
    console.log(
      JSON.stringify({
        benchmark: "serve update",
        n,
        root,
        saveToEventSeconds: round(median(times)),
        firstSaveToEventSeconds: round(firstSave),
        runs: times.map((t) => round(t)),
        saveCallToEventSeconds: round(median(fromCall)),
        serverCpuSecondsPerSave: round(median(cpu)),
      }),
    );
    console.log(
      JSON.stringify({
        benchmark: "serve memory",
        n,
        root,
        startPeakRssMB: startPeak,
        firstSavePeakRssMB: firstSavePeak,
        savesPeakRssMB: savesPeak,
        projectPeakRssMB: projectPeak,
        ...bareParse(fpath),
      }),
    );
  } finally {
    await server.stop();
  }
}

/** The peak RSS and heap of a bare JSON.parse of the file (NaN written as null), in MB. */
function bareParse(fpath: string): { bareParsePeakRssMB: number; bareParseHeapMB: number } {
  const plain = `${fpath}.nan-free.json`;
  if (!existsSync(plain))
    writeFileSync(plain, readFileSync(fpath, "utf8").replaceAll(": NaN", ": null"));
  const code =
    "const v = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); globalThis.gc();" +
    "console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS / 1024, heap: process.memoryUsage().heapUsed / 1048576, n: v.length }))";
  const out = JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", "-e", code, plain], { encoding: "utf8" }),
  ) as { rss: number; heap: number };
  return { bareParsePeakRssMB: Math.round(out.rss), bareParseHeapMB: Math.round(out.heap) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "append") {
    const [, fpath, name] = args as [string, string, string];
    const project = await Project.open(fpath, { mode: "a", author: "other" });
    project.log(name, (exp) => exp.logMetric("metric_0", 0.5));
    const called = now();
    await project.save();
    process.stdout.write(`${called} ${now()}\n`);
    return;
  }
  let root = HERE;
  const rootAt = args.indexOf("--root");
  if (rootAt >= 0) {
    root = resolve(args[rootAt + 1] as string);
    args.splice(rootAt, 2);
  }
  if (!existsSync(join(root, "dist/cli/main.js"))) {
    execFileSync(process.execPath, [join(root, "scripts/build.mjs")], {
      cwd: root,
      stdio: "ignore",
    });
  }
  const sizes = (args.length === 0 ? ["10000", "50000"] : args).map(Number);
  for (const n of sizes) {
    const fpath = projectFile(n);
    for (const path of ["/api/summary", "/api/project"]) {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await timeStart(root, fpath, path));
      console.log(
        JSON.stringify({
          benchmark: "serve start",
          n,
          root,
          route: runs[0]?.route,
          listeningSeconds: round(median(runs.map((r) => r.listening))),
          answerSeconds: round(median(runs.map((r) => r.answer))),
          serverCpuSeconds: round(median(runs.map((r) => r.cpu))),
          answerMB: round((runs[0]?.bytes ?? 0) / 1e6, 1),
          runs: runs.map((r) => round(r.answer)),
        }),
      );
    }
    await benchUpdates(root, n, fpath, join(tmpdir(), `lazyscribe-dashboard-bench-copy-${n}.json`));
  }
}

await main();
