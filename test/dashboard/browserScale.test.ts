import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { Project } from "../../src/index.js";
import {
  CHROMIUM,
  hasChromium,
  launch,
  newContext,
  openPage,
  rowNames,
  screenshot,
} from "./browserHelpers.js";

const EXPERIMENTS = 50_000;
const STEPS = 100_000;

describe.skipIf(!hasChromium)(
  hasChromium ? "a large project in Chromium" : `a large project (skipped: ${CHROMIUM} is missing)`,
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let dashboard: Dashboard;

    beforeAll(async () => {
      // Logged in this process, not saved: the dashboard shows the project's experiments.
      const project = await Project.open("memory://scale/project.json", {
        mode: "w",
        author: "ada",
      });
      for (let i = 0; i < EXPERIMENTS; i++) {
        project.log(`run ${i}`, (exp) => {
          exp.logParameter("lr", 10 ** -(1 + (i % 4)));
          exp.logMetric("accuracy", 0.5 + (i % 1000) / 2000);
        });
      }
      // One long curve: a noisy decay with a spike at step 70,000.
      const loss = Array.from({ length: STEPS }, (_, s) =>
        s === 70_000 ? 5 : 1 / (1 + s / 1000) + ((s * 7919) % 100) / 10_000,
      );
      project.log("long run", (exp) => exp.logMetric("loss", loss).logParameter("lr", 0.5));
      dashboard = await serveDashboard({ project, watch: false });
      browser = await launch();
      context = await newContext(browser);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
    });

    it("keeps only the rows in view in the page, and scrolls to the last", async () => {
      const { page, errors } = await openPage(context, dashboard.url);
      await page.waitForSelector("#experiments td.name a", { timeout: 60_000 });
      expect(await page.textContent('[data-stat="experiments"] .stat-value')).toBe(
        String(EXPERIMENTS + 1),
      );
      expect(await page.textContent("#table-footer")).toContain(
        `${EXPERIMENTS + 1} of ${EXPERIMENTS + 1} experiments`,
      );
      const inPage = await page.locator("#experiments tbody tr.row").count();
      expect(inPage).toBeGreaterThan(10);
      expect(inPage).toBeLessThan(80);
      expect((await rowNames(page))[0]).toBe("run 0");
      // The scroller is as tall as every row: the spacers stand for those not in the page.
      const height = await page.$eval("#table-scroll", (s) => s.scrollHeight);
      expect(height).toBeGreaterThan((EXPERIMENTS + 1) * 35);
      await page.$eval("#table-scroll", (s) => {
        s.scrollTop = s.scrollHeight;
      });
      await expect.poll(async () => (await rowNames(page)).at(-1)).toBe("long run");
      expect(await page.locator("#experiments tbody tr.row").count()).toBeLessThan(80);
      await page.fill("#filter", "run 4999");
      await expect
        .poll(() => rowNames(page))
        .toEqual([
          ...[4999, 14999, 24999, 34999, 44999].map((i) => `run ${i}`),
          ...Array.from({ length: 10 }, (_, i) => `run 4999${i}`),
        ]);
      await page.fill("#filter", "");
      await page.click('th[data-key="m:accuracy"]');
      await page.click('th[data-key="m:accuracy"]');
      await page.waitForSelector('th[data-key="m:accuracy"][aria-sort="descending"]');
      await page.$eval("#table-scroll", (s) => {
        s.scrollTop = 0;
      });
      await expect.poll(async () => (await rowNames(page))[0]).toBe("run 999");
      await screenshot(page, "scale-table");
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);

    it("draws a 100,000-step curve from a few thousand points, keeping its spike", async () => {
      const found = (await (await fetch(`${dashboard.url}api/experiments/long-run`)).json()) as {
        slug: string;
      };
      const slug = found.slug;
      const { page, errors } = await openPage(context, `${dashboard.url}#/e/${slug}`);
      await page.waitForSelector('[data-chart="exp:loss"] canvas', { timeout: 60_000 });
      const points = Number(await page.getAttribute('[data-chart="exp:loss"]', "data-points"));
      const width = await page.$eval('[data-chart="exp:loss"] .plot', (p) => p.clientWidth);
      expect(points).toBeGreaterThan(width);
      expect(points).toBeLessThanOrEqual(2 * width + 2);
      // The downsampled curve kept the spike (the maximum of its bucket).
      expect(await page.getAttribute('[data-chart="exp:loss"]', "data-max")).toBe("5");
      await screenshot(page, "scale-long-curve");
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  },
);
