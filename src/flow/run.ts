/**
 * Running a flow. Each run gives every task a `TaskStream` (the task's shared, replayed
 * stream, as `shareReplay()` makes: it runs once however many tasks depend on it) and subscribes the task to its inputs
 * in dependency order. A task with ordering-only upstream tasks (`Append experiment`,
 * `Save project`) first joins them with `forkJoin`, then (`concatMap`) subscribes to its inputs.
 * The function runs once per set of input values, one call at a time, as `concatMap` would.
 *
 * @module
 */
import {
  asyncScheduler,
  combineLatest,
  concatMap,
  forkJoin,
  isObservable,
  Observable,
  of,
  type SchedulerLike,
  type Subscription,
} from "rxjs";
import { FlowError } from "./errors.js";
import type { TaskRunEvent } from "./events.js";
import type { Flow } from "./flow.js";
import { EventReporter, type RunReporter } from "./reporter.js";
import { type StreamListener, TaskStream } from "./stream.js";
import { type RunScope, Task, type TaskSpec } from "./task.js";
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

/** @internal One run of a flow: each task's stream, and where reports go. */
export class Run {
  /** Each task's shared stream, by task id. */
  readonly streams: TaskStream[] = [];
  readonly scope: RunScope;
  readonly reporter: RunReporter;
  readonly #flow: Flow;
  /** The task runs not finished yet, by task id. */
  readonly #tasks: (TaskRun | undefined)[] = [];
  #remaining: number;

  constructor(
    flow: Flow,
    parameters: ReadonlyMap<string, unknown>,
    scheduler: SchedulerLike | undefined,
    reporter: RunReporter,
  ) {
    this.#flow = flow;
    this.reporter = reporter;
    this.#remaining = flow.tasks.length;
    this.scope = { parameter: (name) => parameters.get(name), scheduler };
  }

