/**
 * What the storage tests' child processes do: real, separate Node processes that open a
 * project and save it, so that the tests can run them side by side or kill them mid-save.
 *
 * Run as `LAZYSCRIBE_TEST_CHILD=1 node <bundle> <command> ...` (see `children.ts`):
 *
 *   append <location> <worker> <experiments> <saves> <startAt> [storageOptions JSON]
 *     opens the project in mode "a", waits until <startAt> (ms since the epoch), then logs
 *     <experiments> experiments named "worker <w> experiment <i>", saving <saves> times along
 *     the way; prints {"worker", "saves", "ms"} as JSON.
 *   kill-save <location> <experiments>
 *     opens the project in mode "a", appends <experiments> experiments whose every field is
 *     fixed (so that the saved file is the same every run), prints "saving", saves, prints
 *     "saved".
 *   write-many <folder> <files>
 *     writes <files> files of about 10 kB (see {@link batchFiles}) with
 *     `LocalStorage.writeMany`, printing "saving" before and "saved" after.
 *   in-place-kill <file> <step> <tail>
 *     appends <tail> to <file> before its last 2 bytes with `LocalStorage.update` (written in
 *     place: the file must be 4 times the tail or more), and SIGKILLs itself right after the
 *     in-place step <step> (`journaled`, `written`, `flushed`), or, for `mid-write`, after
 *     writing the first half of the new bytes itself once the journal is on the disk.
 *   rewrite <location> <experiments> <rounds>
 *     saves a project of <experiments> experiments <rounds> times in mode "w", changing one
 *     metric of every experiment each round.
 */

import { writeSync } from "node:fs";
import { Experiment, Project } from "../../../src/index.js";
import { type FileWrite, LocalStorage } from "../../../src/storage/index.js";
import { setInPlaceStepHook } from "../../../src/storage/localInPlace.js";

const [command, location = "", ...rest] = process.argv.slice(2);
const BASE = Date.UTC(2024, 0, 1);

/** An experiment whose every field is fixed by `index`. */
export function fixedExperiment(project: string, index: number, tag = "new"): Experiment {
  const metrics: Record<string, number> = {};
  for (let m = 0; m < 20; m++) metrics[`metric_${m}`] = (index * 31 + m) / 997;
  const parameters: Record<string, unknown> = {};
  for (let p = 0; p < 10; p++) parameters[`param_${p}`] = p % 2 === 0 ? `value-${p}` : { p };
  return new Experiment({
    name: `${tag} experiment ${index}`,
    project,
    author: "child",
    createdAt: new Date(BASE + index * 1000),
    lastUpdated: new Date(BASE + index * 1000),
    metrics,
    parameters: parameters as Record<string, never>,
    tags: [tag],
  });
}

async function append(): Promise<void> {
  const [worker, experiments, saves, startAt, options] = rest;
  const storageOptions = options === undefined ? undefined : JSON.parse(options);
  const project = await Project.open(location, {
    mode: "a",
    author: `worker-${worker}`,
    storageOptions,
  });
  const count = Number(experiments);
  const every = Math.ceil(count / Number(saves));
  const wait = Number(startAt) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const start = performance.now();
  let saved = 0;
  for (let i = 0; i < count; i++) {
    project.log(`worker ${worker} experiment ${i}`, (exp) => {
      exp.logMetric("worker", Number(worker));
      exp.logMetric("index", i);
    });
    if ((i + 1) % every === 0 || i === count - 1) {
      await project.save();
      saved++;
    }
  }
  const ms = Math.round(performance.now() - start);
  process.stdout.write(`${JSON.stringify({ worker: Number(worker), saves: saved, ms })}\n`);
}

async function killSave(): Promise<void> {
  const project = await Project.open(location, { mode: "a", author: "child" });
  const count = Number(rest[0]);
  for (let i = 0; i < count; i++) project.append(fixedExperiment(location, 100_000 + i));
  process.stdout.write("saving\n");
  await project.save();
  process.stdout.write("saved\n");
}

/** The files of a `write-many` batch: `<folder>/f-<i % 10>/file-<i>.json`, tagged. */
export function batchFiles(folder: string, count: number, tag: string): FileWrite[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `${folder}/f-${i % 10}/file-${i}.json`,
    data: JSON.stringify({ tag, i, fill: `${tag}-${i}-`.repeat(600) }),
  }));
}

async function writeMany(): Promise<void> {
  const files = batchFiles(location, Number(rest[0]), "new");
  process.stdout.write("saving\n");
  await new LocalStorage().writeMany(files);
  process.stdout.write("saved\n");
}

async function inPlaceKill(): Promise<void> {
  const [step, tail = ""] = rest;
  setInPlaceStepHook((reached, handle, journal) => {
    if (step === "mid-write" && reached === "journaled") {
      const half = journal.fresh.subarray(0, Math.ceil(journal.fresh.length / 2));
      writeSync(handle.fd, half, 0, half.length, journal.keep);
    } else if (reached !== step) return;
    process.kill(process.pid, "SIGKILL");
  });
  await new LocalStorage().update(location, (current) => {
    if (current === undefined) throw new Error(`${location} is missing`);
    return current.read().then((bytes) => ({
      keep: bytes.length - 2,
      tail: `${tail}${Buffer.from(bytes.subarray(-2)).toString()}`,
      size: bytes.length,
    }));
  });
  process.stdout.write("saved\n");
}

async function rewrite(): Promise<void> {
  const [experiments, rounds] = rest.map(Number) as [number, number];
  const project = await Project.open(location, { mode: "w", author: "child" });
  for (let i = 0; i < experiments; i++) project.append(fixedExperiment(location, i, "rewrite"));
  for (let round = 0; round < rounds; round++) {
    for (const experiment of project.experiments) experiment.logMetric("round", round);
    await project.save();
  }
  process.stdout.write("done\n");
}

if (process.env.LAZYSCRIBE_TEST_CHILD === "1" && command !== undefined) {
  const commands: Record<string, () => Promise<void>> = {
    append,
    "in-place-kill": inPlaceKill,
    "kill-save": killSave,
    rewrite,
    "write-many": writeMany,
  };
  const run = commands[command];
  if (run === undefined) throw new Error(`unknown command ${command}`);
  await run();
}
