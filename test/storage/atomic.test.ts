/**
 * Atomic saves: a process killed at any moment of a save leaves the old file or the new one,
 * and a reader never sees a half-written file. Both are tried with real child processes. The
 * saves here append experiments to a large file, which is written in place under a journal:
 * the file a killed save leaves is read through the storage, which rolls it back.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Project, parseProjectFile } from "../../src/index.js";
import { LocalStorage } from "../../src/storage/index.js";
import { journalPathOf } from "../../src/storage/localJournal.js";
import { tempDir } from "../helpers/fixtures.js";
import { fixedExperiment } from "./helpers/child.js";
import { bundleChild, finished, runChild, spawnChild } from "./helpers/children.js";

/** Experiments in the file before the save: about 1.9 MB, which a child saves in tens of ms. */
const OLD = 1000;
/** Experiments the child appends before it saves. */
const NEW = 20;
/**
 * SIGKILLed children: 40 in a local run (about 20 s); LAZYSCRIBE_FULL_CRASH_TESTS=1 (as in
 * .ci/run) runs the full 200, and LAZYSCRIBE_KILL_TRIALS sets any count.
 */
const TRIALS = Number(
  process.env.LAZYSCRIBE_KILL_TRIALS ??
    (process.env.LAZYSCRIBE_FULL_CRASH_TESTS === "1" ? 200 : 40),
);
const POOL = 2;
/** Up to 3 s a kill: a busy machine takes minutes over the full 200 (65 s when idle). */
const KILL_TIMEOUT = Math.max(120_000, TRIALS * 3_000);

let dir: string;
let oldText: string;
let newText: string;
/** How long, from its "saving" line to its exit, a child's save takes (the slowest of 3). */
let saveMs: number;

function startOf(line: string, child: Awaited<ReturnType<typeof spawnChild>>): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(line)) resolve();
    });
    child.once("close", () => resolve());
  });
}

beforeAll(async () => {
  await bundleChild();
  dir = tempDir("lazyscribe-kill-");
  const template = join(dir, "template.json");
  const project = await Project.open(template, { mode: "w", author: "parent" });
  for (let i = 0; i < OLD; i++) project.append(fixedExperiment(template, i, "old"));
  await project.save();
  oldText = readFileSync(template, "utf8");
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const file = join(dir, `calibration-${i}.json`);
    writeFileSync(file, oldText);
    const child = await spawnChild(["kill-save", file, String(NEW)]);
    const done = finished(child);
    await startOf("saving", child);
    const start = performance.now();
    const result = await done;
    times.push(performance.now() - start);
    expect(result.stdout).toContain("saved");
    newText = readFileSync(file, "utf8");
  }
  saveMs = Math.max(...times);
}, 60_000);

