import { afterEach, describe, expect, it } from "vitest";
import {
  Flow,
  FlowError,
  FlowRunError,
  LazyProject,
  type Task,
  type TaskRunEvent,
  task,
} from "../../src/flow/index.js";
import { MemoryStorage, NotFoundError, Project } from "../../src/index.js";

afterEach(() => MemoryStorage.clear());

/** Two experiments, the second fed by a task that throws. */
function flowWithAFailure(fpath: string) {
  const boom = task("Compute score", (): number => {
    throw new Error("out of memory");
  });
  const refs = {} as { project: LazyProject; bad: Task<number> };
  const flow = new Flow("Two experiments", () => {
    const project = new LazyProject({ fpath, author: "alice" }).bind();
    refs.project = project;
    project.log("Good", (exp) => exp.logMetric("score", 0.9));
    refs.bad = boom.bind();
    project.log("Bad", (exp) => {
      exp.logMetric("build_time", "10M");
      exp.logMetric("score", refs.bad);
    });
    project.save();
  });
  return { flow, ...refs };
}

describe("a failing task", () => {
  it("fails the flow, naming the task and its error", async () => {
    const { flow, bad } = flowWithAFailure("memory://flow-tests/fail/a.json");
    const state = await flow.run();
    expect(state.isSuccessful()).toBe(false);
    expect(state.status).toBe("failed");
    expect(state.failures).toHaveLength(1);
    expect(state.failures[0]?.task).toBe(bad);
    expect(state.failures[0]?.error).toEqual(new Error("out of memory"));
    expect(state.error).toBeInstanceOf(FlowRunError);
    expect(state.message).toBe(
      'flow "Two experiments" failed: task "Compute score" failed: Error: out of memory',
    );
    expect(state.taskState(bad)).toEqual({ status: "failed", error: new Error("out of memory") });
  });

  it("does not run what is downstream of it, and says which task stopped it", async () => {
    const { flow, bad } = flowWithAFailure("memory://flow-tests/fail/b.json");
    const state = await flow.run();
    const [, badMetric] = flow.getTasks({ name: "Log experiment metric" }).slice(1);
    const [, badAppend] = flow.getTasks({ name: "Append experiment" });
    for (const t of [badMetric, badAppend] as Task[]) {
      expect(state.taskState(t)).toEqual({ status: "not-run", upstream: bad });
    }
    expect(() => state.result(badAppend as Task)).toThrow(
      new FlowError(
        'task "Append experiment" of flow "Two experiments" has no result: it was not run because task "Compute score" failed',
      ),
    );
    expect(() => state.result(bad)).toThrow(/it failed: Error: out of memory/);
  });

  it("never appends that experiment, while the other one is appended and saved", async () => {
    const { flow, project } = flowWithAFailure("memory://flow-tests/fail/c.json");
    const state = await flow.run();
    expect(state.result(project).experiments.map((e) => e.name)).toEqual(["Good"]);
    const [save] = flow.getTasks({ name: "Save project" });
    expect(state.taskState(save as Task).status).toBe("succeeded");
    const saved = await Project.open("memory://flow-tests/fail/c.json", { mode: "r" });
    expect([...saved].map((r) => [r.name, r.metrics])).toEqual([["Good", { score: 0.9 }]]);
  });

  it("lets the logging tasks that do not depend on it run", async () => {
    const { flow } = flowWithAFailure("memory://flow-tests/fail/d.json");
    const state = await flow.run();
    const [, buildTime] = flow.getTasks({ name: "Log experiment metric" });
    expect(state.taskState(buildTime as Task)).toEqual({ status: "succeeded", result: "10M" });
  });

  it("reports failed and not-run on run$", async () => {
    const { flow } = flowWithAFailure("memory://flow-tests/fail/e.json");
    const events: TaskRunEvent[] = [];
    await new Promise<void>((resolve) =>
      flow.run$().subscribe({ next: (e) => events.push(e), complete: resolve }),
    );
    const ends = events
      .filter((e) => e.type === "failed" || e.type === "not-run")
      .map((e) => `${e.type} ${e.task.name}`);
    expect(ends).toEqual([
      "failed Compute score",
      "not-run Log experiment metric",
      "not-run Append experiment",
    ]);
  });

  it("fails the save when the project cannot be written, after the appends", async () => {
    // Mode "r" reads an existing file (a missing one is a NotFoundError): make it exist.
    await (await Project.open("memory://flow-tests/ro.json", { mode: "w" })).save();
    const flow = new Flow("Read-only", () => {
      const project = new LazyProject({ fpath: "memory://flow-tests/ro.json", mode: "r" }).bind();
      project.save();
    });
    const state = await flow.run();
    expect(state.message).toMatch(
      /task "Save project" failed: ReadOnlyError: cannot save: project memory:\/\/flow-tests\/ro\.json was opened read-only/,
    );
  });

  it("fails a logging task when the core refuses the value, and skips the append", async () => {
    const flow = new Flow("Bad value", () => {
      const project = new LazyProject({ fpath: "memory://flow-tests/bad.json" }).bind();
      project.log("E", (exp) => exp.logMetric("m", { not: "a metric" } as never));
      project.save();
    });
    const state = await flow.run();
    expect(state.failures.map((f) => f.task.name)).toEqual(["Log experiment metric"]);
    // No experiment could be appended, so the save did not run: no file was written.
    await expect(Project.open("memory://flow-tests/bad.json", { mode: "r" })).rejects.toThrow(
      NotFoundError,
    );
  });

  it("names at most five failed tasks in the message, and all of them in failures", async () => {
    const flow = new Flow("Many", () => {
      for (let i = 0; i < 7; i++) {
        task(`T${i}`, () => {
          throw new Error(`e${i}`);
        }).bind();
      }
    });
    const state = await flow.run();
    expect(state.failures).toHaveLength(7);
    expect(state.message).toBe(
      'flow "Many" failed: task "T0" failed: Error: e0; task "T1" failed: Error: e1; task "T2" failed: Error: e2; task "T3" failed: Error: e3; task "T4" failed: Error: e4; and 2 more failed tasks (see failures)',
    );
  });
});
