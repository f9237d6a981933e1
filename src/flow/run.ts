/**
 * Running a flow. In each run, every task is a cold observable made hot once: a `TaskStream`,
 * shared and replayed as `shareReplay()` makes it, so the task runs once however many tasks
 * depend on it. A task's run starts when its upstream is ready — each task input has given a
 * value, and each ordering-only upstream task has finished: the join `forkJoin` would make,
 * kept as one count per task (an append waits for its experiment's 30-odd logging streams,
 * `Save project` for every append, at no cost per edge). Then the task's function runs once
 * per set of input values, one call at a time, as `concatMap` would.
 *
 * A task whose function gives one value (not an Observable) after its inputs completed ends
 * with that value, so tasks downstream start on a finished stream and finish in turn: a run
 * holds the state of the tasks in flight, not of every task of the flow.
 *
 * @module
 */
import {
  asyncScheduler,
  combineLatest,
  isObservable,
  Observable,
  type SchedulerLike,
  type Subscription,
} from "rxjs";
import { FlowError } from "./errors.js";
import type { TaskRunEvent } from "./events.js";
import type { Flow } from "./flow.js";
import { EventReporter, type RunReporter } from "./reporter.js";
import { type StreamListener, TaskStream } from "./stream.js";
import { type ResolvedSpec, type RunScope, Task } from "./task.js";
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

/** What a task's stream errors with: the task that failed first (here or upstream). */
class Failure {
  constructor(
    readonly task: Task,
    readonly error: unknown,
  ) {}
}

const NONE: readonly Task[] = [];

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
    const tasks = flow.tasks;
    this.#remaining = tasks.length;
    this.#waiting = new Int32Array(tasks.length);
    this.#unattached = new Int32Array(tasks.length);
    const waiting = this.#waiting;
    const unattached = this.#unattached;
    for (const task of tasks) {
      const downstream = this.#downstream(task);
      unattached[task.id] = downstream.length;
      for (const down of downstream) waiting[down.id] = (waiting[down.id] as number) + 1;
    }
  }

  /** Starts the tasks that wait for nothing, in the order they were added. */
  start(): void {
    if (this.#remaining === 0) this.reporter.end();
    for (const task of this.#flow.tasks) {
      if (this.reporter.closed) return;
      if (this.#waiting[task.id] === 0) this.#begin(task);
    }
  }

  #begin(task: Task): void {
    this.#waiting[task.id] = -1;
    const taskRun = new TaskRun(this, task);
    this.runs[task.id] = taskRun;
    taskRun.start();
  }

  /** The tasks directly downstream of `task`, as an array (shared: do not change it). */
  #downstream(task: Task): readonly Task[] {
    const downstream = this.#flow.downstreamOf(task);
    if (downstream === undefined) return NONE;
    return downstream instanceof Task ? [downstream] : downstream;
  }

  /** `task` is ready for `down`; `down` starts when all its upstream tasks are. */
  #ready(down: Task): void {
    const waiting = (this.#waiting[down.id] as number) - 1;
    this.#waiting[down.id] = waiting;
    if (waiting === 0 && !this.reporter.closed) this.#begin(down);
  }

  /** `task` gave its first value: the tasks that take it as an input (only) may start. */
  valued(task: Task): void {
    for (const down of this.#downstream(task)) if (takesValue(down, task)) this.#ready(down);
  }

  /** `task` ended: the tasks that wait for it to finish (or got no value from it) may start. */
  ended(task: Task, hadValue: boolean): void {
    for (const down of this.#downstream(task)) {
      if (!hadValue || !takesValue(down, task)) this.#ready(down);
    }
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
    for (const taskRun of this.runs) taskRun?.stop();
  }
}

/** Whether `down` waits for `task`'s first value (an input) rather than for it to finish. */
function takesValue(down: Task, task: Task): boolean {
  const spec = down.spec as ResolvedSpec;
  return spec.inputs.includes(task) && !spec.upstream.includes(task);
}

/** How a task's input values arrive: as its argument list, from one source, or combined. */
const ARGS = 0;
const ONE = 1;
const MANY = 2;

const STARTED = 1;
const DONE = 2;
const BUSY = 4;
const INPUTS_DONE = 8;

