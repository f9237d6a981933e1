/**
 * Command line and dashboard figures, on a project of N experiments (each 20 metrics, 10
 * parameters, 2 tags, 1 test with 5 metrics):
 *
 * - `cli list`: time from starting `lazyscribe list <project>` to its first output, and to
 *   its exit (median of 3 runs), with the built command (`node dist/cli/main.js`; built
 *   first if missing) and in development (`node --import tsx src/cli/main.ts`);
 * - `dashboard update`: time from another process's `save()` returning to the open dashboard
 *   showing the new experiment: over Server-Sent Events plus the API fetch, and in headless
 *   Chromium (when /usr/bin/chromium exists) until the page shows it.
 *
 *   npx tsx benchmarks/cli.ts [N...]      (default N = 10000); one JSON line per figure
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDashboard } from "../src/dashboard/index.js";
import { Project } from "../src/index.js";
import { writeWorkload } from "./workload.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const CHROMIUM = "/usr/bin/chromium";
const now = () => performance.timeOrigin + performance.now();

/** Writes a project of `n` experiments and returns its path. */
async function makeProject(n: number, dir: string): Promise<string> {
  return (await writeWorkload(join(dir, `project-${n}.json`), n)).fpath;
}

/** Runs a command once: seconds to its first stdout byte and to its exit, and bytes printed. */
function timeCommand(args: string[]): Promise<{ first: number; exit: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const start = now();
    let first = Number.NaN;
    let bytes = 0;
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (bytes === 0) first = now();
      bytes += chunk.length;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${args.join(" ")} exited with ${code}`));
      else resolve({ first: (first - start) / 1000, exit: (now() - start) / 1000, bytes });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function benchList(n: number, fpath: string): Promise<void> {
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  }
  const runners: [string, string[]][] = [
    ["node dist/cli/main.js", [join(ROOT, "dist/cli/main.js")]],
    ["node --import tsx src/cli/main.ts", ["--import", "tsx", join(ROOT, "src/cli/main.ts")]],
  ];
  for (const [runner, prefix] of runners) {
    for (const extra of [[], ["--sort", "metric_3", "--desc"], ["--json"]]) {
      const runs = [];
      for (let i = 0; i < 3; i++)
        runs.push(await timeCommand([...prefix, "list", fpath, ...extra]));
      console.log(
        JSON.stringify({
          benchmark: `cli list${extra.length > 0 ? ` ${extra.join(" ")}` : ""}`,
          n,
          runner,
          firstOutputSeconds: Number(median(runs.map((r) => r.first)).toFixed(3)),
          exitSeconds: Number(median(runs.map((r) => r.exit)).toFixed(3)),
          outputMB: Number(((runs[0]?.bytes ?? 0) / 1e6).toFixed(2)),
        }),
      );
    }
  }
}

/** Appends one experiment from another process; resolves to when its save returned. */
function appendElsewhere(fpath: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const child = spawn(process.execPath, ["--import", "tsx", SELF, "append", fpath, name], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`append exited ${code}`)),
    );
  });
}

/** Waits for the next `project` event on the dashboard's event stream. */
function nextProjectEvent(port: number): { ready: Promise<void>; event: Promise<number> } {
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((r) => {
    ready = r;
  });
  const event = new Promise<number>((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/api/events" }, (res) => {
      res.setEncoding("utf8");
      let hello = false;
      res.on("data", (chunk: string) => {
        if (!hello && chunk.includes("event: hello")) {
          hello = true;
          ready();
        }
        if (hello && chunk.includes("event: project")) {
          resolve(now());
          req.destroy();
        }
      });
    });
  });
  return { ready: readyPromise, event };
}

async function benchDashboard(n: number, fpath: string): Promise<void> {
  const dashboard = await serveDashboard({ project: await Project.open(fpath, { mode: "r" }) });
  try {
    await new Promise((r) => setTimeout(r, 200)); // let the start-up announcement pass
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const waiter = nextProjectEvent(dashboard.port);
      await waiter.ready;
      const saved = await appendElsewhere(fpath, `Added ${i}`);
      await waiter.event;
      const body = await (await fetch(`${dashboard.url}api/project`)).json();
      if (
        !(body as { experiments: { name: string }[] }).experiments.some(
          (e) => e.name === `Added ${i}`,
        )
      ) {
        throw new Error("the new experiment is missing");
      }
      times.push((now() - saved) / 1000);
    }
    console.log(
      JSON.stringify({
        benchmark: "dashboard update",
        n,
        via: "file watch + SSE + GET /api/project",
        seconds: Number(median(times).toFixed(3)),
      }),
    );
    if (existsSync(CHROMIUM)) await benchBrowser(n, fpath, dashboard.url);
  } finally {
    await dashboard.close();
  }
}

async function benchBrowser(n: number, fpath: string, url: string): Promise<void> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
  });
  try {
    // The page's CSP forbids eval, which playwright's string predicates need.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(url);
    await page.waitForSelector("#experiments tbody tr td a", { timeout: 120_000 });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const count = Number(await page.textContent(".stat:first-child .stat-value"));
      const saved = await appendElsewhere(fpath, `Seen ${i}`);
      const handle = await page.waitForFunction(
        `Number(document.querySelector(".stat:first-child .stat-value").textContent) === ${count + 1} && Date.now()`,
        undefined,
        { polling: "raf", timeout: 120_000 },
      );
      times.push(((await handle.jsonValue()) as number) / 1000 - saved / 1000);
    }
    console.log(
      JSON.stringify({
        benchmark: "dashboard update",
        n,
        via: "headless Chromium, until the page shows it",
        seconds: Number(median(times).toFixed(3)),
      }),
    );
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "append") {
    const [fpath, name] = rest as [string, string];
    const project = await Project.open(fpath, { mode: "a", author: "other" });
    project.log(name, (exp) => exp.logMetric("metric_0", 0.5));
    await project.save();
    process.stdout.write(`${now()}\n`);
    return;
  }
  const sizes = (command === undefined ? ["10000"] : [command, ...rest]).map(Number);
  const dir = mkdtempSync(join(tmpdir(), "lazyscribe-cli-bench-"));
  for (const n of sizes) {
    const fpath = await makeProject(n, dir);
    await benchList(n, fpath);
    await benchDashboard(n, fpath);
  }
}

await main();
