import { interval, map, Observable, take } from "rxjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Flow,
  FlowError,
  LazyExperiment,
  LazyProject,
  Parameter,
  type Task,
  type TaskRunEvent,
  task,
} from "../../src/flow/index.js";
import { Experiment, MemoryStorage, Project, type Tabular } from "../../src/index.js";
import { memoryFileText } from "../helpers/memoryFiles.js";
import { seedFlow } from "./seedFlow.js";

const NOW = new Date("2024-03-01T10:15:30Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  MemoryStorage.clear();
});

const SEED_FILE = `[
    {
        "artifacts": [],
        "author": "alice",
        "created_at": "2024-03-01T10:15:30",
        "dependencies": [],
        "last_updated": "2024-03-01T10:15:30",
        "last_updated_by": "alice",
        "metrics": {
            "build_time": "10M",
            "score": 0.93
        },
        "name": "My experiment",
        "parameters": {
            "algorithm": "lightgbm"
        },
        "short_slug": "my-experiment",
        "slug": "my-experiment-20240301101530",
        "tags": [
            "baseline"
        ],
        "tests": [
            {
                "artifacts": [],
                "description": "age < 30",
                "metrics": {
                    "subpop": 0.7
                },
                "name": "My test",
                "parameters": {
                    "population": "age < 30"
                }
            }
        ]
    }
]`;

describe("running the seed's flow", () => {
  it("succeeds and writes exactly the file Python lazyscribe writes", async () => {
    const { flow } = seedFlow("memory://flow-tests/run/project.json");
    const state = await flow.run();
    expect(state.isSuccessful()).toBe(true);
    expect(state.status).toBe("succeeded");
    expect(state.failures).toEqual([]);
    expect(state.message).toBe('flow "My experiment logging" succeeded');
    expect(await memoryFileText("flow-tests/run/project.json")).toBe(SEED_FILE);
  });

  it("gives each task's result: the project, the experiment, the test, the tabular rows", async () => {
    const { flow, project, experiment, test } = seedFlow("memory://flow-tests/results.json");
    const state = await flow.run();
    const opened = state.result(project);
    expect(opened).toBeInstanceOf(Project);
    expect(opened.experiments).toHaveLength(1);
    const exp = state.result(experiment);
    expect(exp).toBe(opened.experiments[0]);
    expect(exp.metrics).toEqual({ build_time: "10M", score: 0.93 });
    expect(state.result(test).name).toBe("My test");
    const [appendTest] = flow.getTasks({ name: "Append test" });
    expect(state.result(appendTest as Task)).toBe(exp.tests[0]);
    const [tabular] = flow.getTasks({ name: "Create tabular data" });
    const rows = state.result(tabular as Task<Tabular>);
    expect(rows.experiments).toHaveLength(1);
    expect(rows.experiments[0]?.["metrics.score"]).toBe(0.93);
    expect(rows.tests[0]?.["metrics.subpop"]).toBe(0.7);
    const [save] = flow.getTasks({ name: "Save project" });
    expect(state.result(save as Task)).toBe(opened);
    for (const t of flow.tasks) expect(state.taskState(t).status).toBe("succeeded");
  });

  it("runs a new project each run (a flow is a recipe, its tasks cold)", async () => {
    const { flow, project } = seedFlow("memory://flow-tests/twice.json");
    const first = await flow.run();
    const second = await flow.run();
    expect(second.result(project)).not.toBe(first.result(project));
    expect(second.result(project).experiments).toHaveLength(1);
  });

  it("opens the project in mode w by default, as the Python integration does", async () => {
    const { flow } = seedFlow("memory://flow-tests/mode.json");
    await flow.run();
    await flow.run();
    const reread = await Project.open("memory://flow-tests/mode.json", { mode: "r" });
    expect(reread.experiments).toHaveLength(1);
  });

  it("appends to the file in mode a", async () => {
    const flow = new Flow("Append mode", () => {
      const project = new LazyProject({ fpath: "memory://flow-tests/a.json", mode: "a" }).bind();
      project.log("E", (exp) => exp.logMetric("x", 1));
      project.save();
    });
    await flow.run();
    vi.setSystemTime(new Date("2024-03-01T10:15:31Z"));
    await flow.run();
    const reread = await Project.open("memory://flow-tests/a.json", { mode: "r" });
    expect(reread.experiments.map((e) => e.slug)).toEqual(["e-20240301101530", "e-20240301101531"]);
  });
});