/**
 * One task in one run, and its stream: takes its inputs, calls its function (one call at a
 * time, retried as the task says), reports, and fills its stream.
 */
class TaskRun extends TaskStream implements StreamListener {
  readonly #run: Run;
  readonly #task: Task;
  #flags = 0;
  #mode = ARGS;
  #slot = 0;
  #slots: number[] | undefined;
  #attempt = 0;
  #queue: unknown[][] | undefined;
  #inputs: Subscription | undefined;
  #call: Subscription | undefined;

  constructor(run: Run, task: Task) {
    super();
    this.#run = run;
    this.#task = task;
  }

  get #spec(): ResolvedSpec {
    return this.#task.spec as ResolvedSpec;
  }

  /** Its upstream is ready: checks the ordering-only upstream, then takes the inputs. */
  start(): void {
    const spec = this.#spec;
    const runs = this.#run.runs;
    let failed: Failure | undefined;
    if (spec.trigger !== "all-finished") {
      for (const up of spec.upstream) {
        const failure = runs[up.id]?.failure;
        if (failure instanceof Failure) {
          failed = failure;
          break;
        }
      }
    }
    const source = failed === undefined ? this.#inputs$() : undefined;
    this.#attach(spec);
    if (failed !== undefined) {
      this.#fail(failed);
    } else if (this.#mode === ARGS) {
      this.#flags |= INPUTS_DONE;
      this.next(spec.inputs);
      if (!(this.#flags & BUSY)) this.#settle();
    } else if (source instanceof TaskStream) {
      source.listen(this);
    } else {
      this.#inputs = source?.subscribe(this);
    }
  }

  /** Tells the run this task took its place downstream of each of its upstream tasks. */
  #attach(spec: ResolvedSpec): void {
    const inputs = spec.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task && inputs.indexOf(input) === i) this.#run.attached(input);
    }
    for (const up of spec.upstream) if (!inputs.includes(up)) this.#run.attached(up);
  }

  /** The inputs' values as the mode delivers them; sets the mode. */
  #inputs$(): Observable<unknown> | undefined {
    const inputs = this.#spec.inputs;
    let first: Observable<unknown> | undefined;
    let sources: Observable<unknown>[] | undefined;
    for (let index = 0; index < inputs.length; index++) {
      const input = inputs[index];
      let source: Observable<unknown>;
      if (input instanceof Task) source = this.#run.runs[input.id] as TaskRun;
      else if (isObservable(input)) source = input;
      else continue;
      if (first === undefined) {
        first = source;
        this.#slot = index;
      } else if (sources === undefined) {
        sources = [first, source];
        this.#slots = [this.#slot, index];
      } else {
        sources.push(source);
        this.#slots?.push(index);
      }
    }
    if (first === undefined) return undefined;
    this.#mode = sources === undefined ? ONE : MANY;
    return sources === undefined ? first : combineLatest(sources);
  }

  /** A set of input values arrived: call the function now, or after the current call. */
  next(data: unknown): void {
    if (this.#flags & DONE) return;
    const args = this.#args(data);
    if (!(this.#flags & BUSY)) this.#invoke(args);
    else if (this.#queue === undefined) this.#queue = [args];
    else this.#queue.push(args);
  }

  /** An input failed: this task is not run (or fails, if it had started). */
  error(error: unknown): void {
    this.#fail(error);
  }

  /** Every input has completed. */
  complete(): void {
    this.#flags |= INPUTS_DONE;
    if (!(this.#flags & BUSY)) this.#settle();
  }

  /** @internal As the listener of its one input task's stream. */
  onValue(value: unknown, final: boolean): void {
    if (final) this.#flags |= INPUTS_DONE;
    this.next(value);
  }

  /** @internal As the listener of its one input task's stream. */
  onError(error: unknown): void {
    this.#fail(error);
  }

  /** @internal As the listener of its one input task's stream. */
  onComplete(): void {
    this.complete();
  }

  #args(data: unknown): unknown[] {
    if (this.#mode === ARGS) return data as unknown[];
    const args = this.#spec.inputs.slice();
    if (this.#mode === ONE) {
      args[this.#slot] = data;
    } else {
      const slots = this.#slots as number[];
      const values = data as unknown[];
      for (let i = 0; i < slots.length; i++) args[slots[i] as number] = values[i];
    }
    return args;
  }

  #invoke(args: unknown[]): void {
    if (!(this.#flags & STARTED)) {
      this.#flags |= STARTED;
      this.#run.reporter.started(this.#task);
    }
    this.#flags |= BUSY;
    this.#attempt = 0;
    this.#call$(args);
  }

  /** One attempt: the function's value, promise or Observable. */
  #call$(args: unknown[]): void {
    let result: unknown;
    try {
      result = this.#spec.run(args, this.#run.scope);
    } catch (error) {
      this.#attemptFailed(error, args);
      return;
    }
    if (isObservable(result)) {
      this.#call = result.subscribe({
        next: (value) => this.#value(value),
        error: (error: unknown) => this.#attemptFailed(error, args),
        complete: () => this.#callDone(),
      });
    } else if (isPromiseLike(result)) {
      result.then(
        (value) => this.#single(value),
        (error: unknown) => this.#attemptFailed(error, args),
      );
    } else {
      this.#single(result);
    }
  }

  /** The one value of a call: the last of the task, if no more input can come. */
  #single(value: unknown): void {
    if (this.#flags & DONE) return;
    if (!(this.#flags & INPUTS_DONE) || this.#queue?.length) {
      this.#value(value);
      this.#callDone();
      return;
    }
    this.stop();
    const task = this.#task;
    const first = this.count === 0;
    this.#run.reporter.value(task, value);
    this.#run.reporter.succeeded(task, value);
    this.emit(value, true);
    if (first) this.#run.valued(task);
    this.#run.ended(task, true);
    this.#run.finished(task);
  }

  #value(value: unknown): void {
    if (this.#flags & DONE) return;
    const first = this.count === 0;
    this.#run.reporter.value(this.#task, value);
    this.emit(value);
    if (first) this.#run.valued(this.#task);
  }

  #callDone(): void {
    if (this.#flags & DONE) return;
    this.#call = undefined;
    const next = this.#queue?.shift();
    if (next !== undefined) {
      this.#invoke(next);
      return;
    }
    this.#flags &= ~BUSY;
    if (this.#flags & INPUTS_DONE) this.#settle();
  }

  #attemptFailed(error: unknown, args: unknown[]): void {
    if (this.#flags & DONE) return;
    if (this.#attempt >= this.#spec.retries) {
      this.#fail(error);
      return;
    }
    this.#attempt += 1;
    this.#run.reporter.retrying(this.#task, this.#attempt, error);
    const delay = this.#spec.retryDelay;
    const scheduler = this.#run.scope.scheduler;
    if (delay === 0 && scheduler === undefined) this.#call$(args);
    else this.#call = (scheduler ?? asyncScheduler).schedule(() => this.#call$(args), delay);
  }

  /** No more input and no call running: the task succeeded (or never got a value). */
  #settle(): void {
    if (this.#flags & DONE) return;
    if (!(this.#flags & STARTED)) {
      this.#fail(new FlowError(`task "${this.#task.name}" got no value: an input completed empty`));
      return;
    }
    this.stop();
    const task = this.#task;
    this.#run.reporter.succeeded(task, this.last);
    this.end();
    this.#run.ended(task, this.count > 0);
    this.#run.finished(task);
  }

  #fail(error: unknown): void {
    if (this.#flags & DONE) return;
    this.stop();
    const task = this.#task;
    if (error instanceof Failure && !(this.#flags & STARTED)) {
      this.#run.reporter.notRun(task, error.task);
      this.endWithError(error);
    } else {
      const own =
        error instanceof Failure
          ? new FlowError(
              `task "${error.task.name}", an input of "${task.name}", failed while "${task.name}" was running`,
              { cause: error.error },
            )
          : error;
      this.#run.reporter.failed(task, own);
      this.endWithError(new Failure(task, own));
    }
    this.#run.ended(task, this.count > 0);
    this.#run.finished(task);
  }

  /** Stops: unsubscribes from the inputs and from a running call. */
  stop(): void {
    this.#flags |= DONE;
    this.#queue = undefined;
    this.#inputs?.unsubscribe();
    this.#call?.unsubscribe();
    this.#inputs = undefined;
    this.#call = undefined;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
