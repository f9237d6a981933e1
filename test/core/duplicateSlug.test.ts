import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DUPLICATE_SLUG_WARNING, Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a Python file with two records of one slug", () => {
  it("warns on open, keeps both, and gives the last in Python's order", async () => {
    const fpath = join(tempDir(), "project.json");
    copyFileSync(fixture("duplicate-slug", "project.json"), fpath);
    const expected = JSON.parse(readFileSync(fixture("duplicate-slug", "expected.json"), "utf8"));
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const project = await Project.open(fpath, { mode: "w+" });
    expect(emit.mock.calls).toEqual([
      [
        `project ${fpath} holds 2 experiments with slug "run-20240301101530": all are kept and saved back; get("run-20240301101530") gives the last in Python's order, the others are reached through project.experiments`,
        { code: DUPLICATE_SLUG_WARNING },
      ],
    ]);
    expect(DUPLICATE_SLUG_WARNING).toBe("LAZYSCRIBE_DUPLICATE_SLUG");
    expect(project.experiments.map((e) => e.slug)).toEqual(expected.slugs);
    expect(project.get("run-20240301101530").parameters).toEqual(expected.get);
    const before = readFileSync(fpath);
    await project.save();
    expect(readFileSync(fpath).equals(before)).toBe(true);
  });

  it("does not warn for a file whose slugs are distinct", async () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    await Project.open(fixture("basic", "project.json"), { mode: "r" });
    expect(emit).not.toHaveBeenCalled();
  });
});
