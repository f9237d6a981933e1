/**
 * `LazyProject`: a project as tasks, the flow counterpart of `Project` (the Prefect
 * integration's `LazyProject`).
 *
 * @module
 */

import { map, type Observable } from "rxjs";
import type { Experiment, Project, ProjectMode, StorageOptions, Tabular } from "../index.js";
import { Project as CoreProject } from "../index.js";
import { Body } from "./body.js";
import { requireFlow } from "./context.js";
import { LazyExperiment } from "./lazyExperiment.js";
import { definedOnly } from "./options.js";
import type { RunContext } from "./run.js";
import { runBody } from "./scope.js";
import type { SpecInit, Work } from "./spec.js";
import { addTask, type Input, Task, type TaskNode } from "./task.js";
import { checkTrigger, type Trigger } from "./trigger.js";

/** The name of the task that opens a project. */
export const OPEN_PROJECT = "Open project";

/** Options of a {@link LazyProject}: those of `Project.open`, each one an {@link Input}. */
export interface LazyProjectOptions {
  /** The project file: a path or a URL (default `"project.json"`); often a `Parameter`. */
  readonly fpath?: Input<string>;
  /** How to open it (default `"w"`, as the Python integration: saving replaces the file). */
  readonly mode?: Input<ProjectMode>;
  /** The author of new experiments (default: the OS user name). */
  readonly author?: Input<string>;
  /** Options for the storage backend. */
  readonly storageOptions?: Input<StorageOptions>;
}

/** Options of `save()`, `merge()` and `toTabular()`. */
export interface AfterAppendsOptions {
  /**
   * When it runs with respect to the `Append experiment` tasks it waits for. Default
   * `"any-successful"`: once they have all finished, if at least one succeeded, so that a run
   * in which no experiment could be appended writes nothing; `"all-successful"` is Prefect's
   * strict behaviour (no save if any append failed).
   */
  readonly trigger?: Trigger;
}

/**
 * A project as a task: its result is a `Project`. `new LazyProject(options)` is a template;
 * in a builder, `bind(options)` adds the `Open project` task, which opens (or creates) the
 * project, and returns the bound project whose methods add the other tasks.
 *
 * @example
 * ```ts
 * const initProject = new LazyProject({ fpath: "project.json", author: "alice" });
 * const flow = new Flow("My experiment logging", () => {
 *   const project = initProject.bind();
 *   project.log("My experiment", (exp) => exp.logMetric("build_time", "10M"));
 *   project.save();
 * });
 * ```
 */
export class LazyProject extends Task<Project> {
  /** The options this project was made (or bound) with. */
  readonly options: LazyProjectOptions;

  /** A template: nothing is opened until a flow that binds it runs. */
  constructor(options: LazyProjectOptions = {}, node?: TaskNode) {
    super(OPEN_PROJECT, node);
    this.options = options;
  }

  /**
   * Adds the `Open project` task (`Project.open$(fpath, { mode, author, storageOptions })`:
   * synchronous on `memory://`, so the run stays in virtual time in `TestScheduler.run()`).
   * These options override the constructor's; each may be a value, a `Parameter` or a task.
   *
   * @throws FlowContextError outside a builder.
   */
  bind(options: LazyProjectOptions = {}): LazyProject {
    const merged = { ...this.options, ...definedOnly(options) };
    return addTask(
      "LazyProject.bind()",
      {
        name: OPEN_PROJECT,
        inputs: [
          merged.fpath ?? "project.json",
          merged.mode ?? "w",
          merged.author,
          merged.storageOptions,
        ],
        work: openProject,
      },
      (node) => new LazyProject(merged, node).#withBody(),
    );
  }

