/**
 * `LazyExperiment`: an experiment as tasks, the flow counterpart of `Experiment`.
 *
 * @module
 */
import { AsyncSubject, type Observable } from "rxjs";
import {
  Experiment,
  type JsonValue,
  type LoadArtifactOptions,
  type LogArtifactOptions,
  type MetricValue,
  Project,
  type TagOptions,
  type Test,
} from "../index.js";
import { Body } from "./body.js";
import { appendTest, LazyTest } from "./lazyTest.js";
import { logMetricInput, type MetricInput } from "./metricStep.js";
import { definedOnly, requireName } from "./options.js";
import { assertOpen, runBody } from "./scope.js";
import type { LogKind } from "./spec.js";
import { addTask, type Input, Task, type TaskNode } from "./task.js";

/** Options of a standalone {@link LazyExperiment}, as `new Experiment(...)` takes them. */
export interface LazyExperimentOptions {
  /** The experiment's name (the name of its task). */
  readonly name?: string;
  /** The project file the experiment belongs to, or an open `Project` (its file and author). */
  readonly project?: Input<string | Project>;
  /** The author (default: the project's author, else the OS user name). */
  readonly author?: Input<string>;
}

/** Options of {@link LazyExperiment.logTest}: those of `Experiment.logTest`, as inputs. */
export interface LazyLogTestOptions {
  /** What the test measures. */
  readonly description?: Input<string | null>;
}

/**
 * An experiment as a task: its result is an `Experiment`. `project.log(name, body)` gives one
 * to its body; each logging method adds a task directly downstream of it, and the
 * `Append experiment` task added when the body returns waits for all of them. Logging tasks
 * of plain values are folded into the experiment task's synchronous body (see `body.ts`).
 *
 * Standalone, as in the Python integration: `new LazyExperiment().bind({ project, name })`,
 * then `project.append(exp)`.
 */
export class LazyExperiment extends Task<Experiment> {
  /** The options this experiment was made (or bound) with. */
  readonly options: LazyExperimentOptions;
  /** The experiment's context while `project.log(...)`'s body runs, and the tasks logged on it. */
  #context:
    | { readonly subject: AsyncSubject<readonly Task<unknown>[]>; readonly logged: Task<unknown>[] }
    | undefined;

  /** A template; `bind()` it in a builder (or use `project.log(...)`). */
  constructor(options: LazyExperimentOptions = {}, node?: TaskNode) {
    super(options.name ?? "LazyExperiment", node);
    this.options = options;
  }

  /**
   * Adds the task that creates a standalone experiment (`new Experiment(...)`); the options
   * override the constructor's.
   *
   * @throws FlowError without a name; FlowContextError outside a builder.
   */
  bind(options: LazyExperimentOptions = {}): LazyExperiment {
    const merged = { ...this.options, ...definedOnly(options) };
    const name = requireName(merged.name, "LazyExperiment");
    return addTask(
      "LazyExperiment.bind()",
      {
        name,
        inputs: [name, merged.project, merged.author],
        bookkeeping: true,
        work: createExperiment,
      },
      (node) => new LazyExperiment(merged, node),
    ).withBody();
  }

  /**
   * @internal Opens the experiment's context: an `AsyncSubject` that gives the tasks logged on
   * the experiment once {@link closeContext} completes it, when `project.log(...)`'s body
   * returns. The append is recorded on that completion, waiting for every one of them.
   */
  openContext(): Observable<readonly Task<unknown>[]> {
    const context = new AsyncSubject<readonly Task<unknown>[]>();
    this.#context = { subject: context, logged: [] };
    return context;
  }

  /** @internal Completes the experiment's context: the body returned. */
  closeContext(): void {
    const context = this.#context;
    this.#context = undefined;
    context?.subject.next(context.logged);
    context?.subject.complete();
  }

  /**
   * @internal Gives this experiment's task the body its plain logging is folded into: the
   * body it is folded into itself (its project's), else a body of its own.
   */
  withBody(): this {
    this.owns = this.body ?? new Body(this);
    return this;
  }

