import { of } from "rxjs";
import { describe, expect, it } from "vitest";
import {
  Flow,
  FlowContextError,
  FlowError,
  LazyExperiment,
  LazyProject,
  Parameter,
  type Task,
  task,
} from "../../src/flow/index.js";
import { seedFlow } from "./seedFlow.js";

const names = (tasks: readonly Task[]) => tasks.map((t) => t.name);

describe("the graph of the seed's flow (Python's edges, DESIGN's names)", () => {
  const { flow, project, experiment, test } = seedFlow();

  it("records every task in the order the builder added them", () => {
    expect(names(flow.tasks)).toEqual([
      "Open project",
      "Score model",
      "My experiment",
      "Log experiment metric",
      "Log experiment metric",
      "Log parameter",
      "Add tag",
      "My test",
      "Log test metric",
      "Log test parameter",
      "Append test",
      "Append experiment",
      "Create tabular data",
      "Save project",
    ]);
  });

  it("puts exactly the logging tasks, the test's append and the experiment's append downstream of the experiment", () => {
    expect(names(flow.downstreamTasks(experiment))).toEqual([
      "Log experiment metric",
      "Log experiment metric",
      "Log parameter",
      "Add tag",
      "Append test",
      "Append experiment",
    ]);
    expect(new Set(names(flow.downstreamTasks(experiment)))).toEqual(
      new Set([
        "Log experiment metric",
        "Log parameter",
        "Add tag",
        "Append test",
        "Append experiment",
      ]),
    );
  });

  it("puts the test's logging tasks and its append downstream of the test", () => {
    expect(names(flow.downstreamTasks(test))).toEqual([
      "Log test metric",
      "Log test parameter",
      "Append test",
    ]);
    const [testMetric] = flow.getTasks({ name: "Log test metric" });
    expect(names(flow.downstreamTasks(testMetric as Task))).toEqual(["Append test"]);
  });

  it("puts the experiment, its append, the tabular data and the save downstream of the project", () => {
    expect(names(flow.downstreamTasks(project))).toEqual([
      "My experiment",
      "Append experiment",
      "Create tabular data",
      "Save project",
    ]);
  });

  it("makes the save and the tabular data wait for every Append experiment", () => {
    const [append] = flow.getTasks({ name: "Append experiment" });
    expect(names(flow.downstreamTasks(append as Task))).toEqual([
      "Create tabular data",
      "Save project",
    ]);
    const [save] = flow.getTasks({ name: "Save project" });
    expect(names(flow.upstreamTasks(save as Task))).toEqual(["Open project", "Append experiment"]);
  });

  it("makes Append experiment wait for every task directly downstream of the experiment", () => {
    const [append] = flow.getTasks({ name: "Append experiment" });
    expect(names(flow.upstreamTasks(append as Task))).toEqual([
      "Open project",
      "My experiment",
      "Log experiment metric",
      "Log experiment metric",
      "Log parameter",
      "Add tag",
      "Append test",
    ]);
  });

  it("makes a metric fed by a task an edge from that task", () => {
    const [score] = flow.getTasks({ name: "Score model" });
    expect(names(flow.downstreamTasks(score as Task))).toEqual(["Log experiment metric"]);
    expect(flow.upstreamTasks(flow.getTasks({ name: "Log experiment metric" })[1] as Task)).toEqual(
      [experiment, score],
    );
  });

  it("puts the experiment task downstream of the project task only", () => {
    expect(flow.upstreamTasks(experiment)).toEqual([project]);
    expect(flow.upstreamTasks(test)).toEqual([]);
  });

  it("finds tasks by name", () => {
    expect(flow.getTasks({ name: "Log experiment metric" })).toHaveLength(2);
    expect(flow.getTasks({ name: "Nope" })).toEqual([]);
    expect(flow.getTasks()).toEqual(flow.tasks);
  });
});

