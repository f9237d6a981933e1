/**
 * One run of a flow: the stream of each task in this run (made on first use, shared), the
 * shared subscription to each user Observable, the run's parameters, scheduler, AbortSignal
 * and concurrency limits. `run.all$` subscribes to every task the run needs and completes when
 * they have all finished; unsubscribing from it cancels the run.
 *
 * @module
 */
import {
  asyncScheduler,
  catchError,
  defer,
  EMPTY,
  finalize,
  ignoreElements,
  isObservable,
  map,
  merge,
  type Observable,
  of,
  ReplaySubject,
  type SchedulerLike,
  share,
  tap,
} from "rxjs";
import { Experiment } from "../index.js";
import type { Body } from "./body.js";
import { FlowError } from "./errors.js";
import { Failure } from "./failure.js";
import type { Flow } from "./flow.js";
import { invoke } from "./invoke.js";
import { Limiter } from "./limit.js";
import type { RunReporter } from "./reporter.js";
import type { TaskSpec } from "./spec.js";
import { Task, type TaskContext } from "./task.js";
import { taskStream } from "./taskStream.js";
import { asFailure, type Outcome } from "./trigger.js";
import { awaited, storageWork } from "./virtualTime.js";

/** Options of `flow.run()` and `flow.run$()`. */
export interface RunOptions {
  /** The values of the flow's parameters, by name. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /**
   * The scheduler for event times, retry delays and the run's start. Inside RxJS's
   * `TestScheduler.run()` none is needed (RxJS's own schedulers are virtual there); a
   * `TestScheduler` given here and driven by `flushVirtualTime` waits for tasks that return
   * promises.
   */
  readonly scheduler?: SchedulerLike;
  /** Aborting it cancels the run (as unsubscribing from `run$()` does). */
  readonly signal?: AbortSignal;
  /**
   * How many task functions may run at once (default: no limit). Bookkeeping tasks (logging
   * a value, creating an experiment or a test, appending, reading a parameter) are not
   * counted: they are short synchronous calls, and the tasks waiting for a place need them.
   */
  readonly maxConcurrency?: number;
}

/** What a running task may ask beyond {@link TaskContext}: the run's parameters. */
export interface RunContext extends TaskContext {
  /** The value of a parameter in this run. */
  parameter(name: string): unknown;
  /**
   * `work`, once the works given before it for the same `key` in this run have finished: one
   * `concatMap` per key (the saves of one project never overlap and run in order).
   */
  inOrder<T>(key: object, work: Observable<T>): Observable<T>;
  /**
   * `work` on a project's storage (its open or save), which emits once: unchanged when it
   * completes in the subscriber's call (`memory://`); else its end is a promise, and under
   * virtual time it is what a task's promise is (waited for by `flushVirtualTime`, an error
   * inside `TestScheduler.run()`), so that virtual time never runs ahead of the storage.
   */
  io<T>(work: Observable<T>): Observable<T>;
}

/**
 * @internal Checks the options of a run and resolves its parameters.
 *
 * @throws FlowError for a missing or unknown parameter, or a `maxConcurrency` below 1.
 */
export function checkRunOptions(flow: Flow, options: RunOptions): Map<string, unknown> {
  const max = options.maxConcurrency;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) {
    throw new FlowError(
      `flow "${flow.name}": maxConcurrency must be a whole number >= 1, got ${max}: leave it out for no limit`,
    );
  }
  const given = options.parameters ?? {};
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
    if (Object.hasOwn(given, parameter.name)) values.set(parameter.name, given[parameter.name]);
    else if (parameter.hasDefault) values.set(parameter.name, parameter.default);
    else {
      throw new FlowError(
        `flow "${flow.name}" needs parameter "${parameter.name}": run({ parameters: { "${parameter.name}": ... } })`,
      );
    }
  }
  return values;
}

/** @internal One run of a flow. */
export class Run {
  readonly flow: Flow;
  readonly reporter: RunReporter;
  readonly scheduler: SchedulerLike | undefined;
  readonly #parameters: ReadonlyMap<string, unknown>;
  readonly #controller = new AbortController();
  /** Each task's stream in this run, by task id, made on first use. */
  readonly #streams: (Observable<unknown> | undefined)[] = [];
  /** Each user Observable given as an input, shared within this run. */
  readonly #shared = new Map<Observable<unknown>, Observable<unknown>>();
  /** The results of each body's folded tasks, by its experiment's task. */
  readonly #bodies = new Map<Task<unknown>, unknown[]>();
  /** The experiment each experiment task gave, for the events of its logging tasks. */
  readonly #experiments = new Map<Task<unknown>, Experiment>();
  readonly #tracksExperiments: boolean;
  readonly #global: Limiter | undefined;
  readonly #limiters = new Map<object, Limiter>();
  readonly #queues = new Map<object, Limiter>();

