/**
 * `Project.open$` and `project.save$`: the core's open and save as Observables. On `memory://`
 * they emit in the subscriber's call; unsubscribing from a save before the file is replaced
 * abandons it; `Project.open` and `project.save` are these through `lastValueFrom`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryStorage, Project, ReadOnlyError } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";
import { memoryFileText } from "../helpers/memoryFiles.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2024-03-01T10:15:30Z") });
});
afterEach(() => {
  vi.useRealTimers();
  MemoryStorage.clear();
});

const SAVED = `[
    {
        "artifacts": [],
        "author": "alice",
        "created_at": "2024-03-01T10:15:30",
        "dependencies": [],
        "last_updated": "2024-03-01T10:15:30",
        "last_updated_by": "alice",
        "metrics": {
            "auroc": 0.75
        },
        "name": "Model",
        "parameters": {},
        "short_slug": "model",
        "slug": "model-20240301101530",
        "tags": [],
        "tests": []
    }
]`;

describe("on memory://", () => {
  it("opens, saves and reopens in the subscriber's call", () => {
    const seen: string[] = [];
    Project.open$("memory://sync/p.json", { author: "alice" }).subscribe((project) => {
      project.log("Model", (exp) => exp.logMetric("auroc", 0.75));
      project.save$().subscribe({ complete: () => seen.push("saved") });
    });
    Project.open$("memory://sync/p.json", { mode: "r" }).subscribe((reopened) =>
      seen.push(...reopened.experiments.map((e) => e.slug)),
    );
    expect(seen).toEqual(["saved", "model-20240301101530"]);
  });

  it("writes the file as save() does and is cold: each subscription saves", async () => {
    const project = await Project.open("memory://sync/p.json", { mode: "w", author: "alice" });
    project.log("Model", (exp) => exp.logMetric("auroc", 0.75));
    const save$ = project.save$();
    expect(await memoryFileText("sync/p.json")).toBeUndefined();
    save$.subscribe();
    expect(await memoryFileText("sync/p.json")).toBe(SAVED);
    // Mode "w" replaces whatever the file holds: the second subscription writes it again.
    await new MemoryStorage().write("sync/p.json", "[]");
    save$.subscribe();
    expect(await memoryFileText("sync/p.json")).toBe(SAVED);
  });

  it("errors as save() rejects: a read-only project", async () => {
    await new MemoryStorage().write("sync/r.json", "[]");
    const project = await Project.open("memory://sync/r.json", { mode: "r" });
    let error: unknown;
    project.save$().subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(ReadOnlyError);
    await expect(project.save()).rejects.toThrow(ReadOnlyError);
  });

  it("abandons a save unsubscribed while it waits for a log in flight: the file stays as it was", async () => {
    const project = await Project.open("memory://sync/p.json", { author: "alice" });
    project.log("Model", (exp) => exp.logMetric("auroc", 0.75));
    await project.save();
    let finish!: () => void;
    const body = new Promise<void>((resolve) => (finish = resolve));
    const logged = project.log("Later", async (exp) => {
      exp.logMetric("auroc", 0.5);
      await body;
    });
    const subscription = project.save$().subscribe();
    subscription.unsubscribe();
    finish();
    await logged;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await memoryFileText("sync/p.json")).toBe(SAVED);
    expect(project.size).toBe(2);
  });
});

describe("on a local file", () => {
  it("abandons a save unsubscribed before the file is replaced: the file, no lock or temporary file left", async () => {
    const dir = tempDir("lazyscribe-save$-");
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { author: "alice" });
    project.log("Model", (exp) => exp.logMetric("auroc", 0.75));
    await project.save();
    expect(readFileSync(fpath, "utf8")).toBe(SAVED);
    project.log("Later", (exp) => exp.logMetric("auroc", 0.5));
    project.save$().subscribe().unsubscribe();
    // The backend's update, aborted, ends on its own: a save after it waits for it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(fpath, "utf8")).toBe(SAVED);
    expect(readdirSync(dir)).toEqual(["project.json"]);
    await project.save();
    expect((await Project.open(fpath, { mode: "r" })).size).toBe(2);
  });

  it("opens through the promise of the backend, emitting once it has read the file", async () => {
    const dir = tempDir("lazyscribe-open$-");
    const fpath = join(dir, "project.json");
    const project = await Project.open(fpath, { author: "alice" });
    project.log("Model", (exp) => exp.logMetric("auroc", 0.75));
    await project.save();
    const seen: number[] = [];
    const opened = new Promise<void>((resolve) =>
      Project.open$(fpath, { mode: "r" }).subscribe({
        next: (p) => seen.push(p.size),
        complete: resolve,
      }),
    );
    expect(seen).toEqual([]);
    await opened;
    expect(seen).toEqual([1]);
  });
});
