import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { RED_PNG, saveArtifactProject } from "./artifactProject.js";
import {
  CHROMIUM,
  hasChromium,
  launch,
  newContext,
  openPage,
  rowNames,
  screenshot,
} from "./browserHelpers.js";

/** A learning-rate sweep: four experiments, their loss curves of different lengths. */
async function saveSweep(dir: string): Promise<string> {
  const fpath = join(dir, "sweep.json");
  const project = await Project.open(fpath, { mode: "w", author: "ada" });
  const sweep: [number, string, number, number[]][] = [
    [0.1, "sgd", 0.71, [1.2, 0.9, 0.8, 0.78]],
    [0.01, "sgd", 0.84, [1.1, 0.7, 0.5, 0.41, 0.38]],
    [0.001, "adam", 0.88, [1.0, 0.6, 0.35, 0.3, 0.27, 0.25]],
    [0.0001, "adam", 0.79, [1.3, 1.1, 0.95]],
  ];
  for (const [lr, optimizer, accuracy, loss] of sweep) {
    project.log(`lr ${lr}`, (exp) => {
      exp.logParameter("lr", lr).logParameter("optimizer", optimizer).logParameter("epochs", 10);
      exp.logMetric("accuracy", accuracy).logMetric("loss", loss);
      exp.tag("sweep");
    });
  }
  await project.save();
  return fpath;
}

const headers = (page: Page) =>
  page.$$eval("#experiments thead th", (ths) => ths.map((th) => th.textContent));

/** What the tests read of a canvas (the tests are type-checked without the DOM's types). */
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: "2d"): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/** How many pixels of a canvas are painted. */
const painted = (page: Page, selector: string) =>
  page.$eval(selector, (canvas) => {
    const c = canvas as unknown as CanvasLike;
    const data = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? [];
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) n++;
    return n;
  });

