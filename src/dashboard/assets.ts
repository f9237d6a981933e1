/**
 * The dashboard's static files: a fixed allow-list from URL path to file, read once. No part
 * of a request's path is ever joined to a folder, so a request can only get these files.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** One static file as it is served. */
export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
}

const require = createRequire(import.meta.url);
const own = (name: string) => fileURLToPath(new URL(`./assets/${name}`, import.meta.url));

/** The page's JavaScript modules, one per view or concern, under `assets/js/`. */
export const MODULES = [
  "main",
  "dom",
  "format",
  "route",
  "store",
  "summary",
  "preview",
  "live",
  "downsample",
  "charts",
  "table",
  "stats",
  "scatter",
  "parallel",
  "experiment",
  "artifacts",
  "compare",
  "flow",
  "flowLayout",
  "flowZoom",
] as const;

const JS = "text/javascript; charset=utf-8";

/** URL path → [file, content type]. The only files the server can send. */
const ALLOW_LIST: Readonly<Record<string, readonly [() => string, string]>> = {
  "/": [() => own("index.html"), "text/html; charset=utf-8"],
  ...Object.fromEntries(
    MODULES.map((name) => [`/js/${name}.js`, [() => own(`js/${name}.js`), JS]]),
  ),
  "/style.css": [() => own("style.css"), "text/css; charset=utf-8"],
  "/vendor/uplot.js": [
    () => require.resolve("uplot/dist/uPlot.iife.min.js"),
    "text/javascript; charset=utf-8",
  ],
  "/vendor/uplot.css": [
    () => require.resolve("uplot/dist/uPlot.min.css"),
    "text/css; charset=utf-8",
  ],
};

/** Reads every allow-listed file into memory; the server then never reads files again. */
export async function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  // Read all at once: one by one, each read would wait its turn behind any other work.
  const entries = await Promise.all(
    Object.entries(ALLOW_LIST).map(
      async ([route, [file, contentType]]) =>
        [route, { body: await readFile(file()), contentType }] as const,
    ),
  );
  return new Map(entries);
}