  constructor(
    flow: Flow,
    options: RunOptions,
    parameters: ReadonlyMap<string, unknown>,
    reporter: RunReporter,
    tracksExperiments = false,
  ) {
    this.flow = flow;
    this.reporter = reporter;
    this.scheduler = options.scheduler;
    this.#parameters = parameters;
    this.#tracksExperiments = tracksExperiments;
    const max = options.maxConcurrency;
    this.#global = max === undefined ? undefined : new Limiter(max);
  }

  /** The run's AbortSignal, given to every task function. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Every task of `tasks` (all of the flow's by default) and what they need, each subscribed
   * once: completes when all have finished; unsubscribing before cancels the run.
   */
  all$(tasks: readonly Task<unknown>[] = this.flow.tasks): Observable<never> {
    return defer(() => {
      let ended = false;
      const streams: Observable<unknown>[] = [];
      for (const task of tasks) {
        if (task.body !== undefined) continue; // runs in its body
        streams.push(this.stream(task).pipe(catchError(() => EMPTY)));
      }
      return mergeGrouped(streams).pipe(
        ignoreElements(),
        tap({ complete: () => (ended = true) }),
        finalize(() => {
          if (!ended)
            this.#controller.abort(new FlowError(`flow "${this.flow.name}" was cancelled`));
          for (const limiter of this.#limiters.values()) limiter.close();
          for (const queue of this.#queues.values()) queue.close();
          this.#global?.close();
        }),
      );
    });
  }

  /** The stream of `task` in this run. */
  stream(task: Task<unknown>): Observable<unknown> {
    let stream = this.#streams[task.id];
    if (stream === undefined) {
      stream = taskStream(task, this);
      this.#streams[task.id] = stream;
    }
    return stream;
  }

  /** The stream of an input that gives values over time, `undefined` for a plain value. */
  source(input: unknown): Observable<unknown> | undefined {
    if (input instanceof Task) return this.stream(input);
    if (!isObservable(input)) return undefined;
    const observable: Observable<unknown> = input;
    let shared = this.#shared.get(observable);
    if (shared === undefined) {
      shared = observable.pipe(
        share({
          connector: replay,
          resetOnError: false,
          resetOnComplete: false,
          resetOnRefCountZero: true,
        }),
      );
      this.#shared.set(observable, shared);
    }
    return shared;
  }

  /** The context a task function gets. */
  context(task: Task<unknown>): RunContext {
    return new TaskRunContext(this, task);
  }

  /** The value of a parameter in this run. */
  parameter(name: string): unknown {
    return this.#parameters.get(name);
  }

  /** `work` after the works given before it for `key` (see {@link RunContext.inOrder}). */
  inOrder<T>(key: object, work: Observable<T>): Observable<T> {
    return this.#limiter(this.#queues, key, 1).limit(work);
  }

  /** The calls of `task`'s function with `args` (retried, limited), as one stream. */
  invoke(task: Task<unknown>, args: readonly unknown[], onStart: () => void): Observable<unknown> {
    const spec: TaskSpec = task;
    const calls = invoke(
      () => {
        onStart();
        return spec.work(args, this.context(task));
      },
      {
        retries: spec.policy.retries,
        retryDelay: spec.policy.retryDelay,
        scheduler: this.scheduler,
        onRetry: (attempt, error) => this.reporter.retrying(task, attempt, error),
        fromPromise: (promise) => this.#fromPromise(task, promise),
      },
    );
    if (spec.bookkeeping) return calls;
    const policy = spec.policy;
    const own =
      policy.limitKey === undefined || policy.concurrency === undefined
        ? undefined
        : this.#limiter(this.#limiters, policy.limitKey, policy.concurrency);
    const global = this.#global === undefined ? calls : this.#global.limit(calls);
    return own === undefined ? global : own.limit(global);
  }

  #limiter(limiters: Map<object, Limiter>, key: object, limit: number): Limiter {
    let limiter = limiters.get(key);
    if (limiter === undefined) {
      limiter = new Limiter(limit);
      limiters.set(key, limiter);
    }
    return limiter;
  }

  /**
   * A promise a task returned, as an Observable. Under virtual time, time waits for it when
   * `flushVirtualTime` drives the run's scheduler; nothing else can wait (see virtualTime.ts),
   * so there the task fails, saying what to do.
   */
  #fromPromise(task: Task<unknown>, promise: PromiseLike<unknown>): Observable<unknown> {
    return awaited(this.scheduler, task.name, promise);
  }

