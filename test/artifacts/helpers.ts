import { randomBytes } from "node:crypto";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { fixture, tempDir } from "../helpers/fixtures.js";

/** Fakes `Date` for every test of the file; {@link at} moves the clock. */
export function useFakeClock(start = "2025-01-01T00:00:00Z"): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(start));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Sets the fake clock to a UTC time such as `2025-01-20T13:23:30`. */
export function at(iso: string): void {
  vi.setSystemTime(new Date(`${iso}Z`));
}

/** A fresh `memory://` folder, so tests never share files. */
export function memoryFolder(): string {
  return `memory://t-${randomBytes(6).toString("hex")}`;
}

/** A temporary folder holding a copy of a fixture scenario (Python's files). */
export function copyOfFixture(scenario: string): string {
  const dir = tempDir();
  cpSync(fixture(scenario), dir, { recursive: true });
  return dir;
}

/** A file's text. */
export function text(...parts: string[]): string {
  return readFileSync(join(...parts), "utf8");
}