  /** Starts every task, in dependency order. */
  start(): void {
    if (this.#remaining === 0) this.reporter.end();
    for (const task of this.#flow.tasks) {
      if (this.reporter.closed) return;
      const stream = new TaskStream();
      this.streams[task.id] = stream;
      const taskRun = new TaskRun(this, task, task.spec as TaskSpec, stream);
      this.#tasks[task.id] = taskRun;
      taskRun.start();
    }
  }

  /** Called once by each task when it has finished, whatever the outcome. */
  finished(task: Task): void {
    this.#tasks[task.id] = undefined;
    this.#remaining -= 1;
    if (this.#remaining === 0) this.reporter.end();
  }

  /** Stops every task still running (the run was unsubscribed or has ended). */
  stop(): void {
    for (const taskRun of this.#tasks) taskRun?.stop();
  }
}

/** How a task's input values arrive: as its argument list, from one task, or combined. */
type InputMode = "args" | "one" | "many";

/** One task in one run: takes its inputs, calls its function, reports, fills its stream. */
class TaskRun implements StreamListener {
  readonly #run: Run;
  readonly #task: Task;
  readonly #spec: TaskSpec;
  readonly #stream: TaskStream;
  #mode: InputMode = "args";
  #slot = 0;
  #slots: number[] | undefined;
  #started = false;
  #done = false;
  #busy = false;
  #inputsDone = false;
  #attempt = 0;
  #last: unknown;
  #queue: unknown[][] | undefined;
  #inputs: Subscription | undefined;
  #call: Subscription | undefined;

  constructor(run: Run, task: Task, spec: TaskSpec, stream: TaskStream) {
    this.#run = run;
    this.#task = task;
    this.#spec = spec;
    this.#stream = stream;
  }

  /** Subscribes to the inputs (after the ordering-only upstream, when there is any). */
  start(): void {
    const sources = this.#sources();
    const upstream = this.#spec.upstream ?? NONE;
    if (upstream.length > 0) {
      const data$ = sources.length === 0 ? of(this.#spec.inputs) : this.#combine(sources);
      this.#inputs = joinAll(upstream.map((t) => this.#finished(t)))
        .pipe(concatMap(() => data$))
        .subscribe(this);
    } else if (sources.length === 0) {
      this.next(this.#spec.inputs);
      this.complete();
    } else if (sources.length === 1 && sources[0] instanceof TaskStream) {
      sources[0].listen(this);
    } else {
      this.#inputs = this.#combine(sources).subscribe(this);
    }
  }

  /** The inputs that give values over time (tasks' streams and Observables); sets the mode. */
  #sources(): Observable<unknown>[] {
    const sources: Observable<unknown>[] = [];
    const inputs = this.#spec.inputs;
    for (let index = 0; index < inputs.length; index++) {
      const input = inputs[index];
      if (input instanceof Task) sources.push(this.#run.streams[input.id] as TaskStream);
      else if (isObservable(input)) sources.push(input);
      else continue;
      if (sources.length === 1) this.#slot = index;
      else if (this.#slots === undefined) this.#slots = [this.#slot, index];
      else this.#slots.push(index);
    }
    if (sources.length > 0) this.#mode = sources.length === 1 ? "one" : "many";
    return sources;
  }

  #combine(sources: Observable<unknown>[]): Observable<unknown> {
    return sources.length === 1 ? (sources[0] as Observable<unknown>) : combineLatest(sources);
  }

  /** An upstream task's stream, as one value when it has finished (as the trigger wants). */
  #finished(task: Task): Observable<unknown> {
    const stream = this.#run.streams[task.id] as TaskStream;
    return stream.finished(this.#spec.trigger === "all-finished");
  }

  /** A set of input values arrived: call the function now, or after the current call. */
  next(data: unknown): void {
    if (this.#done) return;
    const args = this.#args(data);
    if (!this.#busy) this.#invoke(args);
    else if (this.#queue === undefined) this.#queue = [args];
    else this.#queue.push(args);
  }

  /** An input failed: this task is not run (or fails, if it had started). */
  error(error: unknown): void {
    this.#fail(error);
  }

  /** Every input has completed. */
  complete(): void {
    this.#inputsDone = true;
    if (!this.#busy) this.#settle();
  }

  /** @internal As a listener of one upstream task's stream. */
  onValue(value: unknown): void {
    this.next(value);
  }

  /** @internal As a listener of one upstream task's stream. */
  onError(error: unknown): void {
    this.#fail(error);
  }

  /** @internal As a listener of one upstream task's stream. */
  onComplete(): void {
    this.complete();
  }

  #args(data: unknown): unknown[] {
    if (this.#mode === "args") return data as unknown[];
    const args = this.#spec.inputs.slice();
    if (this.#mode === "one") args[this.#slot] = data;
    else {
      const slots = this.#slots as number[];
      const values = data as unknown[];
      for (let i = 0; i < slots.length; i++) args[slots[i] as number] = values[i];
    }
    return args;
  }

  #invoke(args: unknown[]): void {
    if (!this.#started) {
      this.#started = true;
      this.#run.reporter.started(this.#task);
    }
    this.#busy = true;
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
        (value) => {
          this.#value(value);
          this.#callDone();
        },
        (error: unknown) => this.#attemptFailed(error, args),
      );
    } else {
      this.#value(result);
      this.#callDone();
    }
  }

  #value(value: unknown): void {
    if (this.#done) return;
    this.#last = value;
    this.#run.reporter.value(this.#task, value);
    this.#stream.next(value);
  }

  #callDone(): void {
    if (this.#done) return;
    this.#call = undefined;
    const next = this.#queue?.shift();
    if (next !== undefined) this.#invoke(next);
    else {
      this.#busy = false;
      if (this.#inputsDone) this.#settle();
    }
  }

  #attemptFailed(error: unknown, args: unknown[]): void {
    if (this.#done) return;
    const retries = this.#spec.retries ?? 0;
    if (this.#attempt >= retries) {
      this.#fail(error);
      return;
    }
    this.#attempt += 1;
    this.#run.reporter.retrying(this.#task, this.#attempt, error);
    const delay = this.#spec.retryDelay ?? 0;
    const scheduler = this.#run.scope.scheduler;
    if (delay === 0 && scheduler === undefined) this.#call$(args);
    else this.#call = (scheduler ?? asyncScheduler).schedule(() => this.#call$(args), delay);
  }

  /** No more input and no call running: the task succeeded (or never got a value). */
  #settle(): void {
    if (this.#done) return;
    if (!this.#started) {
      this.#fail(new FlowError(`task "${this.#task.name}" got no value: an input completed empty`));
      return;
    }
    this.#finish();
    this.#run.reporter.succeeded(this.#task, this.#last);
    this.#stream.complete();
    this.#run.finished(this.#task);
  }

  #fail(error: unknown): void {
    if (this.#done) return;
    this.#finish();
    const task = this.#task;
    if (error instanceof Failure && !this.#started) {
      this.#run.reporter.notRun(task, error.task);
      this.#stream.error(error);
    } else {
      const own =
        error instanceof Failure
          ? new FlowError(
              `task "${error.task.name}", an input of "${task.name}", failed while "${task.name}" was running`,
              { cause: error.error },
            )
          : error;
      this.#run.reporter.failed(task, own);
      this.#stream.error(new Failure(task, own));
    }
    this.#run.finished(task);
  }

  #finish(): void {
    this.#done = true;
    this.#queue = undefined;
    this.stop();
  }

  /** Unsubscribes from the inputs and from a running call. */
  stop(): void {
    this.#done = true;
    this.#inputs?.unsubscribe();
    this.#call?.unsubscribe();
    this.#inputs = undefined;
    this.#call = undefined;
  }
}

/** Largest number of sources one `forkJoin` of {@link joinAll} takes. */
const JOIN_WIDTH = 256;

/**
 * `forkJoin(sources)`, nested in groups of at most {@link JOIN_WIDTH} sources: one `forkJoin`
 * over 10^5 sources (a save after 10^5 appends) spends quadratic time detaching its finished
 * inner subscribers; groups keep it linear.
 */
function joinAll(sources: Observable<unknown>[]): Observable<unknown> {
  if (sources.length <= JOIN_WIDTH) return forkJoin(sources);
  const groups: Observable<unknown>[] = [];
  for (let i = 0; i < sources.length; i += JOIN_WIDTH) {
    groups.push(forkJoin(sources.slice(i, i + JOIN_WIDTH)));
  }
  return joinAll(groups);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
