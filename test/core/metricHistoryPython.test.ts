import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Experiment, Project, parsePyJson, type Test } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { writeHistoryProject } from "../helpers/metricHistoryProject.js";

/** Written by scripts/generate-metric-history-fixture.ts (Python lazyscribe 2.2.1 read it). */
const FIXTURE = fileURLToPath(new URL("../fixtures/metric-history/", import.meta.url));

interface PythonOwner {
  metrics: Record<string, unknown>;
  artifacts: string[];
  "metric-history"?: Record<string, { step: number[]; value: unknown[]; time: number[] }>;
}
type PythonRead = Record<string, PythonOwner & { tests: Record<string, PythonOwner> }>;

const pythonRead = parsePyJson(
  readFileSync(join(FIXTURE, "python-read.json"), "utf8"),
) as PythonRead;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});

afterEach(() => {
  vi.useRealTimers();
});

const FILES = [
  "project.json",
  "training-20260102030405/metric-history.json",
  "training-20260102030405/holdout/metric-history.json",
];

/** What Python read for an owner, as TypeScript reads the same project. */
async function asPythonReads(owner: Experiment | Test): Promise<PythonOwner> {
  const out: PythonOwner = {
    metrics: { ...owner.metrics },
    artifacts: owner.artifacts.map((a) => a.name),
  };
  if (out.artifacts.includes("metric-history")) {
    out["metric-history"] = (await owner.loadArtifact(
      "metric-history",
    )) as PythonOwner["metric-history"];
  }
  return out;
}

/** The points Python's columns give for each metric. */
function pointsOf(owner: PythonOwner): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, c] of Object.entries(owner["metric-history"] ?? {})) {
    out[name] = c.step.map((step, i) => ({ step, value: c.value[i], time: c.time[i] }));
  }
  return out;
}

describe("the metric history as Python lazyscribe 2.2.1 reads it", () => {
  it("is written today byte for byte as the fixture that Python read", async () => {
    const dir = tempDir();
    await writeHistoryProject(join(dir, "project.json"), (ms) => vi.setSystemTime(ms));
    for (const file of FILES) {
      expect(readFileSync(join(dir, file), "utf8"), file).toBe(
        readFileSync(join(FIXTURE, "written", file), "utf8"),
      );
    }
  });

  it("gives Python, through load_artifact('metric-history'), the values metricHistory gives", async () => {
    const project = await Project.open(join(FIXTURE, "written", "project.json"), { mode: "r" });
    const read: PythonRead = {};
    for (const exp of project.experiments) {
      const tests: Record<string, PythonOwner> = {};
      for (const test of exp.tests) tests[test.name] = await asPythonReads(test);
      read[exp.slug] = { ...(await asPythonReads(exp)), tests };
      for (const [name, points] of Object.entries(pointsOf(pythonRead[exp.slug] as PythonOwner))) {
        expect(await exp.metricHistory(name), name).toEqual(points);
      }
    }
    expect(read).toEqual(pythonRead);
    const training = pythonRead["training-20260102030405"];
    expect(training?.["metric-history"]?.loss?.step).toEqual([0, 1, 2, 3]);
    expect(pythonRead["baseline-20260102030412"]?.artifacts).toEqual([]);
    expect(pointsOf(training?.tests.Holdout as PythonOwner)).toEqual({
      auroc: [
        { step: 1, value: 0.6, time: 1767323050000 },
        { step: 2, value: 0.7, time: 1767323051000 },
      ],
    });
  });

  it("survives a save by Python in mode w+", async () => {
    const project = await Project.open(join(FIXTURE, "python-saved", "project.json"), {
      mode: "r",
    });
    const training = project.get("training-20260102030405") as Experiment;
    expect(training.tags).toEqual(["python"]);
    expect(training.lastUpdatedBy).toBe("bob");
    expect(await training.metricHistory("lr")).toEqual([
      { step: 0, value: 0.1, time: 1767323045000 },
      { step: 10, value: 0.05, time: 1767323046500 },
      { step: 20, value: 0.03333333333333333, time: 1767323048000 },
    ]);
    expect((await training.tests[0]?.metricHistory("auroc"))?.map((p) => p.value)).toEqual([
      0.6, 0.7,
    ]);
  });
});
