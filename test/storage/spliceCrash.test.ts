/**
 * A splicing save (an experiment appended to a Python-written file: the storage copies the old
 * file into its temporary file and writes the new tail there) killed at random moments leaves
 * the old file or the new one, never a torn one. Real child processes, SIGKILLed.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/fixtures.js";
import { bundleChild, finished, spawnChild } from "./helpers/children.js";

const PYTHON_FILE = fileURLToPath(
  new URL("../fixtures/python-project/project-40.json", import.meta.url),
);
const TRIALS = 16;

let dir: string;
let oldText: string;
let newText: string;
let saveMs: number;

async function killSave(file: string, killAfterMs: number | undefined) {
  const child = await spawnChild(["kill-save", file, "1"]);
  const done = finished(child);
  await new Promise<void>((resolve) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes("saving")) resolve();
    });
    child.once("close", () => resolve());
  });
  const start = performance.now();
  if (killAfterMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill("SIGKILL");
  }
  const result = await done;
  return { result, ms: performance.now() - start };
}

beforeAll(async () => {
  await bundleChild();
  dir = tempDir("lazyscribe-splice-kill-");
  oldText = readFileSync(PYTHON_FILE, "utf8");
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const file = join(dir, `calibration-${i}.json`);
    copyFileSync(PYTHON_FILE, file);
    const { result, ms } = await killSave(file, undefined);
    expect(result.stdout).toContain("saved");
    times.push(ms);
    newText = readFileSync(file, "utf8");
  }
  saveMs = Math.max(...times);
}, 60_000);

describe("a splicing save killed at a random moment", () => {
  it(`leaves the Python file or the new one (${TRIALS} SIGKILLed children)`, async () => {
    // The new file is the old one with one record appended: the save spliced it.
    expect(newText.startsWith(oldText.slice(0, -2))).toBe(true);
    expect(newText.length).toBeGreaterThan(oldText.length);
    const file = join(dir, "project.json");
    const tally = { old: 0, new: 0, torn: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      copyFileSync(PYTHON_FILE, file);
      rmSync(`${file}.lock`, { recursive: true, force: true });
      await killSave(file, ((trial + Math.random()) / TRIALS) * saveMs * 1.2);
      for (const temp of readdirSync(dir).filter((f) => f.endsWith(".tmp"))) {
        rmSync(join(dir, temp));
      }
      const text = readFileSync(file, "utf8");
      if (text === oldText) tally.old++;
      else if (text === newText) tally.new++;
      else tally.torn++;
    }
    console.log(JSON.stringify({ figure: "kill-mid-splice", trials: TRIALS, ...tally }));
    expect(tally.torn).toBe(0);
    expect(tally.old + tally.new).toBe(TRIALS);
  }, 120_000);
});
