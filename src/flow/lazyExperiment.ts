/**
 * `LazyExperiment`: an experiment as tasks, the flow counterpart of `Experiment`.
 *
 * @module
 */
import { type Observable, Subject, toArray } from "rxjs";
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
  /** The experiment's context while `project.log(...)`'s body runs: the tasks logged on it. */
  #context: Subject<Task<unknown>> | undefined;

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
      (node) => withBody(new LazyExperiment(merged, node)),
    );
  }

  /**
   * @internal Opens the experiment's context, a Subject of the tasks logged on it, which
   * {@link closeContext} completes when `project.log(...)`'s body returns; returns them all
   * once it has.
   */
  openContext(): Observable<Task<unknown>[]> {
    this.#context = new Subject<Task<unknown>>();
    return this.#context.pipe(toArray());
  }

  /** @internal Completes the experiment's context: the body returned. */
  closeContext(): void {
    this.#context?.complete();
    this.#context = undefined;
  }

  /** `task`, logged on this experiment: it joins the experiment's context. */
  #logged<X extends Task<unknown>>(task: X): X {
    this.#context?.next(task);
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
    return this.#add(
      "exp.logArtifact()",
      "Log artifact",
      "artifact",
      [name, handler, options],
      value,
      logArtifact,
    );
  }

  /** Adds a `Load artifact` task: `experiment.loadArtifact(name, options)`; its result is the value. */
  loadArtifact(name: string, options: LoadArtifactOptions = {}): Task<unknown> {
    assertOpen(this, "exp.loadArtifact()");
    return this.#logged(
      addTask<Task<unknown>>("exp.loadArtifact()", {
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
  #add<R>(
    what: string,
    name: string,
    kind: LogKind,
    key: unknown,
    value: unknown,
    work: (args: readonly unknown[]) => R,
  ): Task<R> {
    assertOpen(this, what);
    return this.#logged(
      addTask<Task<R>>(what, {
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

function logMetric(args: readonly unknown[]): MetricValue {
  return logMetricInput(args[0] as Experiment, args[1] as string, args[2] as MetricInput);
}

function logParameter(args: readonly unknown[]): JsonValue {
  (args[0] as Experiment).logParameter(args[1] as string, args[2]);
  return args[2] as JsonValue;
}

function addTag(args: readonly unknown[]): string[] {
  const experiment = args[0] as Experiment;
  experiment.tag(args[2] as string | string[], args[1] as TagOptions);
  return [...experiment.tags];
}

function logArtifact(args: readonly unknown[]): unknown {
  const [name, handler, options] = args[1] as [string, string, LogArtifactOptions];
  (args[0] as Experiment).logArtifact(name, args[2], handler, options);
  return args[2];
}

function loadArtifact(args: readonly unknown[]): Promise<unknown> {
  return (args[0] as Experiment).loadArtifact(args[1] as string, args[2] as LoadArtifactOptions);
}

function appendTestTask(args: readonly unknown[]): Test {
  return appendTest(args[0] as Experiment, args[1] as Test);
}

function createExperiment(args: readonly unknown[]): Experiment {
  const [name, project, author] = args as [string, unknown, unknown];
  const open = project instanceof Project ? project : undefined;
  return new Experiment({
    name,
    project: open?.fpath ?? (project as string | undefined),
    author: (author as string | undefined) ?? open?.author,
  });
}

/** @internal Gives an experiment's task the body its plain logging is folded into. */
export function withBody(experiment: LazyExperiment): LazyExperiment {
  experiment.owns = new Body(experiment);
  return experiment;
}

/**
 * @internal Starts an experiment in `project` as the core's `project.log(name, body)` does (the
 * project's author, file and storage; the project's `events$` reports its logging live) but
 * leaves appending it to the flow: the body's promise never settles, so the core never appends
 * it; the experiment's `Append experiment` task does, once every task logged on it succeeded.
 */
export function openExperiment(project: Project, name: string): Experiment {
  let experiment: Experiment | undefined;
  void project.log(name, (exp) => {
    experiment = exp;
    return new Promise<never>(() => undefined);
  });
  const opened = experiment as Experiment;
  // The flow appends this experiment itself (or abandons it when a task fails): save() must
  // not wait for its log.
  project.releaseLog(opened);
  return opened;
}

/** @internal Appends an experiment whose logging tasks all succeeded. */
export function appendExperiment(project: Project, experiment: Experiment): Experiment {
  return project.append(experiment);
}
