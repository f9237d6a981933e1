/**
 * Small project files for the command line tests, with fixed dates so slugs are known.
 */
import { join } from "node:path";
import { Experiment, Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

/** What one experiment of {@link writeProject} holds. */
export interface ExperimentSpec {
  readonly name: string;
  readonly created: string;
  readonly author?: string;
  readonly metrics?: Record<string, number | number[] | string>;
  readonly parameters?: Record<string, unknown>;
  readonly tags?: string[];
  readonly test?: { name: string; metrics: Record<string, number> };
}

/** Writes a project file with these experiments in a new temporary folder; returns its path. */
export async function writeProject(
  specs: readonly ExperimentSpec[],
  file = "project.json",
  dir = tempDir(),
): Promise<string> {
  const fpath = join(dir, file);
  const project = await Project.open(fpath, { mode: "w", author: "tester" });
  for (const spec of specs) {
    const exp = new Experiment({
      name: spec.name,
      project: fpath,
      author: spec.author ?? "tester",
      createdAt: new Date(`${spec.created}Z`),
    });
    for (const [k, v] of Object.entries(spec.metrics ?? {})) exp.logMetric(k, v);
    for (const [k, v] of Object.entries(spec.parameters ?? {})) exp.logParameter(k, v);
    if (spec.tags !== undefined) exp.tag(spec.tags);
    const test = spec.test;
    if (test !== undefined) {
      exp.logTest(test.name, (t) => {
        for (const [k, v] of Object.entries(test.metrics)) t.logMetric(k, v);
      });
    }
    project.append(exp);
  }
  await project.save();
  return fpath;
}
