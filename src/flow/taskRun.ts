/**
 * One task in one run (and its stream): joins its ordering-only upstream tasks' streams if it
 * has any (`forkJoin`, see `run.ts`), takes its inputs, calls its function one call at a time,
 * retries it, reports what happens, and tells the run when tasks downstream may start.
 *
 * @module
 */
import {
  asyncScheduler,
  combineLatest,
  concatMap,
  isObservable,
  Observable,
  of,
  type Subscription,
} from "rxjs";
import { FlowError } from "./errors.js";
import { Gate, type Joiner, joinAll, joinEnds } from "./join.js";
import type { Run } from "./run.js";
import { type StreamListener, TaskStream } from "./stream.js";
import { type ResolvedSpec, Task } from "./task.js";

/** @internal What a task's stream errors with: the task that failed first (here or upstream). */
export class Failure {
  constructor(
    readonly task: Task,
    readonly error: unknown,
  ) {}
}

/** How a task's input values arrive: as its argument list, from one source, or combined. */
const ARGS = 0;
const ONE = 1;
const MANY = 2;

/** Flags of a task run. */
const STARTED = 1;
const DONE = 2;
const BUSY = 4;
const INPUTS_DONE = 8;

/** The inputs of a task that give values over time: none, one, or several (to combine). */
type Sources = Observable<unknown> | Observable<unknown>[] | undefined;

/**
 * @internal One task in one run, and its stream: takes its inputs, calls its function (one
 * call at a time, retried as the task says), reports, and fills its stream.
 */
export class TaskRun extends TaskStream implements StreamListener, Joiner<Sources> {
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

  /** Its upstream is ready: takes its inputs, after its join if it has one. */
  start(): void {
    const spec = this.#spec;
    const joined = spec.upstream.length === 0 ? undefined : this.#joined(spec);
    const sources = this.#sources();
    this.#attach(spec);
    if (joined === undefined) {
      this.#take(sources);
    } else if (spec.trigger === "all-finished") {
      // `Save project`: chained with `concatMap` after the end of every append.
      this.#inputs = joinEnds(joined)
        .pipe(concatMap(() => this.#inputs$(sources)))
        .subscribe(this);
    } else {
      // An append: runs when the `forkJoin` over its experiment's logging streams emits.
      const join = joinAll(joined).subscribe(new Gate(this, sources));
      if (!join.closed) this.#inputs = join; // else #take may hold the inputs' subscription
    }
  }

  /**
   * The streams of the ordering-only upstream tasks, which a `forkJoin` joins: over the streams
   * themselves (the append of an experiment over its logging streams: it errors, and the append
   * is not run, as soon as one of them fails), or, for `"all-finished"`, over the end of each
   * (`Save project` after every append, whether it succeeded or not).
   */
  #joined(spec: ResolvedSpec): TaskRun[] {
    const runs = this.#run.runs;
    return spec.upstream.map((up) => runs[up.id] as TaskRun);
  }

  /** @internal Its join emitted: it takes its inputs. */
  opened(sources: Sources): void {
    this.#take(sources);
  }

  /** @internal Its join completed without emitting: a joined task gave no value. */
  closedEmpty(): void {
    this.#fail(this.#noValue("a task it joins completed empty"));
  }

  /**
   * Takes the inputs: calls the function at once when they are all there (finished streams
   * of one value are), else once per set of values as they come.
   */
  #take(sources: Sources): void {
    if (sources === undefined) {
      this.#once(this.#spec.inputs);
    } else if (sources instanceof TaskStream) {
      if (isSingleValue(sources)) this.#once(sources.last);
      else sources.listen(this);
    } else if (sources instanceof Observable) {
      this.#inputs = sources.subscribe(this);
    } else if (sources.every(isSingleValue)) {
      this.#once(sources.map(lastOf));
    } else {
      this.#inputs = combineLatest(sources).subscribe(this);
    }
  }

  /** The one set of input values: one call, after which the task settles. */
  #once(data: unknown): void {
    this.#flags |= INPUTS_DONE;
    this.next(data);
    if (!(this.#flags & BUSY)) this.#settle();
  }

  /** The inputs' values once the join has emitted, for `concatMap`. */
  #inputs$(sources: Sources): Observable<unknown> {
    if (sources === undefined) return of(this.#spec.inputs);
    if (sources instanceof Observable) return sources;
    if (!sources.every(isSingleValue)) return combineLatest(sources);
    return of(sources.map(lastOf));
  }

  /** Tells the run this task took its place downstream of each of its upstream tasks. */
  #attach(spec: ResolvedSpec): void {
    const inputs = spec.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task && inputs.indexOf(input) === i) this.#run.attached(input);
    }
    const upstream = spec.upstream;
    for (let i = 0; i < upstream.length; i++) {
      const up = upstream[i] as Task;
      if (!inputs.includes(up)) this.#run.attached(up);
    }
  }

  /**
   * The inputs that give values over time (tasks' streams and Observables): none, one, or
   * several (to combine); sets the mode.
   */
  #sources(): Sources {
    const inputs = this.#spec.inputs;
    let first: Observable<unknown> | undefined;
    let sources: Observable<unknown>[] | undefined;
    for (let index = 0; index < inputs.length; index++) {
      const input = inputs[index];
      let source: Observable<unknown>;
      if (input instanceof Task) source = this.#run.runs[input.id] as TaskRun;
      else if (typeof input === "object" && input !== null && isObservable(input)) source = input;
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
    return sources ?? first;
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
      this.#fail(this.#noValue("an input completed empty"));
      return;
    }
    this.stop();
    const task = this.#task;
    this.#run.reporter.succeeded(task, this.last);
    this.end();
    this.#run.ended(task, this.count > 0);
    this.#run.finished(task);
  }

  #noValue(why: string): FlowError {
    return new FlowError(`task "${this.#task.name}" got no value: ${why}`);
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

function lastOf(source: Observable<unknown>): unknown {
  return (source as TaskStream).last;
}

/** A task's stream that has completed with exactly one value: its one value is all it gives. */
function isSingleValue(source: Observable<unknown>): boolean {
  return (
    source instanceof TaskStream &&
    source.ended &&
    source.failure === undefined &&
    source.count === 1
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
