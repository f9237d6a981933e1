import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Subject } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Dashboard,
  type DashboardTaskEvent,
  serveDashboard,
} from "../../src/dashboard/index.js";
import { Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import {
  CHROMIUM,
  hasChromium,
  launch,
  newContext,
  openPage,
  rowNames,
  screenshot,
} from "./browserHelpers.js";

const APPEND = fileURLToPath(new URL("./appendExperiment.ts", import.meta.url));
if (!hasChromium) {
  console.warn(`skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);
}

function appendFromAnotherProcess(fpath: string, name: string, auroc: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", APPEND, fpath, name, String(auroc)], (error) =>
      error === null ? resolve() : reject(error),
    );
  });
}

/** A page expression: whether the table shows `n` experiments. */
function rowCountIs(n: number): string {
  return `document.querySelectorAll("#experiments tbody tr td.name a").length === ${n}`;
}

describe.skipIf(!hasChromium)(
  hasChromium ? "dashboard in Chromium" : `dashboard in Chromium (skipped: ${CHROMIUM} is missing)`,
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let dashboard: Dashboard;
    let page: Page;
    let fpath: string;

    beforeAll(async () => {
      browser = await launch();
      fpath = join(tempDir(), "project.json");
      copyFileSync(fixture("basic", "project.json"), fpath);
      dashboard = await serveDashboard({ project: await Project.open(fpath, { mode: "r" }) });
      // The page's Content-Security-Policy is bypassed: the escaping tests must hold without
      // it, and playwright's string predicates need eval.
      context = await newContext(browser, true);
      const opened = await openPage(context, dashboard.url);
      page = opened.page;
      const errors = opened.errors;
      await page.waitForSelector("#experiments tbody tr td a");
      expect(errors).toEqual([]);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
    });

    it("shows the fixture's experiments in the table", async () => {
      expect(await rowNames(page)).toEqual(["My experiment", "Second run"]);
      const headers = await page.$$eval("#experiments thead th", (ths) =>
        ths.map((th) => th.textContent),
      );
      expect(headers).toEqual([
        "Compare",
        "Name",
        "Author",
        "Created",
        "Tags",
        "algorithm",
        "balanced",
        "seed",
        "auroc",
        "losses",
        "n_trees",
      ]);
      expect(await page.getAttribute('th[data-key="p:algorithm"]', "title")).toBe(
        "parameter algorithm",
      );
      await screenshot(page, "overview-basic");
    });

    it("sorts by a metric when its header is clicked, then reverses", async () => {
      await page.click('th[data-key="m:auroc"]');
      await page.waitForSelector('th[data-key="m:auroc"][aria-sort="ascending"]');
      expect(await rowNames(page)).toEqual(["My experiment", "Second run"]);
      await page.click('th[data-key="m:auroc"]');
      await page.waitForSelector('th[data-key="m:auroc"][aria-sort="descending"]');
      expect(await rowNames(page)).toEqual(["Second run", "My experiment"]);
      await page.click('th[data-key="name"]');
      await page.waitForSelector('th[data-key="name"][aria-sort="ascending"]');
    });

    it("filters the table by what is typed", async () => {
      await page.fill("#filter", "baseline");
      await page.waitForFunction(rowCountIs(1));
      expect(await rowNames(page)).toEqual(["My experiment"]);
      await page.fill("#filter", "");
      await page.waitForFunction(rowCountIs(2));
    });

    it("draws a chart for each metric", async () => {
      const painted = (await page.evaluate(`(() => {
        const canvas = document.querySelector('[data-chart="bar:auroc"] canvas');
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let colored = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) colored++;
        return { width: canvas.width, colored };
      })()`)) as { width: number; colored: number };
      expect(painted.width).toBeGreaterThan(100);
      expect(painted.colored).toBeGreaterThan(500);
      expect(await page.$('[data-chart="line:losses"] canvas')).not.toBeNull();
    });

    it("shows an experiment saved by another process without a reload", async () => {
      await page.evaluate("window.marker = 42");
      await appendFromAnotherProcess(fpath, "Saved elsewhere", 0.95);
      await page.waitForFunction(
        `[...document.querySelectorAll("#experiments tbody a")].some((a) => a.textContent === "Saved elsewhere")`,
        undefined,
        { timeout: 10_000 },
      );
      expect(await page.evaluate("window.marker")).toBe(42);
      expect(await page.textContent(".stat:first-child .stat-value")).toBe("3");
    });

    it("opens an experiment's page with its parameters and tests", async () => {
      await page.click('a[href="#/e/my-experiment-20240301101530"]');
      await page.waitForSelector("#experiment h1");
      expect(await page.textContent("#experiment h1")).toBe("My experiment");
      const text = await page.textContent("#experiment");
      expect(text).toContain("lightgbm");
      expect(text).toContain("Subpopulation A");
      expect(text).toContain("age < 30");
      await page.click("a.back");
      await page.waitForSelector("#overview:not([hidden])");
    });

    it("loads the summary at start, not every full record; a record when its page opens", async () => {
      const fresh = await context.newPage();
      const requested: string[] = [];
      fresh.on("request", (request) => {
        const { pathname } = new URL(request.url());
        if (pathname.startsWith("/api/")) requested.push(pathname);
      });
      try {
        await fresh.goto(dashboard.url);
        await fresh.waitForSelector("#experiments tbody tr td.name a");
        await fresh.waitForSelector('[data-chart="line:losses"] canvas');
        // The list metric's curve needs the one record that has it.
        expect(requested).not.toContain("/api/project");
        expect(requested).toContain("/api/summary");
        expect(requested.filter((p) => p.startsWith("/api/experiments/"))).toEqual([
          "/api/experiments/my-experiment-20240301101530",
        ]);
        expect(
          await fresh.textContent('tr[data-slug="my-experiment-20240301101530"] td:nth-child(10)'),
        ).toBe("…");
        await fresh.click('a[href="#/e/second-run-20240302080000"]');
        await fresh.waitForSelector("#experiment h1");
        expect(await fresh.textContent("#experiment h1")).toBe("Second run");
        expect(await fresh.textContent("#experiment")).toContain("Tests (0)");
        expect(requested).toContain("/api/experiments/second-run-20240302080000");
        expect(requested).not.toContain("/api/project");
      } finally {
        await fresh.close();
      }
    });

    it("shows names, parameters and metrics that look like HTML as text", async () => {
      const file = join(tempDir(), "xss.json");
      const written = await Project.open(file, { mode: "w", author: "<i>mallory</i>" });
      written.log("<script>window.pwned = 1</script>", (exp) => {
        exp.logMetric("<img src=x onerror=window.pwned=2>", 1);
        exp.logParameter("<b>param</b>", "<img src=x onerror=window.pwned=3>");
        exp.tag("<u>tag</u>");
      });
      await written.save();
      const other = await serveDashboard({ project: await Project.open(file, { mode: "r" }) });
      const xss = await context.newPage();
      try {
        await xss.goto(other.url);
        await xss.waitForSelector("#experiments tbody td.name a");
        expect(await rowNames(xss)).toEqual(["<script>window.pwned = 1</script>"]);
        expect(await xss.textContent("#experiments thead th:last-child")).toBe(
          "<img src=x onerror=window.pwned=2>",
        );
        expect(await xss.textContent(".chip")).toBe("<u>tag</u>");
        await xss.click("#experiments tbody td.name a");
        await xss.waitForSelector("#experiment h1");
        expect(await xss.textContent("#experiment")).toContain(
          "<img src=x onerror=window.pwned=3>",
        );
        expect(
          await xss.$$("#experiment img, #experiments img, main script, main b, main u"),
        ).toEqual([]);
        expect(await xss.evaluate("window.pwned")).toBeUndefined();
      } finally {
        await xss.close();
        await other.close();
      }
    });

    it("draws the flow's graph with each task's state, names as text", async () => {
      const tasks = [{ name: "Open project" }, { name: "<img src=x onerror=window.pwned=4>" }];
      const flow = {
        name: "Graph",
        tasks,
        upstreamTasks: (t: { name: string }) =>
          t === tasks[1] ? [tasks[0] as { name: string }] : [],
        toMermaid: () => "flowchart TD",
      };
      const other = await serveDashboard({ flow });
      const run$ = new Subject<DashboardTaskEvent>();
      other.track(run$).subscribe();
      const graph = await context.newPage();
      try {
        await graph.goto(other.url);
        await graph.waitForSelector("#flow-graph svg g.node");
        run$.next({ type: "succeeded", task: tasks[0] as { name: string }, result: 1 });
        run$.next({ type: "failed", task: tasks[1] as { name: string }, error: new Error("x") });
        run$.complete();
        await graph.waitForSelector("#flow-status.failed");
        const nodes = await graph.$$eval("#flow-graph g.node", (gs) =>
          gs.map((g) => [
            g.getAttribute("class"),
            g.querySelector("text.label")?.textContent,
            g.querySelector("title")?.textContent,
          ]),
        );
        expect(nodes).toEqual([
          ["node succeeded", "Open project", "Open project: succeeded (1)"],
          [
            "node failed",
            "<img src=x onerror=wind…",
            "<img src=x onerror=window.pwned=4>: failed (Error: x)",
          ],
        ]);
        expect(await graph.$$("#flow-graph path.edge")).toHaveLength(1);
        expect(await graph.textContent("#flow-status")).toBe("failed · 2/2 tasks");
        expect(await graph.evaluate("window.pwned")).toBeUndefined();
      } finally {
        await graph.close();
        await other.close();
      }
    });
  },
);