  /** `task`, logged on this experiment: it joins the experiment's context. */
  #logged<X extends Task<unknown>>(task: X): X {
    this.#context?.logged.push(task);
    return task;
  }

  /**
   * Adds a `Log experiment metric` task: `experiment.logMetric(name, value)`, once per value.
   * Each value a stream emits joins the metric's history at the next step (its index, when
   * the stream is the metric's only source); a stream of `{ step, value }` gives its own steps.
   * The task's value is the metric's value.
   */
  logMetric(name: string, value: Input<MetricInput>): Task<MetricValue> {
    return this.#add("exp.logMetric()", "Log experiment metric", "metric", name, value, logMetric);
  }

  /** Adds a `Log parameter` task: `experiment.logParameter(name, value)`. */
  logParameter(name: string, value: Input<unknown>): Task<JsonValue> {
    return this.#add("exp.logParameter()", "Log parameter", "parameter", name, value, logParameter);
  }

  /** Adds an `Add tag` task: `experiment.tag(tags, options)`; its result is the tags after. */
  tag(tags: Input<string | readonly string[]>, options: TagOptions = {}): Task<string[]> {
    return this.#add("exp.tag()", "Add tag", "tag", options, tags, addTag);
  }

  /**
   * Adds a `Log artifact` task: `experiment.logArtifact(name, value, handler, options)`.
   * The artifact is written when the project is saved.
   */
  logArtifact(
    name: string,
    value: Input<unknown>,
    handler: string,
    options: LogArtifactOptions = {},
  ): Task<unknown> {
    const key: ArtifactKey = [name, handler, options];
    return this.#add("exp.logArtifact()", "Log artifact", "artifact", key, value, logArtifact);
  }

  /** Adds a `Load artifact` task: `experiment.loadArtifact(name, options)`; its result is the value. */
  loadArtifact(name: string, options: LoadArtifactOptions = {}): Task<unknown> {
    assertOpen(this, "exp.loadArtifact()");
    return this.#logged(
      addTask("exp.loadArtifact()", {
        name: "Load artifact",
        inputs: [this, name, options],
        logKind: "artifact",
        work: loadArtifact,
      }),
    );
  }

  /**
   * Adds a test: its task (named after the test) is given to `body`, and when `body` returns,
   * an `Append test` task that waits for every task `body` added on the test.
   *
   * @returns the test's task.
   */
  logTest(
    name: string,
    body: (test: LazyTest) => void,
    options: LazyLogTestOptions = {},
  ): LazyTest {
    assertOpen(this, "exp.logTest()");
    const test = LazyTest.inExperiment(this, name, options.description);
    runBody(test, body);
    this.#logged(
      addTask("exp.logTest()", {
        name: "Append test",
        inputs: [this, test],
        upstream: this.flow.downstreamTasks(test),
        bookkeeping: true,
        body: this.owns,
        logKind: "test",
        work: appendTestTask,
      }),
    );
    return test;
  }

  /** Adds a bookkeeping task directly downstream of this experiment: `work([experiment, key, value])`. */
  #add<K, V, R>(
    what: string,
    name: string,
    kind: LogKind,
    key: K,
    value: Input<V>,
    work: (args: readonly [Experiment, K, V]) => R,
  ): Task<R> {
    assertOpen(this, what);
    return this.#logged(
      addTask(what, {
        name,
        inputs: [this, key, value],
        bookkeeping: true,
        body: this.owns,
        logKind: kind,
        work,
      }),
    );
  }
}

/** What `Log artifact` logs under: the artifact's name, its handler and its options. */
type ArtifactKey = readonly [name: string, handler: string, options: LogArtifactOptions];

/** The arguments of a logging task: the experiment, what it logs under, and the value. */
type LogArgs<K, V> = readonly [experiment: Experiment, key: K, value: V];

// The works below index their argument lists rather than destructure them: destructuring an
// array goes through its iterator, an allocation per call on the hottest path of a flow.

function logMetric(args: LogArgs<string, MetricInput>): MetricValue {
  return logMetricInput(args[0], args[1], args[2]);
}

/** Gives what the core keeps: its JSON copy of the value (set, as the call just stored it). */
function logParameter(args: LogArgs<string, unknown>): JsonValue {
  return args[0].logParameter(args[1], args[2]).parameters[args[1]] ?? null;
}

function addTag(args: LogArgs<TagOptions, string | readonly string[]>): string[] {
  return [...args[0].tag(args[2], args[1]).tags];
}

function logArtifact(args: LogArgs<ArtifactKey, unknown>): unknown {
  const [name, handler, options] = args[1];
  args[0].logArtifact(name, args[2], handler, options);
  return args[2];
}

function loadArtifact(args: LogArgs<string, LoadArtifactOptions>): Promise<unknown> {
  return args[0].loadArtifact(args[1], args[2]);
}

function appendTestTask(args: readonly [experiment: Experiment, test: Test]): Test {
  return appendTest(args[0], args[1]);
}

function createExperiment([name, project, author]: readonly [
  string,
  string | Project | undefined,
  string | undefined,
]): Experiment {
  const open = project instanceof Project ? project : undefined;
  return new Experiment({
    name,
    project: open?.fpath ?? (typeof project === "string" ? project : undefined),
    author: author ?? open?.author,
  });
}