  /** Gives this project's task a body: its experiments are folded into it (see `body.ts`). */
  #withBody(): this {
    this.owns = new Body(this);
    return this;
  }

  /**
   * Logs an experiment: adds its task (named `name`), gives it to `body`, and when `body`
   * returns, adds `Append experiment`, which runs when a `forkJoin` over the streams of every
   * task directly downstream of the experiment emits. The core's `project.start(name)` makes
   * the experiment; `project.append` adds it to the project only if all of them succeed.
   *
   * @returns the experiment's task.
   */
  log(name: string, body: (experiment: LazyExperiment) => void): LazyExperiment {
    const experiment = addTask(
      `project.log("${name}")`,
      {
        name,
        inputs: [this, name],
        bookkeeping: true,
        body: this.owns,
        work: openExperimentTask,
      },
      (node) => new LazyExperiment({ name, project: this }, node),
    ).withBody();
    // The experiment's context: once the body returns, it gives the tasks logged on the
    // experiment, and the append is recorded then, waiting for every one of them.
    experiment.openContext().subscribe((logged) => this.#append(experiment, logged));
    runBody(experiment, body);
    experiment.closeContext();
    return experiment;
  }

  /**
   * Adds an `Append experiment` task (`project.append(experiment)`). When `experiment` is a
   * task, every task directly downstream of it so far runs first.
   */
  append(experiment: Input<Experiment>): Task<Experiment> {
    const upstream =
      experiment instanceof Task ? requireFlow("project.append()").downstreamTasks(experiment) : [];
    return this.#append(experiment, upstream);
  }

  #append(experiment: Input<Experiment>, upstream: readonly Task<unknown>[]): Task<Experiment> {
    return addTask("project.append()", {
      name: "Append experiment",
      inputs: [this, experiment],
      upstream,
      bookkeeping: true,
      body: experiment instanceof LazyExperiment ? experiment.owns : undefined,
      work: appendExperimentTask,
    });
  }

  /**
   * Adds a `Save project` task (`project.save$({ signal })`), chained with `concatMap` after
   * the join of every `Append experiment` of the flow so far, as its trigger says (default
   * `"any-successful"`: it saves the experiments that were appended, even if another one
   * failed, and writes nothing when none could be). Saves of one project never overlap: each
   * waits for the saves recorded before it. Its result is the project.
   *
   * @throws FlowError for an unknown trigger.
   */
  save(options: AfterAppendsOptions = {}): Task<Project> {
    const what = "project.save()";
    return addTask(what, this.#afterAppends(what, "Save project", [], options, saveProject));
  }

  /**
   * Adds a `Merge projects` task (`project.merge(...others)`), after every `Append experiment`
   * of the flow so far. Returns the merged project, whose methods add tasks as this one's do.
   */
  merge(...others: Input<Project>[]): LazyProject {
    const what = "project.merge()";
    return addTask(
      what,
      this.#afterAppends(what, "Merge projects", others, {}, ([project, ...rest]) =>
        project.merge(...rest),
      ),
      (node) => new LazyProject(this.options, node).#withBody(),
    );
  }

  /**
   * Adds a `Create tabular data` task (`project.toTabular()`), after every `Append experiment`,
   * as its trigger says (default `"any-successful"`).
   */
  toTabular(options: AfterAppendsOptions = {}): Task<Tabular> {
    const what = "project.toTabular()";
    return addTask(
      what,
      this.#afterAppends(what, "Create tabular data", [], options, ([project]) =>
        project.toTabular(),
      ),
    );
  }

  /** The spec of a task on this project and `others` that waits for every `Append experiment`. */
  #afterAppends<R>(
    what: string,
    name: string,
    others: readonly Input<Project>[],
    options: AfterAppendsOptions,
    work: Work<readonly [Project, ...Project[]], R>,
  ): SpecInit<readonly [Project, ...Project[]], R> {
    checkTrigger(options.trigger, what);
    return {
      name,
      inputs: [this, ...others],
      upstream: requireFlow(what).getTasks({ name: "Append experiment" }),
      trigger: options.trigger ?? "any-successful",
      work,
    };
  }
}

/** Starts the experiment in its project (`project.start(name)`); its append comes later. */
function openExperimentTask(args: readonly [project: Project, name: string]): Experiment {
  return args[0].start(args[1]);
}

function appendExperimentTask(args: readonly [project: Project, experiment: Experiment]) {
  return args[0].append(args[1]);
}

function openProject(
  [fpath, mode, author, storageOptions]: readonly [
    string,
    ProjectMode,
    string | undefined,
    StorageOptions | undefined,
  ],
  context: RunContext,
): Observable<Project> {
  return context.io(
    CoreProject.open$(fpath, { mode, author, storageOptions, signal: context.signal }),
  );
}

/** Saves `project` once the saves of it before this one (in this run) have finished. */
function saveProject([project]: readonly [Project, ...Project[]], context: RunContext) {
  return context.inOrder(
    project,
    context.io(project.save$({ signal: context.signal })).pipe(map(() => project)),
  );
}