describe("Mermaid", () => {
  it("draws each task with its name and each edge as an arrow", () => {
    const fpath = Parameter("fpath", { default: "memory://flow-tests/mermaid.json" });
    const flow = new Flow("Small", () => {
      const project = new LazyProject({ fpath }).bind();
      project.log('Say "hi" <now>', (exp) => {
        exp.logMetric("m", 1);
      });
      project.save();
    });
    expect(flow.toMermaid()).toBe(
      [
        "flowchart TD",
        '  t0(["fpath"])',
        '  t1["Open project"]',
        '  t2["Say #quot;hi#quot; #lt;now#gt;"]',
        '  t3["Log experiment metric"]',
        '  t4["Append experiment"]',
        '  t5["Save project"]',
        "  t0 --> t1",
        "  t1 --> t2",
        "  t2 --> t3",
        "  t1 --> t4",
        "  t2 --> t4",
        "  t3 --> t4",
        "  t1 --> t5",
        "  t4 --> t5",
        "",
      ].join("\n"),
    );
  });
});

describe("tasks and their inputs", () => {
  it("makes each task input an edge, and Observables and plain values no node", () => {
    const add = task("Add", (a: number, b: number, c: number) => a + b + c);
    const one = task("One", () => 1);
    let sum!: Task<number>;
    let first!: Task<number>;
    const flow = new Flow("Inputs", () => {
      first = one.bind();
      sum = add.bind(first, of(2), 3);
    });
    expect(flow.tasks).toEqual([first, sum]);
    expect(flow.upstreamTasks(sum)).toEqual([first]);
    expect(flow.downstreamTasks(first)).toEqual([sum]);
  });

  it("adds a parameter used in a builder as a task named after it, once per flow", () => {
    const fpath = Parameter<string>("fpath");
    const flow = new Flow("Parameters", () => {
      new LazyProject({ fpath }).bind();
      new LazyProject().bind({ fpath });
    });
    expect(names(flow.tasks)).toEqual(["fpath", "Open project", "Open project"]);
    expect(flow.parameters).toEqual([fpath]);
    expect(names(flow.downstreamTasks(fpath))).toEqual(["Open project", "Open project"]);
  });

  it("adds a parameter declared in a builder even when no task uses it", () => {
    const flow = new Flow("Unused", () => {
      Parameter("seed", { default: 1 });
    });
    expect(names(flow.tasks)).toEqual(["seed"]);
  });

  it("refuses two parameters of the same name in one flow", () => {
    expect(
      () =>
        new Flow("Twice", () => {
          Parameter("x");
          Parameter("x");
        }),
    ).toThrow(new FlowError('flow "Twice" already has a parameter "x"'));
  });

  it("lets bind() options override the constructor's, and take tasks and parameters", () => {
    const author = Parameter("author", { default: "bob" });
    const path = task("Path", () => "memory://flow-tests/override.json");
    let project!: LazyProject;
    let pathTask!: Task<string>;
    const flow = new Flow("Override", () => {
      pathTask = path.bind();
      project = new LazyProject({ fpath: "ignored.json", author: "alice" }).bind({
        fpath: pathTask,
        author,
      });
    });
    expect(project.options.fpath).toBe(pathTask);
    expect(project.options.author).toBe(author);
    expect(flow.upstreamTasks(project)).toEqual([pathTask, flow.taskFor(author)]);
  });
});

describe("merge, tabular data and standalone experiments", () => {
  it("makes Merge projects depend on both projects and every Append experiment", () => {
    let merged!: LazyProject;
    const flow = new Flow("Merge", () => {
      const a = new LazyProject({ fpath: "memory://flow-tests/a.json" }).bind();
      const b = new LazyProject({ fpath: "memory://flow-tests/b.json" }).bind();
      a.log("A", (exp) => exp.logMetric("x", 1));
      merged = a.merge(b);
      merged.save();
    });
    expect(merged.name).toBe("Merge projects");
    expect(names(flow.upstreamTasks(merged))).toEqual([
      "Open project",
      "Open project",
      "Append experiment",
    ]);
    expect(names(flow.downstreamTasks(merged))).toEqual(["Save project"]);
  });

  it("binds a standalone LazyExperiment to a project and appends it after its logging tasks", () => {
    let experiment!: LazyExperiment;
    let project!: LazyProject;
    const flow = new Flow("Standalone", () => {
      project = new LazyProject({ fpath: "memory://flow-tests/standalone.json" }).bind();
      experiment = new LazyExperiment().bind({ project, name: "Solo", author: "carol" });
      experiment.logMetric("x", 1);
      experiment.logParameter("p", "q");
      project.append(experiment);
    });
    expect(experiment.name).toBe("Solo");
    expect(names(flow.downstreamTasks(experiment))).toEqual([
      "Log experiment metric",
      "Log parameter",
      "Append experiment",
    ]);
    const [append] = flow.getTasks({ name: "Append experiment" });
    expect(names(flow.upstreamTasks(append as Task))).toEqual([
      "Open project",
      "Solo",
      "Log experiment metric",
      "Log parameter",
    ]);
  });
});

