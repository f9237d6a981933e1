/** Triggers, and the save that never destroys a file when no experiment could be appended. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defer, lastValueFrom } from "rxjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Flow, FlowError, LazyProject, type Task, TRIGGERS, task } from "../../src/flow/index.js";
import { MemoryStorage, Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

afterEach(() => MemoryStorage.clear());

const boom = () =>
  task("Compute score", (): number => {
    throw new Error("out of memory");
  });

/** A flow of experiments whose scores come from `scores` (a failing task where `null`). */
function flowOf(fpath: string, scores: (number | null)[], trigger?: (typeof TRIGGERS)[number]) {
  let save!: Task;
  const flow = new Flow("Experiments", () => {
    const project = new LazyProject({ fpath, author: "alice" }).bind();
    scores.forEach((score, i) => {
      const value = score === null ? boom().bind() : score;
      project.log(`E${i}`, (exp) => exp.logMetric("score", value));
    });
    save = trigger === undefined ? project.save() : project.save({ trigger });
  });
  return { flow, save };
}

describe("Save project never destroys", () => {
  it("leaves a file of experiments byte for byte as it was when no experiment could be appended (mode w)", async () => {
    const fpath = join(tempDir("lazyscribe-triggers-"), "project.json");
    const before = await Project.open(fpath, { mode: "w", author: "bob" });
    before.log("Kept", (exp) => exp.logMetric("x", 1));
    await before.save();
    const bytes = readFileSync(fpath);
    const { flow, save } = flowOf(fpath, [null, null]);
    const state = await flow.run();
    expect(state.taskState(save)).toEqual({
      status: "not-run",
      upstream: flow.getTasks({ name: "Compute score" })[0],
      reason: 'trigger "any-successful": none of the tasks it waits for succeeded',
    });
    expect(readFileSync(fpath).equals(bytes)).toBe(true);
  });

  it("writes nothing in mode a either, and creates no file where there was none", async () => {
    const { flow } = flowOf("memory://triggers/none.json", [null]);
    await flow.run();
    expect(await new MemoryStorage().read("triggers/none.json")).toBeUndefined();
  });

  it("saves the experiments that were appended when another one failed (the default)", async () => {
    const { flow, save } = flowOf("memory://triggers/some.json", [0.9, null]);
    const state = await flow.run();
    expect(state.taskState(save).status).toBe("succeeded");
    const saved = await Project.open("memory://triggers/some.json", { mode: "r" });
    expect(saved.experiments.map((e) => e.name)).toEqual(["E0"]);
  });

  it("saves a flow without experiments (nothing to wait for)", async () => {
    const flow = new Flow("Empty", () => {
      new LazyProject({ fpath: "memory://triggers/empty.json" }).bind().save();
    });
    expect((await flow.run()).isSuccessful()).toBe(true);
    expect(new TextDecoder().decode(await new MemoryStorage().read("triggers/empty.json"))).toBe(
      "[]",
    );
  });
});

describe("triggers", () => {
  it("all-successful: Prefect's strict save, none if any append failed", async () => {
    const { flow, save } = flowOf("memory://triggers/strict.json", [0.9, null], "all-successful");
    const state = await flow.run();
    expect(state.taskState(save)).toEqual({
      status: "not-run",
      upstream: flow.getTasks({ name: "Compute score" })[0],
    });
    expect(await new MemoryStorage().read("triggers/strict.json")).toBeUndefined();
  });

  it("all-finished: runs whatever the outcome", async () => {
    const { flow, save } = flowOf("memory://triggers/finished.json", [null], "all-finished");
    const state = await flow.run();
    expect(state.taskState(save).status).toBe("succeeded");
    expect(new TextDecoder().decode(await new MemoryStorage().read("triggers/finished.json"))).toBe(
      "[]",
    );
  });

  it("any-successful and all-failed on user tasks waiting with after()", async () => {
    const ok = task("Ok", () => 1);
    const bad = task("Bad", (): number => {
      throw new Error("no");
    });
    const cleanup = (trigger: (typeof TRIGGERS)[number]) =>
      task(`Cleanup ${trigger}`, () => trigger, { trigger });
    const tasks = {} as Record<string, Task>;
    const flow = new Flow("After", () => {
      const a = ok.bind();
      const b = bad.bind();
      for (const trigger of TRIGGERS) tasks[trigger] = cleanup(trigger).after(a, b).bind();
      tasks.onlyFailed = cleanup("all-failed").after(b).bind();
    });
    expect(flow.upstreamTasks(tasks["all-failed"] as Task).map((t) => t.name)).toEqual([
      "Ok",
      "Bad",
    ]);
    const state = await flow.run();
    const status = (t: string) => state.taskState(tasks[t] as Task);
    expect(status("all-successful")).toEqual({ status: "not-run", upstream: flow.tasks[1] });
    expect(status("all-finished")).toEqual({ status: "succeeded", result: "all-finished" });
    expect(status("any-successful")).toEqual({ status: "succeeded", result: "any-successful" });
    expect(status("all-failed")).toEqual({
      status: "not-run",
      upstream: flow.tasks[0],
      reason: 'trigger "all-failed": task "Ok" succeeded',
    });
    expect(status("onlyFailed")).toEqual({ status: "succeeded", result: "all-failed" });
  });

  it("refuses an unknown trigger at the call, naming the task and the triggers there are", () => {
    const message =
      'unknown trigger "all-succeeded": use one of "all-successful", "all-finished", "any-successful", "all-failed"';
    expect(() => task("T", () => 1, { trigger: "all-succeeded" as never })).toThrow(
      new FlowError(`task "T": ${message}`),
    );
    expect(
      () =>
        new Flow("Bad trigger", () => {
          new LazyProject().bind().save({ trigger: "all-succeeded" as never });
        }),
    ).toThrow(new FlowError(`project.save(): ${message}`));
  });

  it("refuses a non-task given to after()", () => {
    expect(() => task("T", () => 1).after("nope" as never)).toThrow(
      new FlowError('task "T".after(): argument 1 is not a task (got string): pass bound tasks'),
    );
  });
});

describe("saves of one project", () => {
  it("never overlap, and run one after the other", async () => {
    const original = Project.prototype.save$;
    const log: string[] = [];
    let running = 0;
    const spy = vi.spyOn(Project.prototype, "save$").mockImplementation(function (
      this: Project,
      ...args: Parameters<Project["save$"]>
    ) {
      return defer(async () => {
        running += 1;
        log.push(`start ${running}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await lastValueFrom(original.apply(this, args));
        running -= 1;
        log.push("end");
      });
    });
    try {
      const flow = new Flow("Two saves", () => {
        const project = new LazyProject({ fpath: "memory://triggers/two-saves.json" }).bind();
        project.log("E", (exp) => exp.logMetric("x", 1));
        project.save();
        project.save();
      });
      expect((await flow.run()).isSuccessful()).toBe(true);
      expect(log).toEqual(["start 1", "end", "start 1", "end"]);
    } finally {
      spy.mockRestore();
    }
  });
});
