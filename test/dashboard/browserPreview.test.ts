import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { CHROMIUM, hasChromium, launch, newContext, openPage, rowNames } from "./browserHelpers.js";
import { numberedFile } from "./pythonLayout.js";

const EXPERIMENTS = 1000;
const STAT = '[data-stat="experiments"]';

describe.skipIf(!hasChromium)(
  hasChromium
    ? "the first paint of a large file in Chromium"
    : `the first paint (skipped: ${CHROMIUM} is missing)`,
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let dashboard: Dashboard;

    beforeAll(async () => {
      // 1,000 records of about 2.8 kB: more than the preview's first megabyte holds.
      const fpath = join(tempDir(), "project.json");
      writeFileSync(fpath, numberedFile(EXPERIMENTS));
      dashboard = await serveDashboard({ file: fpath, watch: false });
      browser = await launch();
      context = await newContext(browser);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
    });

    /**
     * Opens `hash` with the full summary held back until `release()`: what a page sees while
     * a large file is still read.
     */
    async function openHeld(hash: string) {
      let held: Route | undefined;
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      await context.route(
        (url) => url.pathname === "/api/summary" && !url.searchParams.has("preview"),
        async (route) => {
          held = route;
          await released;
          await route.continue();
        },
      );
      const opened = await openPage(context, `${dashboard.url}${hash}`);
      await expect.poll(() => held !== undefined, { timeout: 30_000 }).toBe(true);
      return { ...opened, release };
    }

    it("shows the newest rows and the loading state, then every experiment", async () => {
      const { page, errors, release } = await openHeld("#/?sort=created_at&dir=desc");
      await page.waitForSelector("#experiments td.name a", { timeout: 30_000 });
      expect((await rowNames(page)).slice(0, 3)).toEqual([
        "Experiment 999",
        "Experiment 998",
        "Experiment 997",
      ]);
      const loading = (await page.textContent(`${STAT} .stat-value`)) ?? "";
      const [, estimated = ""] = /^loading 300 of ~(\d,\d{3}|\d{3})$/.exec(loading) ?? [];
      const estimate = Number(estimated.replace(",", ""));
      expect(estimate).toBeGreaterThan(900);
      expect(estimate).toBeLessThan(1100);
      expect(await page.getAttribute(STAT, "data-loading")).toBe("true");
      expect(await page.textContent("#table-footer")).toContain("300 of 300 experiments");

      release();
      await expect
        .poll(() => page.textContent(`${STAT} .stat-value`), { timeout: 30_000 })
        .toBe(String(EXPERIMENTS));
      expect(await page.getAttribute(STAT, "data-loading")).toBeNull();
      expect(await page.textContent("#table-footer")).toContain(
        `${EXPERIMENTS} of ${EXPERIMENTS} experiments`,
      );
      expect((await rowNames(page)).slice(0, 2)).toEqual(["Experiment 999", "Experiment 998"]);
      expect(errors).toEqual([]);
      await page.close();
      await context.unrouteAll();
    });

    it("shows the oldest rows first in the default order", async () => {
      const { page, errors, release } = await openHeld("");
      await page.waitForSelector("#experiments td.name a", { timeout: 30_000 });
      expect((await rowNames(page)).slice(0, 2)).toEqual(["Experiment 0", "Experiment 1"]);
      expect(await page.textContent(`${STAT} .stat-value`)).toMatch(/^loading 300 of ~/);
      release();
      await expect
        .poll(() => page.textContent(`${STAT} .stat-value`), { timeout: 30_000 })
        .toBe(String(EXPERIMENTS));
      expect((await rowNames(page)).slice(0, 2)).toEqual(["Experiment 0", "Experiment 1"]);
      expect(errors).toEqual([]);
      await page.close();
      await context.unrouteAll();
    });
  },
);
