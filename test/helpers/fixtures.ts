import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of the files Python lazyscribe 2.2.1 wrote. */
export const FIXTURES = fileURLToPath(
  new URL("../fixtures/python-lazyscribe-2.2.1/", import.meta.url),
);

/** The path of a fixture file. */
export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** A fixture file's text. */
export function fixtureText(...parts: string[]): string {
  return readFileSync(fixture(...parts), "utf8");
}

/** A fixture file's JSON. */
export function fixtureJson(...parts: string[]): unknown {
  return JSON.parse(fixtureText(...parts));
}

/** A new empty temporary folder. */
export function tempDir(prefix = "lazyscribe-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
