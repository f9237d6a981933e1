/**
 * `LazyExperiment`: an experiment as tasks, the flow counterpart of `Experiment`.
 *
 * @module
 */
import { lastValueFrom, Subject } from "rxjs";
import {
  Experiment,
  type JsonValue,
  type LoadArtifactOptions,
  type LogArtifactOptions,
  type MetricValue,
  Project,
  type TagOptions,
} from "../index.js";
import { appendTest, LazyTest } from "./lazyTest.js";
import { definedOnly, requireName } from "./options.js";
import { assertOpen, runBody } from "./scope.js";
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
 * `Append experiment` task added when the body returns waits for all of them.
 *
 * Standalone, as in the Python integration: `new LazyExperiment().bind({ project, name })`,
 * then `project.append(exp)`.
 */
export class LazyExperiment extends Task<Experiment> {
  /** The options this experiment was made (or bound) with. */
  readonly options: LazyExperimentOptions;

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
        run: createExperiment,
      },
      (node) => new LazyExperiment(merged, node),
    );
  }

  /** Adds a `Log experiment metric` task: `experiment.logMetric(name, value)`, once per value. */
  logMetric(name: string, value: Input<MetricValue>): Task<MetricValue> {
    return this.#add("exp.logMetric()", "Log experiment metric", name, value, logMetric);
  }

  /** Adds a `Log parameter` task: `experiment.logParameter(name, value)`. */
  logParameter(name: string, value: Input<unknown>): Task<JsonValue> {
    return this.#add("exp.logParameter()", "Log parameter", name, value, logParameter);
  }

  /** Adds an `Add tag` task: `experiment.tag(tags, options)`; its result is the tags after. */
  tag(tags: Input<string | readonly string[]>, options: TagOptions = {}): Task<string[]> {
    return this.#add("exp.tag()", "Add tag", options, tags, addTag);
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
      [name, handler, options],
      value,
      logArtifact,
    );
  }

  /** Adds a `Load artifact` task: `experiment.loadArtifact(name, options)`; its result is the value. */
  loadArtifact(name: string, options: LoadArtifactOptions = {}): Task<unknown> {
    return this.#add("exp.loadArtifact()", "Load artifact", name, options, loadArtifact);
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
    const test = new LazyTest({ name }).bind({ description: options.description });
    runBody(test, body);
    addTask("exp.logTest()", {
      name: "Append test",
      inputs: [this, test],
      upstream: this.flow.downstreamTasks(test),
      run: appendTest,
    });
    return test;
  }

  /** Adds a task directly downstream of this experiment: `work([experiment, key, value])`. */
  #add<R>(
    what: string,
    name: string,
    key: unknown,
    value: unknown,
    work: (args: unknown[]) => R,
  ): Task<R> {
    assertOpen(this, what);
    return addTask<Task<R>>(what, { name, inputs: [this, key, value], run: work });
  }
}

function logMetric(args: unknown[]): MetricValue {
  (args[0] as Experiment).logMetric(args[1] as string, args[2] as MetricValue);
  return args[2] as MetricValue;
}

function logParameter(args: unknown[]): JsonValue {
  (args[0] as Experiment).logParameter(args[1] as string, args[2]);
  return args[2] as JsonValue;
}

function addTag(args: unknown[]): string[] {
  const experiment = args[0] as Experiment;
  experiment.tag(args[2] as string | string[], args[1] as TagOptions);
  return [...experiment.tags];
}

function logArtifact(args: unknown[]): unknown {
  const [name, handler, options] = args[1] as [string, string, LogArtifactOptions];
  (args[0] as Experiment).logArtifact(name, args[2], handler, options);
  return args[2];
}

function loadArtifact(args: unknown[]): Promise<unknown> {
  return (args[0] as Experiment).loadArtifact(args[1] as string, args[2] as LoadArtifactOptions);
}

function createExperiment(args: unknown[]): Experiment {
  const [name, project, author] = args as [string, unknown, unknown];
  const open = project instanceof Project ? project : undefined;
  return new Experiment({
    name,
    project: open?.fpath ?? (project as string | undefined),
    author: (author as string | undefined) ?? open?.author,
  });
}

/** The context of an experiment logged by `project.log(...)` in one run. */
interface ExperimentContext {
  readonly project: Project;
  /** Completes when the experiment's logging streams are done: the core then appends it. */
  readonly done: Subject<void>;
  /** The core's `project.log(...)` promise: resolves once the experiment is appended. */
  readonly appended: Promise<Experiment>;
}

const contexts = new WeakMap<Experiment, ExperimentContext>();

/**
 * @internal Starts an experiment with the core's `project.log(name, body)`, whose body waits
 * for the context's subject: the core appends the experiment only when it completes.
 */
export function openExperiment(args: unknown[]): Experiment {
  const project = args[0] as Project;
  const name = args[1] as string;
  const done = new Subject<void>();
  let experiment: Experiment | undefined;
  const appended = project.log(name, (exp) => {
    experiment = exp;
    return lastValueFrom(done, { defaultValue: undefined });
  });
  const opened = experiment as unknown as Experiment;
  // The flow settles this log itself (or abandons it when a task fails): save() must not wait.
  project.releaseLog(opened);
  contexts.set(opened, { project, done, appended });
  return opened;
}

/**
 * @internal Appends an experiment, once the `forkJoin` over its logging streams has emitted:
 * one started by `project.log` is released (its subject completes, and the core appends it);
 * any other goes through `project.append`.
 */
export function appendExperiment(args: unknown[]): Promise<Experiment> {
  const project = args[0] as Project;
  const experiment = args[1] as Experiment;
  const context = contexts.get(experiment);
  if (context?.project === project) {
    context.done.complete();
    return context.appended;
  }
  return Promise.resolve(project.append(experiment));
}