describe("a save killed at a random moment", () => {
  it(
    `leaves the old file or the new one, never a broken one (${TRIALS} SIGKILLed children)`,
    async () => {
      expect(newText).not.toBe(oldText);
      expect(parseProjectFile(newText, "new")).toHaveLength(OLD + NEW);
      const tally = {
        old: 0,
        new: 0,
        broken: 0,
        killedBeforeTheEnd: 0,
        killedWhileWriting: 0,
        journalsLeft: 0,
      };
      const broken: string[] = [];
      let next = 0;
      const slot = async (id: number) => {
        const file = join(dir, `slot-${id}.json`);
        while (next < TRIALS) {
          const trial = next++;
          writeFileSync(file, oldText);
          // The previous child was killed holding the lock: it is dead, so its lock can go.
          rmSync(`${file}.lock`, { recursive: true, force: true });
          const child = await spawnChild(["kill-save", file, String(NEW)]);
          const done = finished(child);
          await startOf("saving", child);
          // From the start of the save to a little past its usual end, each trial at a random
          // moment of its own slice of that span: even a short run kills on both sides of
          // the rename.
          const delay = ((trial + Math.random()) / TRIALS) * saveMs * 1.2;
          await new Promise((resolve) => setTimeout(resolve, delay));
          child.kill("SIGKILL");
          const result = await done;
          if (result.signal === "SIGKILL") tally.killedBeforeTheEnd++;
          // A temporary file left behind: the child died while writing the new content.
          const temps = readdirSync(dir).filter(
            (name) => name.startsWith(`.slot-${id}.json.`) && name.endsWith(".tmp"),
          );
          if (temps.length > 0) tally.killedWhileWriting++;
          for (const temp of temps) rmSync(join(dir, temp));
          // A journal left behind: the child died while writing in place; the read rolls back.
          if (existsSync(journalPathOf(file))) tally.journalsLeft++;
          rmSync(`${file}.lock`, { recursive: true, force: true });
          const bytes = await new LocalStorage().read(file);
          const text = bytes === undefined ? "(no file)" : Buffer.from(bytes).toString("utf8");
          if (existsSync(journalPathOf(file))) broken.push(`${file}: the journal stayed`);
          if (text === oldText) tally.old++;
          else if (text === newText) tally.new++;
          else {
            tally.broken++;
            const copy = join(dir, `broken-${trial}.json`);
            writeFileSync(copy, text);
            broken.push(`${copy} (killed after ${delay.toFixed(1)} ms)`);
          }
        }
      };
      await Promise.all(Array.from({ length: POOL }, (_, id) => slot(id)));
      console.log(
        JSON.stringify({
          figure: "kill-mid-save",
          trials: TRIALS,
          ...tally,
          saveMs: Math.round(saveMs),
          fileMB: Number((oldText.length / 1e6).toFixed(2)),
        }),
      );
      expect(broken).toEqual([]);
      expect(tally.old + tally.new).toBe(TRIALS);
      // The kills landed on both sides of the rename.
      expect(tally.old).toBeGreaterThan(0);
      expect(tally.new).toBeGreaterThan(0);
    },
    KILL_TIMEOUT,
  );
});

describe("a reader", () => {
  it("never sees a half-written file while another process saves again and again", async () => {
    const file = join(dir, "rewritten.json");
    const child = await spawnChild(["rewrite", file, "500", "40"]);
    const done = finished(child);
    let running = true;
    done.then(() => {
      running = false;
    });
    let reads = 0;
    const bad: string[] = [];
    while (running) {
      if (existsSync(file)) {
        const text = readFileSync(file, "utf8");
        try {
          if (parseProjectFile(text, file).length !== 500) bad.push("wrong length");
        } catch (error) {
          bad.push((error as Error).message);
        }
        reads++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await done;
    expect(result.stdout).toContain("done");
    console.log(
      JSON.stringify({ figure: "reads-during-saves", saves: 40, reads, bad: bad.length }),
    );
    expect(bad).toEqual([]);
    expect(reads).toBeGreaterThan(10);
  }, 60_000);
});

describe("a reader of this project", () => {
  it("never sees a half-written file while another process appends in place again and again", async () => {
    const file = join(dir, "appended.json");
    writeFileSync(file, oldText);
    const inode = statSync(file).ino;
    const child = await spawnChild(["append", file, "0", "200", "100", String(Date.now())]);
    const done = finished(child);
    let running = true;
    done.then(() => {
      running = false;
    });
    const storage = new LocalStorage();
    let reads = 0;
    let last = OLD;
    const bad: string[] = [];
    while (running) {
      const bytes = await storage.read(file);
      try {
        const count = parseProjectFile(Buffer.from(bytes as Uint8Array).toString(), file).length;
        if (count < last) bad.push(`${count} experiments after ${last}`);
        last = count;
      } catch (error) {
        bad.push((error as Error).message);
      }
      reads++;
    }
    const result = await done;
    expect(result.stdout).toContain('"saves":100');
    console.log(
      JSON.stringify({ figure: "reads-during-in-place-saves", saves: 100, reads, bad: bad.length }),
    );
    expect(bad).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    // Every save was written in place, into the same file.
    expect(statSync(file).ino).toBe(inode);
    expect(parseProjectFile(readFileSync(file, "utf8"), file)).toHaveLength(OLD + 200);
  }, 60_000);
});

describe("a finished save", () => {
  it("is what the next process reads", async () => {
    const file = join(dir, "next.json");
    writeFileSync(file, oldText);
    await runChild(["kill-save", file, String(NEW)]);
    const project = await Project.open(file, { mode: "r" });
    expect(project.size).toBe(OLD + NEW);
  });
});
