import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-03-01T10:15:30.250Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("two processes that log one name in the same second", () => {
  it("keeps both experiments: the later save takes the next free suffix", async () => {
    const fpath = join(tempDir(), "project.json");
    const first = await Project.open(fpath, { mode: "a", author: "alice" });
    const second = await Project.open(fpath, { mode: "a", author: "bob" });
    first.log("run", (e) => e.logParameter("lr", 0.1));
    const late = second.log("run", (e) => e.logParameter("lr", 0.01));
    expect(late.slug).toBe("run-20240301101530");
    await first.save();
    await second.save();
    expect(late.slug).toBe("run-20240301101530-2");
    expect(second.get("run-20240301101530-2")).toBe(late);
    const written = JSON.parse(readFileSync(fpath, "utf8")) as {
      slug: string;
      author: string;
      parameters: { lr: number };
    }[];
    expect(written.map((r) => [r.slug, r.author, r.parameters.lr])).toEqual([
      ["run-20240301101530", "alice", 0.1],
      ["run-20240301101530-2", "bob", 0.01],
    ]);
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => e.slug)).toEqual([
      "run-20240301101530",
      "run-20240301101530-2",
    ]);
  });

  it("keeps both experiments' artifacts: the renamed one writes its files in its own folder", async () => {
    const fpath = join(tempDir(), "project.json");
    const first = await Project.open(fpath, { mode: "a", author: "alice" });
    const second = await Project.open(fpath, { mode: "a", author: "bob" });
    first.log("run", (e) => e.logArtifact("features", ["age"], "json"));
    const late = second.log("run", (e) => e.logArtifact("features", ["income"], "json"));
    await first.save();
    await second.save();
    expect(late.slug).toBe("run-20240301101530-2");
    const reread = await Project.open(fpath, { mode: "r" });
    expect(await reread.get("run-20240301101530").loadArtifact("features")).toEqual(["age"]);
    expect(await reread.get("run-20240301101530-2").loadArtifact("features")).toEqual(["income"]);
    expect(
      readFileSync(
        join(fpath, "..", "run-20240301101530-2", "features-20240301101530.json"),
        "utf8",
      ),
    ).toBe('["income"]');
  });

  it("skips suffixes the file already holds, and a second save keeps the new slug", async () => {
    const fpath = "memory://concurrent/suffix.json";
    const other = await Project.open(fpath, { mode: "a" });
    const mine = await Project.open(fpath, { mode: "a" });
    other.log("run");
    other.log("run");
    const own = mine.log("run", (e) => e.logMetric("loss", 1));
    await other.save();
    await mine.save();
    expect(own.slug).toBe("run-20240301101530-3");
    own.logMetric("loss", 0.5);
    await mine.save();
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => [e.slug, e.metrics.loss ?? null])).toEqual([
      ["run-20240301101530", null],
      ["run-20240301101530-2", null],
      ["run-20240301101530-3", 0.5],
    ]);
  });

  it("replaces the record of an experiment it read and changed (mode w+)", async () => {
    const fpath = "memory://concurrent/wplus.json";
    const seed = await Project.open(fpath, { mode: "w" });
    seed.log("run", (e) => e.logMetric("loss", 1));
    await seed.save();
    const editor = await Project.open(fpath, { mode: "w+" });
    const writer = await Project.open(fpath, { mode: "a" });
    writer.log("other");
    await writer.save();
    vi.setSystemTime(new Date("2024-03-01T10:16:00.000Z"));
    editor.get("run").logMetric("loss", 0.25);
    await editor.save();
    const reread = await Project.open(fpath, { mode: "r" });
    expect(reread.experiments.map((e) => [e.slug, e.metrics.loss ?? null])).toEqual([
      ["run-20240301101530", 0.25],
      ["other-20240301101530", null],
    ]);
  });
});
