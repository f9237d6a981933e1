/**
 * Writes the metric history fixture, `test/fixtures/metric-history/`:
 *
 * 1. `written/`: the project of `test/helpers/metricHistoryProject.ts`, as lazyscribe writes it
 *    (project file and `metric-history.json` artifacts);
 * 2. `python-read.json`: what Python lazyscribe 2.2.1 reads from it
 *    (`scripts/read-metric-history.py`: `Project(mode="r")`, `load_artifact("metric-history")`);
 * 3. `python-saved/`: the same project after Python opened it in mode "w+", changed the
 *    experiments' tags and saved it (so the history survives a Python save).
 *
 *     PYTHON=/work/pyref/py npx tsx scripts/generate-metric-history-fixture.ts
 *
 * PYTHON is a command that runs python3 with lazyscribe 2.2.1 importable (default `python3`).
 */
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeHistoryProject } from "../test/helpers/metricHistoryProject.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = join(root, "test/fixtures/metric-history");
const written = join(out, "written");
const saved = join(out, "python-saved");

let now = 0;
Date.now = () => now;
rmSync(written, { recursive: true, force: true });
rmSync(saved, { recursive: true, force: true });
await writeHistoryProject(join(written, "project.json"), (ms) => {
  now = ms;
});
cpSync(written, saved, { recursive: true });

const python = process.env.PYTHON ?? "python3";
const script = join(root, "scripts/read-metric-history.py");
const read = execFileSync(
  python,
  [script, join(written, "project.json"), join(saved, "project.json")],
  {
    encoding: "utf8",
  },
);
writeFileSync(join(out, "python-read.json"), read);
console.log(`wrote ${out}`);