describe.skipIf(!hasChromium)(
  hasChromium ? "dashboard views in Chromium" : `dashboard views (skipped: ${CHROMIUM} is missing)`,
  { timeout: 90_000 }, // a Chromium page on a busy 2-core machine
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let sweep: Dashboard;
    let artifacts: Dashboard;
    let dir: string;

    beforeAll(async () => {
      browser = await launch();
      context = await newContext(browser);
      dir = tempDir();
      sweep = await serveDashboard({
        project: await Project.open(await saveSweep(dir), { mode: "r" }),
      });
      artifacts = await serveDashboard({
        project: await Project.open(await saveArtifactProject(tempDir()), { mode: "r" }),
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await sweep?.close();
      await artifacts?.close();
    });

    it("shows parameter columns, and keeps the columns chosen in the address", async () => {
      const { page, errors } = await openPage(context, sweep.url);
      await page.waitForSelector("#experiments td.name a");
      expect(await headers(page)).toEqual([
        "Compare",
        "Name",
        "Author",
        "Created",
        "Tags",
        "epochs",
        "lr",
        "optimizer",
        "accuracy",
        "loss",
      ]);
      await page.click("#columns summary");
      await page.click('#columns-panel input[data-key="p:epochs"]');
      await page.click('#columns-panel input[data-key="m:loss"]');
      await expect.poll(() => page.locator("#experiments thead th").count()).toBe(8);
      expect(await headers(page)).toEqual([
        "Compare",
        "Name",
        "Author",
        "Created",
        "Tags",
        "lr",
        "optimizer",
        "accuracy",
      ]);
      expect(new URL(page.url()).hash).toBe("#/?c=p%3Alr&c=p%3Aoptimizer&c=m%3Aaccuracy");
      await page.click('th[data-key="m:accuracy"]');
      await page.click('th[data-key="m:accuracy"]');
      await page.waitForSelector('th[data-key="m:accuracy"][aria-sort="descending"]');
      expect(await rowNames(page)).toEqual(["lr 0.001", "lr 0.01", "lr 0.0001", "lr 0.1"]);
      const shared = page.url();
      expect(new URL(shared).hash).toBe(
        "#/?c=p%3Alr&c=p%3Aoptimizer&c=m%3Aaccuracy&sort=m%3Aaccuracy&dir=desc",
      );
      await screenshot(page, "table-columns");
      // The link, opened elsewhere, shows the same view.
      const { page: other } = await openPage(context, shared);
      await other.waitForSelector("#experiments td.name a");
      expect(await headers(other)).toEqual([
        "Compare",
        "Name",
        "Author",
        "Created",
        "Tags",
        "lr",
        "optimizer",
        "accuracy",
      ]);
      expect(await rowNames(other)).toEqual(["lr 0.001", "lr 0.01", "lr 0.0001", "lr 0.1"]);
      expect(await other.textContent("#experiments tbody tr.row td:nth-child(6)")).toBe("0.001");
      await other.close();
      expect(errors).toEqual([]);
      await page.close();
    });

    it("plots a parameter against a metric over every experiment", async () => {
      const { page, errors } = await openPage(context, sweep.url);
      await page.waitForSelector("#scatter-card:not([hidden])");
      await expect.poll(() => page.textContent("#scatter-caption")).not.toBe("");
      expect(await page.textContent("#scatter-caption")).toBe(
        "4 of 4 experiments have both epochs and accuracy.",
      );
      await page.selectOption("#scatter-x", "lr");
      await expect.poll(() => page.textContent("#scatter-caption")).toContain(" lr ");
      expect(await page.textContent("#scatter-caption")).toBe(
        "4 of 4 experiments have both lr and accuracy. lr on a log scale.",
      );
      expect(await painted(page, "#scatter")).toBeGreaterThan(1000);
      await page.selectOption("#scatter-x", "optimizer");
      await expect.poll(() => page.textContent("#scatter-caption")).toContain("optimizer");
      expect(await page.textContent("#scatter-caption")).toBe(
        "4 of 4 experiments have both optimizer and accuracy. optimizer as categories.",
      );
      await screenshot(page, "scatter");
      // Parallel coordinates of the parameters and the chosen metric.
      expect(await page.isVisible("#parallel-card")).toBe(true);
      expect(await page.textContent("#parallel-caption")).toBe(
        "4 of 4 experiments with accuracy, across epochs, lr, optimizer; colour: accuracy, blue low, orange high.",
      );
      expect(await painted(page, "#parallel")).toBeGreaterThan(1000);
      await page.locator("#parallel-card").scrollIntoViewIfNeeded();
      expect(errors).toEqual([]);
      await page.close();
    });

    it("compares chosen experiments: differing rows marked, curves overlaid", async () => {
      const { page, errors } = await openPage(context, sweep.url);
      await page.waitForSelector("#experiments td.name a");
      expect(await page.getAttribute("#compare-link", "aria-disabled")).toBe("true");
      await page.check('input[aria-label="Compare lr 0.1"]');
      await page.check('input[aria-label="Compare lr 0.01"]');
      expect(await page.textContent("#compare-link")).toBe("Compare 2 selected");
      await page.click("#compare-link");
      await page.waitForSelector("#compare h1");
      expect(await page.textContent("#compare h1")).toBe("Comparing 2 experiments");
      const table = (id: string) =>
        page.$$eval(`#${id} tbody tr`, (trs) =>
          trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
        );
      expect(await table("cmp-parameters")).toEqual([
        ["", "epochs", "10", "10"],
        ["≠", "lr", "0.1", "0.01"],
        ["", "optimizer", "sgd", "sgd"],
      ]);
      expect(
        await page.$$eval("#cmp-parameters tr.differs", (trs) =>
          trs.map((tr) => tr.getAttribute("data-name")),
        ),
      ).toEqual(["lr"]);
      expect(await table("cmp-metrics")).toEqual([
        ["≠", "accuracy", "0.71", "0.84"],
        ["≠", "loss", "0.78  (4 values)", "0.38  (5 values)"],
      ]);
      expect(await page.textContent("#cmp-parameters h2")).toBe("Parameters · 1 of 3 differ");
      await page.waitForSelector('[data-chart="cmp:loss"] canvas');
      expect(await page.getAttribute('[data-chart="cmp:loss"]', "data-curves")).toBe("2");
      expect(await page.getAttribute('[data-chart="cmp:loss"]', "data-points")).toBe("5");
      expect(
        await page.$$eval('[data-chart="cmp:loss"] .u-legend .u-series', (s) =>
          s.map((x) => x.querySelector(".u-label")?.textContent),
        ),
      ).toEqual(["step", "lr 0.1", "lr 0.01"]);
      expect(await page.$('[data-chart="cmp:accuracy"]')).toBeNull(); // one value each: no curve
      await screenshot(page, "compare");
      await page.check("#only-differing");
      await expect.poll(() => page.locator("#cmp-parameters tbody tr").count()).toBe(1);
      expect(await table("cmp-parameters")).toEqual([["≠", "lr", "0.1", "0.01"]]);
      expect(new URL(page.url()).hash).toMatch(/^#\/compare\?e=lr-0-1-\d{14}&e=lr-0-01-\d{14}$/);
      expect(errors).toEqual([]);
      await page.close();
    });

    it("lists an experiment's artifacts, previews JSON and images, and downloads the bytes", async () => {
      const { page, errors } = await openPage(context, artifacts.url);
      await page.waitForSelector("#experiments td.name a");
      await page.click('#experiments td.name a:text("Sweep lr")');
      await page.waitForSelector("#exp-artifacts tbody tr");
      const rows = await page.$$eval("#exp-artifacts tbody tr", (trs) =>
        trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 5).map((td) => td.textContent)),
      );
      expect(rows).toEqual([
        ["config", "—", "json", "config.json", expect.stringMatching(/^\d+ B$/)],
        ["plot", "—", "png", "plot.png", `${RED_PNG.byteLength} B`],
        ["predictions", "Holdout", "json", "predictions.json", expect.stringMatching(/^\d+ B$/)],
      ]);
      expect(await page.textContent("#exp-artifacts h2")).toBe("Artifacts (3)");
      await page.click('tr[data-artifact="config"] button.preview');
      await page.waitForSelector("#artifact-preview pre");
      expect(JSON.parse((await page.textContent("#artifact-preview pre")) ?? "")).toEqual({
        lr: 0.01,
        layers: [64, 32],
      });
      await page.click('tr[data-artifact="plot"] button.preview');
      await page.waitForSelector("#artifact-preview img");
      await expect
        .poll(() =>
          page.$eval(
            "#artifact-preview img",
            (img) => (img as unknown as { naturalWidth: number }).naturalWidth,
          ),
        )
        .toBe(8);
      await screenshot(page, "artifacts");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('tr[data-artifact="plot"] a.download'),
      ]);
      expect(download.suggestedFilename()).toBe("plot.png");
      expect(readFileSync((await download.path()) as string)).toEqual(RED_PNG);
      const [json] = await Promise.all([
        page.waitForEvent("download"),
        page.click('tr[data-artifact="predictions"] a.download'),
      ]);
      expect(JSON.parse(readFileSync((await json.path()) as string, "utf8"))).toEqual([1, 0, 1]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it("asks the server for a recorded history downsampled to the chart, and links the whole series", async () => {
      const fpath = join(tempDir(), "history.json");
      const writer = await Project.open(fpath, { mode: "w", author: "ada" });
      const exp = writer.log("Long history", (e) => {
        for (let step = 0; step < 5000; step++) {
          e.logMetric("loss", step === 3210 ? 7 : 1 / (1 + step / 100), { step });
        }
      });
      await writer.save();
      const dashboard = await serveDashboard({ project: await Project.open(fpath, { mode: "r" }) });
      try {
        const { page, errors } = await openPage(context, `${dashboard.url}#/e/${exp.slug}`);
        // The first load's own request must be over before the ones after the reload count.
        await page.waitForSelector('[data-chart="exp:loss"] canvas');
        const asked: string[] = [];
        page.on("request", (request) => {
          if (request.url().includes("/history")) asked.push(request.url());
        });
        await page.reload();
        await page.waitForSelector('[data-chart="exp:loss"] canvas');
        expect(asked).toHaveLength(1);
        const points = Number(new URL(asked[0] as string).searchParams.get("points"));
        const width = await page.$eval("#experiment", (c) => c.clientWidth);
        expect(points).toBe(2 * width + 2);
        const plot = await page.$eval('[data-chart="exp:loss"] .plot', (p) => p.clientWidth);
        expect(plot).toBeLessThan(width);
        const drawn = Number(await page.getAttribute('[data-chart="exp:loss"]', "data-points"));
        expect(drawn).toBeLessThanOrEqual(points);
        expect(drawn).toBeGreaterThan(100);
        expect(await page.getAttribute('[data-chart="exp:loss"]', "data-max")).toBe("7");
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click('[data-chart="exp:loss"] a.series'),
        ]);
        const whole = JSON.parse(readFileSync((await download.path()) as string, "utf8")) as {
          points: unknown[];
        };
        expect(whole.points).toHaveLength(5000);
        expect(errors).toEqual([]);
        await page.close();
      } finally {
        await dashboard.close();
      }
    });
  },
);
