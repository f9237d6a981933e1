import { afterEach, describe, expect, it, vi } from "vitest";
import { fixture } from "../helpers/fixtures.js";
import { lazyscribe } from "./run.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const project = fixture("duplicate-slug", "project.json");
const note = `note: ${project} holds 2 experiments with slug "run-20240301101530" (logged in the same second); "run-20240301101530" names the last of them\n`;

describe("a project file with two records of one slug", () => {
  it("lazyscribe list lists both and notes it on stderr", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const result = await lazyscribe(["list", project, "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(note);
    const rows = JSON.parse(result.stdout) as { slug: string }[];
    expect(rows.map((r) => r.slug)).toEqual(["run-20240301101530", "run-20240301101530"]);
  });

  it("lazyscribe show shows the last and notes it on stderr", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const result = await lazyscribe(["show", project, "run-20240301101530", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(note);
    expect(JSON.parse(result.stdout).parameters).toEqual({ lr: 0.01 });
  });
});
