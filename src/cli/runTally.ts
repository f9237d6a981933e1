/**
 * The experiments of a run, followed through its task events: which experiments the flow logs
 * (one per `Append experiment` task), which are running, which succeeded and which failed and
 * why; and how many tasks are in each state. The flow's events are per task; this derives the
 * experiment-level view `lazyscribe run` shows from them and from the flow's graph.
 *
 * An experiment is found in the graph from its `Append experiment` task, whose task inputs are
 * the project and the experiment task (named as the experiment) and which then waits for the
 * tasks logged on the experiment. The tasks upstream of that append and of no other are the
 * experiment's own; their events carry the experiment's slug once it exists.
 *
 * @module
 */
import { type DashboardFlow, type DashboardTask, describe } from "../dashboard/flowView.js";
import type { DashboardTaskEvent } from "../dashboard/index.js";

/** A task event as `lazyscribe run` reads it: logging tasks say which experiment they log on. */
export interface RunEvent extends DashboardTaskEvent {
  /** The experiment a logging task logs on (name, and slug once it exists in the run). */
  readonly experiment?: { readonly name: string; readonly slug?: string };
}

/** Where an experiment is in the run. */
export type ExperimentStatus = "pending" | "running" | "succeeded" | "failed";

/** One experiment of the run. */
export interface ExperimentRun {
  /** Its position among the flow's experiments, from 1. */
  readonly position: number;
  /** Its name (the name of its experiment task). */
  readonly name: string;
  /** Its slug, once a task of it has said it. */
  readonly slug: string | undefined;
  /** Where it is. */
  readonly status: ExperimentStatus;
  /** Why it failed: the task that failed and its error, or why its append did not run. */
  readonly cause: string | undefined;
}

/** A task that failed or did not run and is not explained by a failed experiment. */
export interface TaskProblem {
  /** The task's name. */
  readonly name: string;
  /** `"failed"` or `"not run"`. */
  readonly state: "failed" | "not run";
  /** The error, or why the task did not run. */
  readonly detail: string;
}

interface MutableExperiment {
  position: number;
  name: string;
  slug: string | undefined;
  status: ExperimentStatus;
  cause: string | undefined;
}

const APPEND = "Append experiment";

/** The experiments and task counts of one run, kept up to date from its events. */
export class RunTally {
  readonly #flow: DashboardFlow;
  readonly #experiments: MutableExperiment[] = [];
  /** Each append, and each task upstream of one append only, to its experiment. */
  readonly #owner = new Map<DashboardTask, MutableExperiment>();
  readonly #append = new Map<DashboardTask, MutableExperiment>();
  readonly #experimentTask = new Map<DashboardTask, MutableExperiment>();
  /** Tasks whose failure or not running an experiment's failure already explains. */
  readonly #feedsAppends = new Set<DashboardTask>();
  readonly #errors = new Map<DashboardTask, string>();
  readonly #problems = new Map<DashboardTask, TaskProblem>();
  readonly #running = new Set<MutableExperiment>();
  #tasksSucceeded = 0;
  #tasksFailed = 0;
  #tasksNotRun = 0;
  #succeeded = 0;
  #failed = 0;

  constructor(flow: DashboardFlow) {
    this.#flow = flow;
    const appends = flow.tasks.filter((t) => t.name === APPEND);
    const uses = new Map<DashboardTask, number>();
    const upstreamOf = appends.map((append) => flow.upstreamTasks(append));
    for (const upstream of upstreamOf) {
      for (const task of upstream) uses.set(task, (uses.get(task) ?? 0) + 1);
    }
    appends.forEach((append, i) => {
      // An append's task inputs come first: the project, then the experiment (when it is a task).
      const [project, experimentTask, ...logged] = upstreamOf[i] ?? [];
      const own = [experimentTask, ...logged].filter(
        (task): task is DashboardTask =>
          task !== undefined && task !== project && uses.get(task) === 1,
      );
      const experiment: MutableExperiment = {
        position: i + 1,
        name: experimentTask?.name ?? `experiment ${i + 1}`,
        slug: undefined,
        status: "pending",
        cause: undefined,
      };
      this.#experiments.push(experiment);
      this.#append.set(append, experiment);
      for (const task of own) this.#owner.set(task, experiment);
      if (experimentTask !== undefined) this.#experimentTask.set(experimentTask, experiment);
    });
    this.#markFeeders(appends);
  }

