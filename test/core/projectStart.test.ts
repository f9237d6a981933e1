/** `project.start(name)`: an experiment started now and appended (or abandoned) later. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryStorage, Project, type ProjectEvent, ReadOnlyError } from "../../src/index.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-03-01T10:15:30.250Z"));
});
afterEach(() => {
  vi.useRealTimers();
  MemoryStorage.clear();
});

describe("project.start", () => {
  it("gives an experiment of the project that enters it only when appended", async () => {
    const project = await Project.open("memory://start/p.json", { mode: "w", author: "alice" });
    const events: ProjectEvent["type"][] = [];
    project.events$.subscribe((e) => events.push(e.type));
    const exp = project.start("Run");
    exp.logMetric("auroc", 0.5);
    expect([exp.slug, exp.author, exp.project]).toEqual([
      "run-20240301101530",
      "alice",
      "memory://start/p.json",
    ]);
    expect(project.size).toBe(0);
    expect(events).toEqual(["metric-logged"]);
    expect(project.append(exp)).toBe(exp);
    expect(project.get("run-20240301101530")).toBe(exp);
    expect(events).toEqual(["metric-logged", "experiment-logged"]);
  });

  it("gives each start of a name in one second a slug of its own, against logs and appends", () => {
    return Project.open("memory://start/q.json", { mode: "w" }).then((project) => {
      const first = project.start("Run");
      const second = project.start("Run");
      const logged = project.log("Run");
      project.append(second);
      const third = project.start("Run");
      expect([first.slug, second.slug, logged.slug, third.slug]).toEqual([
        "run-20240301101530",
        "run-20240301101530-2",
        "run-20240301101530-3",
        "run-20240301101530-4",
      ]);
    });
  });

  it("leaves a started experiment that is never appended out of the saved file; save does not wait for it", async () => {
    const project = await Project.open("memory://start/r.json", { mode: "w", author: "alice" });
    project.start("Abandoned").logMetric("m", 1);
    project.append(project.start("Kept"));
    await project.save();
    const saved = await Project.open("memory://start/r.json", { mode: "r" });
    expect(saved.experiments.map((e) => e.name)).toEqual(["Kept"]);
  });

  it("refuses to start an experiment in a read-only project", async () => {
    await (await Project.open("memory://start/s.json", { mode: "w" })).save();
    const project = await Project.open("memory://start/s.json", { mode: "r" });
    expect(() => project.start("Run")).toThrow(ReadOnlyError);
  });
});
