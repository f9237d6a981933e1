import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The README's samples import the package by its name: run them on the sources.
    alias: [
      { find: /^lazyscribe$/, replacement: source("./src/index.ts") },
      { find: /^lazyscribe\/flow$/, replacement: source("./src/flow/index.ts") },
      { find: /^lazyscribe\/dashboard$/, replacement: source("./src/dashboard/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/tempRoot.ts"],
    testTimeout: 30_000,
    // The slowest files mostly wait on other processes (saves killed mid-write, npm and tsc,
    // Chromium). Vitest's default of one worker per core but one runs them one after another
    // on a 2-core machine; a second worker overlaps those waits with the rest of the suite.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