  /** Storage work of `task` under the run's rules for promises (see {@link RunContext.io}). */
  io<T>(task: Task<unknown>, work: Observable<T>): Observable<T> {
    return storageWork(this.scheduler, task.name, work);
  }

  /** Runs `body` after its experiment's task gave `value` for `args`. */
  runBody(body: Body, args: readonly unknown[], value: unknown): void {
    if (this.#tracksExperiments && value instanceof Experiment) {
      this.#experiments.set(body.root, value);
    }
    // Set before the body runs: the events of its tasks read the experiments it made so far.
    const results: unknown[] = [];
    this.#bodies.set(body.root, results);
    body.run(args, value, this.reporter, this.context(body.root), results);
  }

  /** The result of a folded task (its value or its {@link Failure}), once its body ran. */
  bodyResult(task: Task<unknown>): unknown {
    const body = task.body;
    return body === undefined ? undefined : this.#bodies.get(body.root)?.[task.member];
  }

  /** The experiment an experiment task gave in this run, if it ran. */
  experimentOf(task: Task<unknown>): Experiment | undefined {
    if (task.body === undefined) return this.#experiments.get(task);
    const result = this.bodyResult(task);
    return result instanceof Experiment ? result : undefined;
  }

  /** The stream of `task`, folded into `body`: its result, once the body's task ran. */
  memberStream(task: Task<unknown>, body: Body): Observable<unknown> {
    return this.stream(body.root).pipe(
      map(() => {
        const result = this.bodyResult(task);
        if (result instanceof Failure) throw result;
        return result;
      }),
    );
  }

  /**
   * The end of the folded tasks `members` of `body` as one stream: emits when the body has
   * run, errors with the first failure among them.
   */
  membersDone(body: Body, members: readonly Task<unknown>[]): Observable<unknown> {
    return this.stream(body.root).pipe(
      map(() => {
        for (const member of members) {
          const result = this.bodyResult(member);
          if (result instanceof Failure) throw result;
        }
        return undefined;
      }),
    );
  }

  /** The outcomes of the folded tasks `members` of `body`, once the body has run. */
  memberOutcomes(body: Body, members: readonly Task<unknown>[]): Observable<Outcome[]> {
    return this.stream(body.root).pipe(
      map(() =>
        members.map((member) => {
          const result = this.bodyResult(member);
          return result instanceof Failure ? result : undefined;
        }),
      ),
      catchError((error: unknown) => of(members.map(() => asFailure(error, body.root)))),
    );
  }

  /** The event time: the run's scheduler's clock (RxJS's, virtual inside `TestScheduler.run`). */
  now(): number {
    return (this.scheduler ?? asyncScheduler).now();
  }
}

/** The context a task function gets (methods on the prototype: no closures per call). */
class TaskRunContext implements RunContext {
  constructor(
    readonly run: Run,
    readonly task: Task<unknown>,
  ) {}
  get signal(): AbortSignal {
    return this.run.signal;
  }
  get scheduler(): SchedulerLike | undefined {
    return this.run.scheduler;
  }
  parameter(name: string): unknown {
    return this.run.parameter(name);
  }
  inOrder<T>(key: object, work: Observable<T>): Observable<T> {
    return this.run.inOrder(key, work);
  }
  io<T>(work: Observable<T>): Observable<T> {
    return this.run.io(this.task, work);
  }
}

/** What a shared input replays to the tasks that subscribe after it started: every value. */
function replay<T>(): ReplaySubject<T> {
  return new ReplaySubject<T>();
}

/** `merge` over many streams, in groups, so that finished ones leave it in linear time. */
function mergeGrouped(streams: readonly Observable<unknown>[]): Observable<unknown> {
  if (streams.length <= 1024) return merge(...streams);
  const groups: Observable<unknown>[] = [];
  for (let i = 0; i < streams.length; i += 1024) groups.push(merge(...streams.slice(i, i + 1024)));
  return mergeGrouped(groups);
}