describe("parameters", () => {
  const fpath = Parameter<string>("fpath", { default: "memory://flow-tests/default.json" });
  const flow = new Flow("Parameterised", () => {
    const project = new LazyProject({ fpath, author: "dana" }).bind();
    project.log("E", (exp) => exp.logParameter("where", fpath));
    project.save();
  });

  it("takes a parameter's default", async () => {
    const state = await flow.run();
    expect(state.result(fpath)).toBe("memory://flow-tests/default.json");
    expect(await memoryFileText("flow-tests/default.json")).toContain(
      '"where": "memory://flow-tests/default.json"',
    );
  });

  it("takes the value given to run()", async () => {
    const state = await flow.run({ parameters: { fpath: "memory://flow-tests/given.json" } });
    expect(state.isSuccessful()).toBe(true);
    expect(await memoryFileText("flow-tests/given.json")).toContain('"author": "dana"');
    expect(await memoryFileText("flow-tests/default.json")).toBeUndefined();
  });

  it("rejects an unknown parameter and a missing required one", async () => {
    await expect(flow.run({ parameters: { nope: 1 } })).rejects.toThrow(
      new FlowError('flow "Parameterised" has no parameter "nope" (its parameters: "fpath")'),
    );
    const required = Parameter("seed");
    const needs = new Flow("Needs", () => {
      task("Use", (s: unknown) => s).bind(required);
    });
    await expect(needs.run()).rejects.toThrow(/flow "Needs" needs parameter "seed"/);
  });
});

describe("tasks", () => {
  it("runs each task once however many tasks depend on it", async () => {
    let calls = 0;
    const data = task("Load data", () => {
      calls += 1;
      return [1, 2, 3];
    });
    const sum = task("Sum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
    const count = task("Count", (xs: number[]) => xs.length);
    let total!: Task<number>;
    const flow = new Flow("Shared", () => {
      const d = data.bind();
      total = sum.bind(d);
      count.bind(d);
      task("Mean", (s: number, n: number) => s / n).bind(total, count.bind(d));
    });
    const state = await flow.run();
    expect(calls).toBe(1);
    expect(state.result(total)).toBe(6);
    expect(state.result(flow.getTasks({ name: "Mean" })[0] as Task)).toBe(2);
  });

  it("takes the same task twice as an input, as one edge", async () => {
    let sum!: Task<number>;
    let one!: Task<number>;
    const flow = new Flow("Twice", () => {
      one = task("One", () => 1).bind();
      sum = task("Sum", (a: number, b: number) => a + b).bind(one, one);
    });
    expect(flow.upstreamTasks(sum)).toEqual([one]);
    expect(flow.downstreamTasks(one)).toEqual([sum]);
    expect((await flow.run()).result(sum)).toBe(2);
  });

  it("waits for a task's promise", async () => {
    const slow = task("Slow", async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return x * 2;
    });
    let doubled!: Task<number>;
    const flow = new Flow("Async", () => {
      doubled = slow.bind(21);
    });
    expect((await flow.run()).result(doubled)).toBe(42);
  });

  it("retries a failing task before it fails", async () => {
    let attempts = 0;
    const flaky = task(
      "Flaky",
      () => {
        attempts += 1;
        if (attempts < 3) throw new Error(`attempt ${attempts}`);
        return "ok";
      },
      { retries: 2 },
    );
    let t!: Task<string>;
    const flow = new Flow("Retry", () => {
      t = flaky.bind();
    });
    const events: TaskRunEvent[] = [];
    await new Promise<void>((resolve) =>
      flow.run$().subscribe({ next: (e) => events.push(e), complete: resolve }),
    );
    expect(events.map((e) => e.type)).toEqual([
      "started",
      "retrying",
      "retrying",
      "value",
      "succeeded",
    ]);
    expect(
      events.filter((e) => e.type === "retrying").map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2]);
    attempts = 0;
    expect((await flow.run()).result(t)).toBe("ok");
  });

  it("fails once its retries are spent, with the last error", async () => {
    let attempts = 0;
    const flow = new Flow("Spent", () => {
      task(
        "Always fails",
        () => {
          attempts += 1;
          throw new Error(`attempt ${attempts}`);
        },
        { retries: 1 },
      ).bind();
    });
    const state = await flow.run();
    expect(attempts).toBe(2);
    expect(state.failures.map((f) => [f.task.name, (f.error as Error).message])).toEqual([
      ["Always fails", "attempt 2"],
    ]);
  });

  it("runs a task once per emission of an Observable input, in order", async () => {
    const seen: number[] = [];
    const flow = new Flow("Stream", () => {
      task("Record", (x: number) => {
        seen.push(x);
        return x * 10;
      }).bind(interval(1).pipe(take(3)));
    });
    const state = await flow.run();
    expect(seen).toEqual([0, 1, 2]);
    expect(state.result(flow.tasks[0] as Task)).toBe(20);
  });

  it("gives every value of a task that returns an Observable to the tasks downstream", async () => {
    const epochs = task("Train", (n: number) =>
      interval(1).pipe(
        take(n),
        map((i) => 1 / (i + 1)),
      ),
    );
    const seen: number[] = [];
    const flow = new Flow("Epochs", () => {
      task("Watch", (loss: number) => seen.push(loss)).bind(epochs.bind(3));
    });
    expect((await flow.run()).isSuccessful()).toBe(true);
    expect(seen).toEqual([1, 0.5, 1 / 3]);
  });

  it("fails a task whose input completes without a value", async () => {
    const flow = new Flow("Empty", () => {
      task("Never called", (x: number) => x).bind(new Observable<number>((s) => s.complete()));
    });
    const state = await flow.run();
    expect(state.message).toBe(
      'flow "Empty" failed: task "Never called" failed: FlowError: task "Never called" got no value: an input completed empty',
    );
  });

  it("runs a flow without tasks", async () => {
    const state = await new Flow("Nothing", () => undefined).run();
    expect(state.isSuccessful()).toBe(true);
  });
});