describe("lazy methods outside a builder", () => {
  it("refuses task(...).bind() outside a builder, naming the call", () => {
    expect(() => task("Score", () => 1).bind()).toThrow(FlowContextError);
    expect(() => task("Score", () => 1).bind()).toThrow(
      /task\(\.\.\.\)\.bind\(\) was called outside a flow's builder/,
    );
  });

  it("refuses LazyProject.bind() outside a builder", () => {
    expect(() => new LazyProject().bind()).toThrow(
      /LazyProject\.bind\(\) was called outside a flow's builder/,
    );
  });

  it("refuses logging on a bound experiment once the flow is built", () => {
    let project!: LazyProject;
    new Flow("Built", () => {
      project = new LazyProject({ fpath: "memory://flow-tests/built.json" }).bind();
    });
    expect(() => project.log("Late", () => undefined)).toThrow(FlowContextError);
    expect(() => project.save()).toThrow(/project\.save\(\) was called outside/);
  });

  it("refuses logging on an experiment after its log() body finished", () => {
    expect(
      () =>
        new Flow("Escaped", () => {
          const project = new LazyProject({ fpath: "memory://flow-tests/esc.json" }).bind();
          const exp = project.log("E", () => undefined);
          exp.logMetric("late", 1);
        }),
    ).toThrow(/exp\.logMetric\(\) was called after the body for "E" finished/);
  });

  it("refuses a task of another flow as an input", () => {
    let foreign!: Task<number>;
    new Flow("One", () => {
      foreign = task("X", () => 1).bind();
    });
    expect(
      () =>
        new Flow("Two", () => {
          task("Y", (x: number) => x).bind(foreign);
        }),
    ).toThrow(new FlowContextError('task "X" belongs to flow "One", not to flow "Two"'));
  });

  it("refuses an unbound template as an input", () => {
    const template = new LazyProject();
    expect(
      () =>
        new Flow("Template", () => {
          template.log("E", () => undefined);
        }),
    ).toThrow(/task "Open project" is not bound to a flow/);
  });

  it("refuses an async builder and an async body", () => {
    expect(() => new Flow("Async", async () => undefined)).toThrow(
      /the builder of flow "Async" returned a promise/,
    );
    expect(
      () =>
        new Flow("Async body", () => {
          new LazyProject().bind().log("E", async () => undefined);
        }),
    ).toThrow(/the body for "E" returned a promise/);
  });

  it("refuses a LazyExperiment bound without a name", () => {
    expect(() => new Flow("No name", () => new LazyExperiment().bind())).toThrow(
      "LazyExperiment.bind() needs a name",
    );
  });

  it("refuses negative or fractional retries", () => {
    expect(() => task("R", () => 1, { retries: -1 })).toThrow(
      'task "R": retries must be a whole number >= 0, got -1',
    );
    expect(() => task("R", () => 1, { retryDelay: 1.5 })).toThrow(/retryDelay/);
  });
});

describe("bad input, refused at the call", () => {
  it("refuses a non-task where a task is needed, naming the flow and what to pass", async () => {
    const { flow } = seedFlow();
    expect(() => flow.upstreamTasks("Score model" as never)).toThrow(
      new FlowError(
        'flow "My experiment logging": expected a task or a parameter, got string Score model: pass a task bound in this flow\'s builder',
      ),
    );
    const state = await new Flow("Empty", () => undefined).run();
    expect(() => state.result({ name: "x" } as never)).toThrow(
      /flow "Empty": expected a task or a parameter, got an object \(Object\)/,
    );
  });

  it("cannot make a cycle: a task only takes tasks recorded before it", () => {
    const { flow } = seedFlow();
    for (const t of flow.tasks) {
      for (const up of flow.upstreamTasks(t)) expect(up.id).toBeLessThan(t.id);
    }
  });

  it("refuses a function that is not one", () => {
    expect(() => task("T", 42 as never)).toThrow(
      new FlowError('task "T": the second argument must be a function, got number'),
    );
  });
});