  /** Marks every task the appends wait for, directly or not. */
  #markFeeders(appends: readonly DashboardTask[]): void {
    const stack = [...appends];
    while (stack.length > 0) {
      const task = stack.pop() as DashboardTask;
      for (const upstream of this.#flow.upstreamTasks(task)) {
        if (this.#feedsAppends.has(upstream)) continue;
        this.#feedsAppends.add(upstream);
        stack.push(upstream);
      }
    }
  }

  /**
   * Takes one event of the run; returns the experiment it finished, if it finished one (its
   * append succeeded, failed or was not run).
   */
  record(event: RunEvent): ExperimentRun | undefined {
    const task = event.task;
    const owner = this.#owner.get(task) ?? this.#append.get(task);
    if (owner !== undefined && owner.slug === undefined && event.experiment?.slug !== undefined) {
      owner.slug = event.experiment.slug;
    }
    switch (event.type) {
      case "started": {
        const experiment = this.#experimentTask.get(task);
        if (experiment !== undefined && experiment.status === "pending") {
          experiment.status = "running";
          this.#running.add(experiment);
        }
        return undefined;
      }
      case "succeeded":
        this.#tasksSucceeded++;
        return this.#finishExperiment(task, undefined);
      case "failed": {
        this.#tasksFailed++;
        const error = describe(event.error);
        this.#errors.set(task, error);
        if (!this.#append.has(task) && !this.#feedsAppends.has(task)) {
          this.#problems.set(task, { name: task.name, state: "failed", detail: error });
        }
        return this.#finishExperiment(task, `task "${task.name}" failed: ${error}`);
      }
      case "not-run": {
        this.#tasksNotRun++;
        const why = this.#whyNotRun(event);
        if (!this.#append.has(task) && !this.#feedsAppends.has(task)) {
          this.#problems.set(task, { name: task.name, state: "not run", detail: why });
        }
        return this.#finishExperiment(task, why);
      }
      default:
        return undefined;
    }
  }

  #whyNotRun(event: RunEvent): string {
    if (event.reason !== undefined) return `not run: ${event.reason}`;
    const upstream = event.upstream;
    if (upstream === undefined) return "not run: a task upstream failed";
    const error = this.#errors.get(upstream);
    return error === undefined
      ? `task "${upstream.name}" failed`
      : `task "${upstream.name}" failed: ${error}`;
  }

  /** Ends the experiment `task` appends, if it is an append: failed when `cause` is given. */
  #finishExperiment(task: DashboardTask, cause: string | undefined): ExperimentRun | undefined {
    const experiment = this.#append.get(task);
    if (experiment === undefined) return undefined;
    this.#running.delete(experiment);
    experiment.status = cause === undefined ? "succeeded" : "failed";
    experiment.cause = cause;
    if (cause === undefined) this.#succeeded++;
    else this.#failed++;
    return { ...experiment };
  }

  /** How many experiments the flow logs. */
  get total(): number {
    return this.#experiments.length;
  }

  /** How many experiments succeeded. */
  get succeeded(): number {
    return this.#succeeded;
  }

  /** How many experiments failed. */
  get failed(): number {
    return this.#failed;
  }

  /** How many experiments are over, either way. */
  get done(): number {
    return this.#succeeded + this.#failed;
  }

  /** The experiments running now, in the flow's order of them. */
  get running(): readonly ExperimentRun[] {
    return [...this.#running].sort((a, b) => a.position - b.position);
  }

  /** The failed experiments, in the flow's order of them. */
  get failures(): readonly ExperimentRun[] {
    return this.#experiments.filter((e) => e.status === "failed");
  }

  /**
   * The tasks that failed or did not run outside the experiments' own work: a save, a merge, a
   * task that runs after the experiments; a failure that kept an experiment from being
   * appended is that experiment's cause instead.
   */
  get taskProblems(): readonly TaskProblem[] {
    return [...this.#problems.values()];
  }

  /** How many tasks the flow has, and how many finished in each state. */
  get tasks(): { total: number; succeeded: number; failed: number; notRun: number } {
    return {
      total: this.#flow.tasks.length,
      succeeded: this.#tasksSucceeded,
      failed: this.#tasksFailed,
      notRun: this.#tasksNotRun,
    };
  }

  /** How many tasks have finished (succeeded, failed or not run). */
  get tasksDone(): number {
    return this.#tasksSucceeded + this.#tasksFailed + this.#tasksNotRun;
  }
}
