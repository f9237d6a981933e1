/**
 * Running a flow. In each run, every task is a cold observable made hot once: a `TaskStream`,
 * shared and replayed as `shareReplay()` makes it, so the task runs once however many tasks
 * depend on it.
 *
 * An ordinary task starts when each of its task inputs has given a value (one count per task,
 * no subscription per edge); its function then runs once per set of input values, one call at
 * a time, as `concatMap` would.
 *
 * A task with ordering-only upstream tasks is gated by RxJS itself. It starts once its inputs
 * have a value and the streams of those upstream tasks exist (each has started), and joins
 * those streams:
 * - `Append experiment` (and `Append test`): with `forkJoin` over the experiment's logging
 *   streams (every task directly downstream of it). When it emits, the append takes its inputs
 *   and runs: it completes the experiment context's subject, on which the core's `project.log`
 *   appends the experiment. If a logging stream fails, the `forkJoin` errors and the append is
 *   not run; as `forkJoin` does, one that completes without a value ends the join empty, and
 *   the append fails, having got no value.
 * - `Save project` (and `Merge projects`, `Create tabular data`): with `forkJoin` over the end
 *   of every append (`stream.settled()`, whatever its outcome), after which the save is chained
 *   with `concatMap`: `join$.pipe(concatMap(() => inputs$))`. Over more than 1024 appends,
 *   the `forkJoin` is one of `forkJoin`s over groups of them, which keeps it linear in their
 *   number (see `join.ts`).
 *
 * A task whose function gives one value (not an Observable) after its inputs completed ends
 * with that value, so tasks downstream start on a finished stream and finish in turn (a
 * `forkJoin` over finished streams takes their values at once, with no listener): a run holds
 * the state of the tasks in flight, not of every task of the flow. Each run copies the edge
 * counts its flow kept while recording (`counts.ts`) rather than walk the graph again.
 *
 * @module
 */
import { Observable, type SchedulerLike } from "rxjs";
import { FlowError } from "./errors.js";
import type { TaskRunEvent } from "./events.js";
import type { Flow } from "./flow.js";
import { EventReporter, type RunReporter } from "./reporter.js";
import { type ResolvedSpec, type RunScope, Task } from "./task.js";
import { TaskRun } from "./taskRun.js";
import { holdVirtualTime, isVirtualTime } from "./virtualTime.js";

/** Options of `flow.run()` and `flow.run$()`. */
export interface RunOptions {
  /** The values of the flow's parameters, by name. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /**
   * The scheduler for event times and retry delays. A virtual-time scheduler (RxJS's
   * `TestScheduler`) is driven by the run itself: marble-test a flow with it.
   */
  readonly scheduler?: SchedulerLike;
}

/** @internal The run of `flow` as a cold Observable of task-run events. */
export function runFlow(flow: Flow, options: RunOptions): Observable<TaskRunEvent> {
  return new Observable<TaskRunEvent>((subscriber) =>
    startRun(flow, options, new EventReporter(subscriber, clock(options.scheduler))),
  );
}

/** @internal What a run's events take as their time. */
export function clock(scheduler: SchedulerLike | undefined): () => number {
  return scheduler === undefined ? Date.now : () => scheduler.now();
}

/**
 * @internal Starts a run of `flow` that reports to `reporter`; returns what stops it.
 *
 * @throws FlowError for a missing or unknown parameter.
 */
export function startRun(flow: Flow, options: RunOptions, reporter: RunReporter): () => void {
  const scheduler = options.scheduler;
  const parameters = resolveParameters(flow, options.parameters ?? {});
  const run = new Run(flow, parameters, scheduler, reporter);
  const release = isVirtualTime(scheduler) ? holdVirtualTime(scheduler) : undefined;
  run.start();
  return () => {
    run.stop();
    release?.();
  };
}

function resolveParameters(flow: Flow, given: Readonly<Record<string, unknown>>) {
  const values = new Map<string, unknown>();
  const known = flow.parameters;
  for (const name of Object.keys(given)) {
    if (!known.some((p) => p.name === name)) {
      const names = known.map((p) => `"${p.name}"`).join(", ") || "none";
      throw new FlowError(
        `flow "${flow.name}" has no parameter "${name}" (its parameters: ${names})`,
      );
    }
  }
  for (const parameter of known) {
    if (Object.hasOwn(given, parameter.name)) {
      values.set(parameter.name, given[parameter.name]);
    } else if (parameter.hasDefault) {
      values.set(parameter.name, parameter.default);
    } else {
      throw new FlowError(
        `flow "${flow.name}" needs parameter "${parameter.name}": run({ parameters: { "${parameter.name}": ... } })`,
      );
    }
  }
  return values;
}

