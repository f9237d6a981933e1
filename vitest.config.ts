import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // The slowest files mostly wait on other processes (saves killed mid-write, npm and tsc,
    // Chromium). Vitest's default of one worker per core but one runs them one after another
    // on a 2-core machine; a second worker overlaps those waits with the rest of the suite.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