describe("standalone experiments", () => {
  it("creates an experiment with its own author and appends it with project.append", async () => {
    let experiment!: LazyExperiment;
    let project!: LazyProject;
    const flow = new Flow("Standalone", () => {
      project = new LazyProject({ fpath: "memory://flow-tests/solo.json", author: "alice" }).bind();
      experiment = new LazyExperiment({ name: "Solo" }).bind({ project, author: "carol" });
      experiment.logMetric("x", 1);
      experiment.tag(["a", "b"]);
      project.append(experiment);
      project.save();
    });
    const state = await flow.run();
    const exp = state.result(experiment);
    expect(exp).toBeInstanceOf(Experiment);
    expect([...state.result(project)]).toEqual([
      {
        name: "Solo",
        author: "carol",
        last_updated_by: "carol",
        metrics: { x: 1 },
        parameters: {},
        created_at: "2024-03-01T10:15:30",
        last_updated: "2024-03-01T10:15:30",
        dependencies: [],
        short_slug: "solo",
        slug: "solo-20240301101530",
        tests: [],
        artifacts: [],
        tags: ["a", "b"],
      },
    ]);
  });

  it("takes a project path, as the Python integration does", async () => {
    let experiment!: LazyExperiment;
    const flow = new Flow("Path", () => {
      experiment = new LazyExperiment().bind({ name: "P", project: "memory://x/p.json" });
    });
    expect((await flow.run()).result(experiment).project).toBe("memory://x/p.json");
  });
});

describe("merging", () => {
  it("merges a project with another after the appends, and saves the merge", async () => {
    const other = await Project.open("memory://flow-tests/other.json", {
      mode: "w",
      author: "bob",
    });
    other.log("From Bob", (exp) => exp.logMetric("y", 2));
    await other.save();
    let merged!: LazyProject;
    const flow = new Flow("Merge", () => {
      const mine = new LazyProject({
        fpath: "memory://flow-tests/mine.json",
        author: "alice",
      }).bind();
      const theirs = new LazyProject({ fpath: "memory://flow-tests/other.json", mode: "r" }).bind();
      mine.log("From Alice", (exp) => exp.logMetric("x", 1));
      merged = mine.merge(theirs);
      merged.save();
    });
    const state = await flow.run();
    expect(state.isSuccessful()).toBe(true);
    expect(
      state
        .result(merged)
        .experiments.map((e) => e.name)
        .sort(),
    ).toEqual(["From Alice", "From Bob"]);
    const saved = await Project.open("memory://flow-tests/mine.json", { mode: "r" });
    expect(saved.experiments.map((e) => e.name).sort()).toEqual(["From Alice", "From Bob"]);
  });
});
