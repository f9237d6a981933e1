/**
 * Chromium for the dashboard's browser tests: launching it, opening a page at 1280x800 that
 * records its errors, and saving screenshots under test/dashboard/screenshots/ (ignored by
 * git) for a reviewer to look at.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";

/** The Chromium the tests drive. */
export const CHROMIUM = "/usr/bin/chromium";
/** Whether it is installed (the browser tests are skipped without it). */
export const hasChromium = existsSync(CHROMIUM);
const SHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));

/** Launches headless Chromium. */
export async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A 1280x800 context. The page's Content-Security-Policy is bypassed only when asked
 * (playwright's string predicates need eval); by default the page runs under its own CSP.
 */
export function newContext(browser: Browser, bypassCSP = false): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    bypassCSP,
    acceptDownloads: true,
  });
}

/** A page whose uncaught errors are collected in `errors`. */
export async function openPage(
  context: BrowserContext,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

/** Saves a full-page screenshot as screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** The names in the experiments table, top to bottom. */
export function rowNames(page: Page): Promise<string[]> {
  return page.$$eval("#experiments tbody tr td.name a", (links) =>
    links.map((a) => a.textContent ?? ""),
  );
}