/** @internal One run of a flow: each task's run and stream, and where reports go. */
export class Run {
  /** Each started task's run (and stream), by task id; dropped once it is no longer needed. */
  readonly runs: (TaskRun | undefined)[] = [];
  readonly scope: RunScope;
  readonly reporter: RunReporter;
  readonly #flow: Flow;
  /** Per task id: how many of its upstream tasks are not ready yet. */
  readonly #waiting: Int32Array;
  /** Per task id: how many of its downstream tasks have not started yet. */
  readonly #unattached: Int32Array;
  /** Per task id: whether joins wait for it: on none, some or all of its downstream edges. */
  readonly #joined: Uint8Array;
  #remaining: number;

  constructor(
    flow: Flow,
    parameters: ReadonlyMap<string, unknown>,
    scheduler: SchedulerLike | undefined,
    reporter: RunReporter,
  ) {
    this.#flow = flow;
    this.reporter = reporter;
    this.scope = { parameter: (name) => parameters.get(name), scheduler };
    const counts = flow.counts;
    const length = flow.tasks.length;
    this.#remaining = length;
    this.#waiting = new Int32Array(counts.upstream);
    this.#unattached = new Int32Array(counts.downstream);
    this.#joined = new Uint8Array(length);
    for (let id = 0; id < length; id++) {
      this.runs.push(undefined); // packed from the start: tasks start in any order
      const joins = counts.joins[id] as number;
      const edges = counts.downstream[id] as number;
      this.#joined[id] = joins === 0 ? NO_JOIN : joins < edges ? SOME : ALL;
    }
  }

  /** Starts the tasks that wait for nothing, in the order they were added. */
  start(): void {
    if (this.#remaining === 0) this.reporter.end();
    const tasks = this.#flow.tasks;
    for (let id = 0; id < tasks.length; id++) {
      if (this.reporter.closed) return;
      if (this.#waiting[id] === 0) this.#begin(tasks[id] as Task);
    }
  }

  #begin(task: Task): void {
    this.#waiting[task.id] = -1;
    const taskRun = new TaskRun(this, task);
    this.runs[task.id] = taskRun;
    taskRun.start();
    // Its stream exists: the joins that wait for it may subscribe to it.
    const joined = this.#joined[task.id];
    if (joined === ALL) this.#eachDownstream(task, readyAlways);
    else if (joined === SOME) this.#eachDownstream(task, readyIfJoins);
  }

  /** Calls `visit` for each task directly downstream of `task` (no array for a lone one). */
  #eachDownstream(task: Task, visit: (run: Run, down: Task, task: Task) => void): void {
    const downstream = this.#flow.downstreamOf(task);
    if (downstream instanceof Task) visit(this, downstream, task);
    else if (downstream !== undefined) {
      for (let i = 0; i < downstream.length; i++) visit(this, downstream[i] as Task, task);
    }
  }

  /** `task` is ready for `down`; `down` starts when all its upstream tasks are. */
  ready(down: Task): void {
    const waiting = (this.#waiting[down.id] as number) - 1;
    this.#waiting[down.id] = waiting;
    if (waiting === 0 && !this.reporter.closed) this.#begin(down);
  }

  /** `task` gave its first value: the tasks that take it as an input may start. */
  valued(task: Task): void {
    const joined = this.#joined[task.id];
    if (joined === NO_JOIN) this.#eachDownstream(task, readyAlways);
    else if (joined === SOME) this.#eachDownstream(task, readyIfInput);
  }

  /**
   * `task` ended. Without a value, the tasks that take it as an input may start (and fail for
   * it); with one, they already have, and the joins that wait for it subscribed at its start.
   */
  ended(task: Task, hadValue: boolean): void {
    if (!hadValue) this.valued(task);
  }

  /** A task downstream of `task` started (and holds its stream if it needs it). */
  attached(task: Task): void {
    const unattached = (this.#unattached[task.id] as number) - 1;
    this.#unattached[task.id] = unattached;
    if (unattached === 0 && this.runs[task.id]?.ended) this.runs[task.id] = undefined;
  }

  /** Called once by each task when it has finished, whatever the outcome. */
  finished(task: Task): void {
    if (this.#unattached[task.id] === 0) this.runs[task.id] = undefined;
    this.#remaining -= 1;
    if (this.#remaining === 0) this.reporter.end();
  }

  /** Stops every task still running (the run was unsubscribed or has ended). */
  stop(): void {
    const runs = this.runs;
    for (let id = 0; id < runs.length; id++) runs[id]?.stop();
  }
}

/** How many of a task's downstream edges are joins (ordering-only upstream) of the task below. */
const NO_JOIN = 0;
const SOME = 1;
const ALL = 2;

/** Whether `down` joins `task` (an ordering-only upstream task) rather than taking its value. */
function joins(down: Task, task: Task): boolean {
  return (down.spec as ResolvedSpec).upstream.includes(task);
}

function readyIfInput(run: Run, down: Task, task: Task): void {
  if (!joins(down, task)) run.ready(down);
}

function readyIfJoins(run: Run, down: Task, task: Task): void {
  if (joins(down, task)) run.ready(down);
}

function readyAlways(run: Run, down: Task): void {
  run.ready(down);
}
