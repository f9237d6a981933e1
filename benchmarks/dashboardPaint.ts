/**
 * What a user of `lazyscribe serve` waits for in the browser, measured in headless Chromium
 * (/usr/bin/chromium, driven by playwright-core) on a project written as Python writes it
 * (scripts/generate-python-project.py: N experiments of 20 metrics, 10 parameters, 2 tags,
 * 1 test) plus one experiment `long-curve` whose metric `loss` holds 100,000 steps
 * (`exp.logMetric("loss", value, { step })`, saved with the project):
 *
 * - `listening`: from spawning the server to its printing its URL (the page can load);
 * - `first paint`: from spawning `node dist/cli/main.js serve <file> -p 0` (the built
 *   `lazyscribe serve`, as a user runs it; `dist/` is built first) to the table showing its
 *   first rows (the page is opened as soon as the server prints its URL): the preview rows
 *   (`/api/summary?preview=N`, the newest, the page sorted newest first) while the file is
 *   still read, or the full table for a checkout without previews; `firstPaintCpu`: the CPU
 *   time the server used by then (user + system, seconds), and `firstPaintPageCpu` the CPU
 *   time of the page's main thread by then: steadier figures than the wall-clock time on a
 *   machine shared with other work;
 * - `complete`: from spawning the server to the full table being in the page (the
 *   experiments card no longer `data-loading`, its count shown); `completeCpu` and
 *   `completePageCpu` as above, by then;
 * - `update`: from another process's `save()` of one new experiment returning
 *   (test/dashboard/appendExperiment.ts) to its row appearing in the page (the table sorted
 *   newest first, so the row is in view); `settled`: from then to the page's main thread being
 *   idle again (the charts of every experiment redrawn); `updateServerCpu`: the CPU time
 *   the server spent from just before the save to the row appearing (the page's own is not
 *   told apart: the save starts while it may still draw the charts of its first paint);
 * - `curve`: once the page is idle, from its address changing to `long-curve`'s page (as a
 *   click on its name does) to the frame after the chart of `loss` is in the page, timed in
 *   the page; `curveFetch`: the part of it the history request took (Resource Timing).
 *
 * The page's changes are watched on every frame (playwright's `waitForSelector` polls every
 * 500 ms after its first tries, which hid up to half a second in these figures).
 *
 * Each run uses a fresh copy of the file, a fresh server and a fresh page; the figure is the
 * median of the runs. One JSON line per figure.
 *
 *   npx tsx benchmarks/dashboardPaint.ts [--runs R] [--root DIR] [N...]   (R = 3, N = 10000)
 *
 * `--root` measures another checkout of the package (its `dist/` built), for figures before
 * and after a change.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Project } from "../src/index.js";
import { launch } from "../test/dashboard/browserHelpers.js";

const HERE = fileURLToPath(new URL("../", import.meta.url));
const PYTHON = existsSync("/work/pyref/py") ? "/work/pyref/py" : "python3";
const APPEND = join(HERE, "test/dashboard/appendExperiment.ts");
const DIR = join(tmpdir(), "lazyscribe-paint-bench");
const CURVE_STEPS = 100_000;
const now = () => performance.timeOrigin + performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number) => Number(x.toFixed(3));

/** The project of `n` generated experiments and `long-curve`, written once; its slug too. */
async function projectFile(n: number): Promise<{ fpath: string; curveSlug: string }> {
  mkdirSync(DIR, { recursive: true });
  const fpath = join(DIR, `paint-${n}.json`);
  if (!existsSync(fpath)) {
    const tmp = `${fpath}.tmp`;
    execFileSync(PYTHON, [join(HERE, "scripts/generate-python-project.py"), String(n), tmp]);
    const project = await Project.open(tmp, { mode: "a", author: "benchmark" });
    project.log("long-curve", (exp) => {
      for (let step = 0; step < CURVE_STEPS; step++) {
        exp.logMetric("loss", 1 / (1 + step / 1000) + 0.01 * Math.sin(step), { step });
      }
    });
    await project.save();
    renameSync(tmp, fpath);
  }
  const project = await Project.open(fpath, { mode: "r" });
  const slug = [...project].find((exp) => exp.name === "long-curve")?.slug;
  if (slug === undefined) throw new Error(`${fpath}: no long-curve experiment`);
  return { fpath, curveSlug: slug };
}

/** The CPU time process `pid` has used so far (user + system), in seconds (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Server {
  readonly url: string;
  /** The CPU time the server has used so far, in seconds. */
  cpu(): number;
  stop(): Promise<void>;
}

/** Starts the built server of `root`; resolves with its URL once it prints it. */
function startServer(root: string, fpath: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [join(root, "dist/cli/main.js"), "serve", fpath, "-p", "0"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
      const url = / at (http:\/\/[^ ]+) /.exec(out)?.[1];
      if (url === undefined) return;
      child.removeAllListeners("exit");
      resolve({
        url,
        cpu: () => cpuSeconds(child.pid as number),
        stop: () =>
          new Promise((done) => {
            child.on("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** Saves one new experiment from another process; resolves to when its `save()` returned. */
function appendFromAnotherProcess(fpath: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", APPEND, fpath, name], (error, stdout) =>
      error === null ? resolve(Number(stdout.trim())) : reject(error),
    );
  });
}

/**
 * Resolves once the page's main thread has been idle twice (its redraw after a change, the
 * charts included, is done).
 */
async function untilIdle(page: Page): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          (
            globalThis as unknown as { requestIdleCallback(f: () => void): void }
          ).requestIdleCallback(() => resolve(null)),
        ),
    );
  }
}

