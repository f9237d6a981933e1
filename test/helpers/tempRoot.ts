/**
 * Vitest's global setup: every temporary file of a test run (the tests' folders, those of
 * the processes they start, Chromium's profiles) goes in one folder of the run's own, which
 * is removed when the run ends, so that `npm test` leaves nothing in the system's temporary
 * folder. Node's `os.tmpdir()` reads `TMPDIR`, which the test workers inherit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Points `TMPDIR` at a new folder; the returned teardown removes it. */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "lazyscribe-tests-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
