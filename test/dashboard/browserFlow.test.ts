import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { from, lastValueFrom, type Observable, Subject } from "rxjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { Flow, LazyProject, task } from "../../src/flow/index.js";
import { tempDir } from "../helpers/fixtures.js";
import {
  CHROMIUM,
  hasChromium,
  launch,
  newContext,
  openPage,
  screenshot,
} from "./browserHelpers.js";

/**
 * A sweep flow: per experiment a `Train` task, and the experiment's tasks (parameter, tag, a
 * metric from Train, a streamed metric, its append); `Open project` and `Save project`.
 */
function sweepFlow(
  experiments: number,
  options: {
    train?: (i: number) => Promise<number> | number;
    loss?: (i: number) => Observable<number>;
  } = {},
) {
  const fpath = join(tempDir(), "project.json");
  const flow = new Flow("Sweep", () => {
    const project = new LazyProject({ fpath, author: "grace" }).bind();
    for (let i = 0; i < experiments; i++) {
      const lr = 10 ** -(1 + (i % 4));
      const accuracy = task("Train", () => options.train?.(i) ?? 0.5 + i / 1000).bind();
      project.log(`run ${i}`, (exp) => {
        exp.logParameter("lr", lr);
        exp.tag("sweep");
        exp.logMetric("acc", accuracy);
        exp.logMetric("loss", options.loss?.(i) ?? from([1, 0.5, 0.25]));
      });
    }
    project.save();
  });
  return flow;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of the graph's nodes and of the graph itself, on the screen (one round trip). */
async function graphBoxes(page: Page): Promise<{ svg: Box; card: Box; nodes: Box[] }> {
  const rects = await page.$$eval("#flow-card, #flow-graph svg, #flow-graph g.node", (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  const [card, svg, ...nodes] = rects as [Box, Box, ...Box[]];
  return { svg, card, nodes };
}

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

const stat = (page: Page, name: string) => page.textContent(`[data-stat="${name}"] .stat-value`);

describe.skipIf(!hasChromium)(
  hasChromium ? "flow pages in Chromium" : `flow pages (skipped: ${CHROMIUM} is missing)`,
  () => {
    let browser: Browser;
    let context: BrowserContext;
    const open: Dashboard[] = [];

    beforeAll(async () => {
      browser = await launch();
      context = await newContext(browser);
    }, 60_000);
    afterAll(() => browser?.close());
    afterEach(async () => {
      for (const d of open.splice(0)) await d.close();
    });

    it.each([
      [7, 51],
      [71, 499],
    ])(
      "draws a flow of %i experiments (%i tasks) grouped, labelled, with states, fitted",
      async (experiments, tasks) => {
        const flow = sweepFlow(experiments);
        expect(flow.tasks).toHaveLength(tasks);
        const dashboard = await serveDashboard({ flow });
        open.push(dashboard);
        const { page, errors } = await openPage(context, dashboard.url);
        await page.waitForSelector("#flow-graph svg g.node");
        // One box per experiment; outside them, Open project, Save project and each Train.
        expect(await page.locator("#flow-graph g.group").count()).toBe(experiments);
        expect(await page.locator("#flow-graph g.node:not(.group)").count()).toBe(2 + experiments);
        expect(await page.textContent("#flow-graph g[data-group] text.label")).toBe("▸ run 0");
        expect(await page.textContent("#flow-graph g[data-group] text.counts")).toBe(
          "6 tasks · 0 done",
        );
        let boxes = await graphBoxes(page);
        expect(boxes.svg.width).toBeLessThanOrEqual(boxes.card.width);
        for (const node of boxes.nodes) expect(inside(node, boxes.svg)).toBe(true);
        await screenshot(page, `flow-${tasks}-collapsed`);

        await lastValueFrom(dashboard.track(flow.run$()));
        await expect
          .poll(() => page.textContent("#flow-status"))
          .toBe(`succeeded · ${tasks}/${tasks} tasks`);
        await expect
          .poll(() => page.locator("#flow-graph g.group.succeeded").count())
          .toBe(experiments);
        expect(await page.textContent("#flow-graph g[data-group] text.counts")).toBe(
          "6 tasks · 6 done",
        );

        await page.click("#flow-graph g[data-group] >> nth=0");
        await page.waitForSelector("#flow-graph g.frame");
        expect(await page.textContent("#flow-graph .frame-head")).toBe("▾ run 0 · 6 tasks");
        const labels = await page.$$eval("#flow-graph g.node:not(.group) text.label", (ts) =>
          ts.map((t) => t.textContent),
        );
        for (const label of ["param lr", "tag sweep", "metric acc", "metric loss", "run 0"]) {
          expect(labels).toContain(label);
        }
        const signs = await page.$$eval("#flow-graph g.node:not(.group) text.sign", (ts) =>
          ts.map((t) => t.textContent),
        );
        const titles = await page.$$eval("#flow-graph g.node title", (ts) =>
          ts.map((t) => t.textContent).filter((t) => !t?.includes("succeeded")),
        );
        expect(titles).toEqual([]);
        expect(new Set(signs)).toEqual(new Set(["✓"]));
        boxes = await graphBoxes(page);
        for (const node of boxes.nodes) expect(inside(node, boxes.svg)).toBe(true);
        await screenshot(page, `flow-${tasks}-expanded`);

        // Zoom in narrows the view; Fit shows everything again.
        const fitted = await page.getAttribute("#flow-graph svg", "viewBox");
        await page.click('button[aria-label="Zoom in"]');
        const zoomed = (await page.getAttribute("#flow-graph svg", "viewBox")) as string;
        expect(Number(zoomed.split(" ")[2])).toBeLessThan(Number(fitted?.split(" ")[2]));
        await page.click("#flow-fit");
        expect(await page.getAttribute("#flow-graph svg", "viewBox")).toBe(fitted);
        await page.click("#flow-expand");
        expect(await page.locator("#flow-graph g.frame").count()).toBe(experiments);
        boxes = await graphBoxes(page);
        for (const node of boxes.nodes) expect(inside(node, boxes.svg)).toBe(true);
        await page.click("#flow-collapse");
        expect(await page.locator("#flow-graph g.frame").count()).toBe(0);
        expect(errors).toEqual([]);
        await page.close();
      },
      180_000,
    );

    it("shows a running experiment's parameters, author, tags and curve, then its failure", async () => {
      const gates = [new Subject<number>(), new Subject<number>()];
      const losses = [new Subject<number>(), new Subject<number>()];
      const flow = sweepFlow(2, {
        train: (i) => lastValueFrom(gates[i] as Subject<number>),
        loss: (i) => losses[i] as Subject<number>,
      });
      const dashboard = await serveDashboard({ flow });
      open.push(dashboard);
      const { page, errors } = await openPage(context, dashboard.url);
      await page.waitForSelector("#flow-graph svg");
      const done = lastValueFrom(dashboard.track(flow.run$()), { defaultValue: undefined });
      await expect.poll(() => stat(page, "running")).toBe("2");
      // The project has no file until the run saves it: that is no error to show.
      expect(await page.isHidden("#problem")).toBe(true);
      expect(await stat(page, "experiments")).toBe("2");
      expect(
        await page.$$eval("#experiments td.name", (tds) => tds.map((td) => td.textContent)),
      ).toEqual(["run 0running", "run 1running"]);
      await screenshot(page, "live-overview");
      await page.click('#experiments td.name a:text("run 0")');
      await page.waitForSelector("#experiment h1");
      await expect.poll(() => page.textContent("#exp-parameters")).toBe("Parameterslr0.1");
      expect(await page.textContent('[data-fact="Author"]')).toBe("Authorgrace");
      expect(await page.textContent("#exp-status")).toBe("running");
      expect(await page.textContent("#experiment .exp-head .chip")).toBe("sweep");
      for (const v of [0.9, 0.6, 0.4]) losses[0]?.next(v);
      await page.waitForSelector('[data-chart="exp:loss"] canvas');
      await expect
        .poll(() => page.getAttribute('[data-chart="exp:loss"]', "data-points"))
        .toBe("3");
      expect(await page.textContent("#exp-metrics")).toBe("Metricsloss0.4");
      await screenshot(page, "live-experiment-running");
      // run 1 fails: its Train throws, so its metric is not logged and it is not appended.
      gates[1]?.error(new Error("out of memory"));
      await page.goto(`${dashboard.url}#/`);
      await expect.poll(() => stat(page, "failed")).toBe("1");
      await page.click('#experiments td.name a:text("run 1")');
      await page.waitForSelector("#exp-status.failed");
      expect(await page.textContent("#experiment .exp-error")).toBe(
        'Failed: Log experiment metric: not run, "Train" failed (Error: out of memory)',
      );
      await screenshot(page, "live-experiment-failed");
      gates[0]?.next(0.8);
      gates[0]?.complete();
      losses[0]?.complete();
      losses[1]?.complete();
      await done;
      await page.goto(`${dashboard.url}#/`);
      await expect.poll(() => stat(page, "running")).toBe("0");
      expect(await stat(page, "experiments")).toBe("2");
      expect(await stat(page, "failed")).toBe("1");
      expect(
        await page.$$eval("#experiments td.name", (tds) => tds.map((td) => td.textContent)),
      ).toEqual(["run 0", "run 1failed"]);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  },
);