const ROW = "#experiments tbody tr td.name a";
/** The experiments card once the full table is in the page (not a preview's). */
const COMPLETE = '[data-stat="experiments"]:not([data-loading])';

/** What the functions run in the page use of it (the project is type-checked without the DOM). */
interface PageGlobals {
  document: {
    querySelector(selector: string): object | null;
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
    body: object;
  };
  location: { hash: string };
  performance: { now(): number };
  requestAnimationFrame(f: () => void): void;
  MutationObserver: new (
    f: () => void,
  ) => { observe(node: object, options: object): void; disconnect(): void };
}

/**
 * Resolves once `predicate(arg)` holds in the page, checked on every frame (playwright's
 * `waitForSelector` polls every 500 ms after its first tries, too coarse for these figures).
 */
async function onFrame(
  page: Page,
  predicate: (args: string[]) => boolean,
  args: string[],
): Promise<void> {
  await page.waitForFunction(predicate, args, { polling: "raf", timeout: 120_000 });
}

/**
 * The CPU time of the page's main thread so far, in seconds (Chromium's `ThreadTime`, its
 * tasks timed in thread time), read through the DevTools protocol.
 */
async function pageThreadTime(context: BrowserContext, page: Page): Promise<() => Promise<number>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  return async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    return metrics.find((m) => m.name === "ThreadTime")?.value ?? Number.NaN;
  };
}

/** One run: the times, in seconds. */
async function run(browser: Browser, root: string, source: string, curveSlug: string, i: number) {
  const fpath = join(DIR, `run-${i}.json`);
  copyFileSync(source, fpath);
  // The page's CSP is bypassed: playwright's polling on every frame needs eval.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  const pageCpu = await pageThreadTime(context, page);
  const started = now();
  const server = await startServer(root, fpath);
  const listening = now() - started;
  try {
    await page.goto(`${server.url}#/?sort=created_at&dir=desc`);
    await onFrame(
      page,
      ([selector = ""]) =>
        (globalThis as unknown as PageGlobals).document.querySelector(selector) !== null,
      [ROW],
    );
    const firstPaint = now() - started;
    const firstPaintCpu = server.cpu();
    const firstPaintPageCpu = await pageCpu();
    await onFrame(
      page,
      ([selector = ""]) =>
        (globalThis as unknown as PageGlobals).document.querySelector(selector) !== null,
      [COMPLETE],
    );
    const complete = now() - started;
    const completeCpu = server.cpu();
    const completePageCpu = await pageCpu();

    const name = `appended-${i}`;
    const appeared = onFrame(
      page,
      ([selector = "", expected]) =>
        [...(globalThis as unknown as PageGlobals).document.querySelectorAll(selector)].some(
          (a) => a.textContent === expected,
        ),
      [ROW, name],
    );
    const serverCpuBefore = server.cpu();
    const saved = await appendFromAnotherProcess(fpath, name);
    await appeared;
    const update = now() - saved;
    const updateServerCpu = server.cpu() - serverCpuBefore;
    await untilIdle(page);
    const settled = now() - saved - update;

    // Timed in the page: from the address changing to the frame after the chart is in it.
    const curve = await page.evaluate(
      (hash) =>
        new Promise<number>((resolve) => {
          const g = globalThis as unknown as PageGlobals;
          const start = g.performance.now();
          const observer = new g.MutationObserver(() => {
            if (!g.document.querySelector('[data-chart="exp:loss"] canvas')) return;
            observer.disconnect();
            g.requestAnimationFrame(() => resolve(g.performance.now() - start));
          });
          observer.observe(g.document.body, { childList: true, subtree: true });
          g.location.hash = hash;
        }),
      `#/e/${encodeURIComponent(curveSlug)}`,
    );
    // The page's own timing of the history request: what the server and the transfer took.
    const curveFetch = await page.evaluate(() => {
      const entries = (
        globalThis as unknown as {
          performance: { getEntriesByType(t: string): { name: string; duration: number }[] };
        }
      ).performance.getEntriesByType("resource");
      return entries.find((e) => /\/history(\?|$)/.test(e.name))?.duration ?? Number.NaN;
    });
    return {
      listening: listening / 1000,
      firstPaint: firstPaint / 1000,
      firstPaintCpu,
      firstPaintPageCpu,
      complete: complete / 1000,
      completeCpu,
      completePageCpu,
      update: update / 1000,
      updateServerCpu,
      settled: settled / 1000,
      curve: curve / 1000,
      curveFetch: curveFetch / 1000,
    };
  } finally {
    await context.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
  const rootAt = args.indexOf("--root");
  const root = rootAt >= 0 ? resolve(args.splice(rootAt, 2)[1] as string) : HERE;
  // Built afresh: a stale dist/ would measure old code.
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "ignore" });
  const sizes = args.length > 0 ? args.map(Number) : [10_000];
  const browser = await launch();
  try {
    for (const n of sizes) {
      const { fpath, curveSlug } = await projectFile(n);
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await run(browser, root, fpath, curveSlug, i));
      for (const figure of [
        "listening",
        "firstPaint",
        "firstPaintCpu",
        "firstPaintPageCpu",
        "complete",
        "completeCpu",
        "completePageCpu",
        "update",
        "updateServerCpu",
        "settled",
        "curve",
        "curveFetch",
      ] as const) {
        const seconds = results.map((r) => round(r[figure]));
        console.log(
          JSON.stringify({ experiments: n, figure, median: median(seconds), runs: seconds }),
        );
      }
    }
  } finally {
    await browser.close();
  }
}

await main();
