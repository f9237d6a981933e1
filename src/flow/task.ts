/**
 * Tasks: the nodes of a flow's graph, each a cold `Observable` of its values. `task(name, fn)`
 * turns a function into a task template that a flow's builder binds to its inputs;
 * `Parameter(name)` is a value given when the flow runs.
 *
 * @module
 */
import { Observable, type SchedulerLike, type Subscriber, type TeardownLogic } from "rxjs";
import type { Body } from "./body.js";
import { currentFlow, requireFlow } from "./context.js";
import { FlowError } from "./errors.js";
import type { Flow } from "./flow.js";
import type { RunContext } from "./run.js";
import type { CallPolicy, LogKind, SpecInit, TaskKind, TaskSpec } from "./spec.js";
import { checkTrigger, type Trigger } from "./trigger.js";

export type { Trigger } from "./trigger.js";

/**
 * What a task can take as an input: a plain value, an Observable (each emission is a value;
 * the task runs once per emission), another task (an edge of the graph: its values), or a
 * {@link Parameter} (a value given to `flow.run`).
 */
export type Input<T> = T | Observable<T> | Task<T> | FlowParameter<T>;

/** The inputs of a function's arguments: each argument may be any {@link Input}. */
export type Inputs<A extends readonly unknown[]> = { readonly [K in keyof A]: Input<A[K]> };

/**
 * What a running task function gets as `this` (declare it with `function`, not an arrow):
 * `this.signal` aborts when the run is cancelled (its subscriber unsubscribed, or the signal
 * given to `flow.run({ signal })` aborted).
 *
 * @example
 * ```ts
 * const fetchData = task("Fetch", async function (this: TaskContext, url: string) {
 *   return (await fetch(url, { signal: this.signal })).json();
 * });
 * ```
 */
export interface TaskContext {
  /** Aborted when the run is cancelled: stop the work and settle. */
  readonly signal: AbortSignal;
  /** The task being run. */
  readonly task: Task<unknown>;
  /** The run's scheduler, if one was given. */
  readonly scheduler: SchedulerLike | undefined;
}

/** Options of {@link task}. */
export interface TaskOptions {
  /** How many times to run the function again after it fails (default 0). */
  readonly retries?: number;
  /** How long to wait before a retry, in milliseconds of the run's scheduler (default 0). */
  readonly retryDelay?: number;
  /**
   * When the task runs with respect to the tasks it waits for without taking their values
   * (see {@link TaskFunction.after}); default `"all-successful"`.
   */
  readonly trigger?: Trigger;
  /**
   * How many calls of this function may run at once within a run, across every task bound
   * from it (Prefect's task concurrency limit). Default: no limit of its own.
   */
  readonly concurrency?: number;
}

/**
 * A task: a node of a flow's graph, named for users to query (`flow.getTasks({ name })`), and
 * a cold `Observable<T>` of its values: subscribing to a bound task runs it, and the part of
 * the graph it needs, in a run of its own (each subscription a new run), with the run's
 * defaults (`flow.run$()` runs the whole graph). It errors with the task's error when it fails,
 * and with a `FlowError` naming the failed task upstream when it is not run.
 *
 * Task objects that are not bound yet (`new LazyProject(...)` before `.bind()`) are templates:
 * they have a name but no flow, and subscribing to them errors.
 */
export class Task<T = unknown> extends Observable<T> implements TaskSpec {
  /** The task's name: `"Append experiment"`, an experiment's name, a user task's name... */
  readonly name: string;
  /** @internal The flow, or `undefined` for a template. */
  readonly boundTo: Flow | undefined;
  /** @internal The task's index in its flow (-1 for a template). */
  readonly id: number;
  // The task's spec (see spec.ts), held on the task itself: one object per task in large flows.
  /** @internal */ readonly inputs: readonly unknown[];
  /** @internal */ readonly upstream: readonly Task<unknown>[];
  /** @internal What it shares with every task of its kind: policy, work, logging. */
  readonly kind: TaskKind;
  /** @internal */ body: Body | undefined = undefined;
  /** @internal */ member = -1;
  /** @internal */ owns: Body | undefined = undefined;

  /** @internal Tasks are made by `task(...).bind()`, `Parameter` and the lazy classes. */
  constructor(name: string, node?: TaskNode) {
    super();
    this.name = node?.name ?? name;
    this.boundTo = node?.flow;
    this.id = node?.id ?? -1;
    this.inputs = node?.inputs ?? NO_TASKS;
    this.upstream = node?.upstream ?? NO_TASKS;
    this.kind = node?.kind ?? TEMPLATE_KIND;
  }

  /** @internal */
  get policy(): CallPolicy {
    return this.kind.policy;
  }
  /** @internal */
  get bookkeeping(): boolean {
    return this.kind.bookkeeping;
  }
  /** @internal */
  get logKind(): LogKind | undefined {
    return this.kind.logKind;
  }
  /** @internal */
  work(args: readonly unknown[], context: RunContext): unknown {
    return this.kind.work(args, context);
  }

  /** @internal How the task runs (the task itself); `undefined` for a template. */
  get spec(): TaskSpec | undefined {
    return this.boundTo === undefined ? undefined : this;
  }

  /**
   * The flow this task belongs to.
   *
   * @throws FlowError when the task is a template that was never bound.
   */
  get flow(): Flow {
    if (this.boundTo === undefined) {
      throw new FlowError(`task "${this.name}" is not bound to a flow: call .bind() in a builder`);
    }
    return this.boundTo;
  }

  /** @internal Called by `Observable.subscribe`: a run of this task and what it needs. */
  protected _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    if (this.boundTo === undefined) {
      subscriber.error(
        new FlowError(`task "${this.name}" is not bound to a flow: call .bind() in a builder`),
      );
      return undefined;
    }
    return this.boundTo.runTask$(this).subscribe(subscriber);
  }

  /** `Task "<name>"`, for messages. */
  override toString(): string {
    return `Task "${this.name}"`;
  }
}

/** @internal What a new task copies: its flow, its index there, and its recorded spec. */
export interface TaskNode {
  readonly flow: Flow;
  readonly id: number;
  readonly name: string;
  /** Its inputs, parameters resolved to their tasks. */
  readonly inputs: readonly unknown[];
  readonly upstream: readonly Task<unknown>[];
  readonly kind: TaskKind;
}

const NO_TASKS: readonly never[] = [];

const TEMPLATE_KIND: TaskKind = {
  policy: {
    trigger: "all-successful",
    retries: 0,
    retryDelay: 0,
    concurrency: undefined,
    limitKey: undefined,
  },
  bookkeeping: false,
  logKind: undefined,
  work: notBound,
};

function notBound(): never {
  throw new FlowError("a template task cannot run: bind it in a flow's builder");
}

/**
 * A function turned into a task template by {@link task}. Each `bind(...inputs)` in a flow's
 * builder adds one task to that flow.
 */
export class TaskFunction<A extends unknown[], R> {
  /** The name of the tasks this function makes. */
  readonly name: string;
  readonly #fn: (this: TaskContext, ...args: A) => R | PromiseLike<R> | Observable<R>;
  readonly #options: TaskOptions;
  readonly #waitFor: readonly Task<unknown>[];

  /** @internal Use {@link task}. */
  constructor(
    name: string,
    fn: (this: TaskContext, ...args: A) => R | PromiseLike<R> | Observable<R>,
    options: TaskOptions,
    waitFor: readonly Task<unknown>[] = [],
  ) {
    this.name = name;
    this.#fn = fn;
    this.#options = options;
    this.#waitFor = waitFor;
  }

  /**
   * The same function, whose tasks also wait for `tasks` (without taking their values), as
   * the task's trigger says: Prefect's `upstream_tasks`.
   *
   * @throws FlowError when one of them is not a task.
   */
  after(...tasks: Task<unknown>[]): TaskFunction<A, R> {
    tasks.forEach((t, i) => {
      if (!(t instanceof Task)) {
        throw new FlowError(
          `task "${this.name}".after(): argument ${i + 1} is not a task (got ${typeof t}): pass bound tasks`,
        );
      }
    });
    return new TaskFunction(this.name, this.#fn, this.#options, [...this.#waitFor, ...tasks]);
  }

  /**
   * Adds a task to the flow being built, with these inputs. Each input that is a task (or a
   * parameter) is an edge; an Observable makes the function run once per emission.
   *
   * @throws FlowContextError outside a flow's builder.
   */
  bind(...inputs: Inputs<A>): Task<R> {
    const fn = this.#fn;
    const options = this.#options;
    return addTask("task(...).bind()", {
      name: this.name,
      inputs,
      upstream: this.#waitFor,
      trigger: options.trigger,
      retries: options.retries,
      retryDelay: options.retryDelay,
      concurrency: options.concurrency,
      limitKey: this,
      work: (args: A, context) => fn.apply(context, args),
    });
  }
}

/**
 * Turns a function into a task template. The function may return a value, a promise, or an
 * Observable (each emission is a value of the task, as a loss per epoch). Declared with
 * `function`, it gets the run's {@link TaskContext} (and its AbortSignal) as `this`.
 *
 * @example
 * ```ts
 * const score = task("Score model", (model: Model, data: Data) => model.score(data), { retries: 2 });
 * const flow = new Flow("Evaluate", () => {
 *   const s = score.bind(trainTask, dataTask); // Task<number>
 * });
 * ```
 * @throws FlowError for a bad option (negative retries, unknown trigger, concurrency < 1).
 */
export function task<A extends unknown[], R>(
  name: string,
  fn: (this: TaskContext, ...args: A) => R | PromiseLike<R> | Observable<R>,
  options: TaskOptions = {},
): TaskFunction<A, R> {
  if (typeof fn !== "function") {
    throw new FlowError(`task "${name}": the second argument must be a function, got ${typeof fn}`);
  }
  for (const key of ["retries", "retryDelay"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new FlowError(`task "${name}": ${key} must be a whole number >= 0, got ${value}`);
    }
  }
  const concurrency = options.concurrency;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new FlowError(
      `task "${name}": concurrency must be a whole number >= 1, got ${concurrency}`,
    );
  }
  checkTrigger(options.trigger, `task "${name}"`);
  return new TaskFunction(name, fn, options);
}

/** Options of {@link Parameter}. */
export interface ParameterOptions<T> {
  /** The value when `flow.run` does not give one. Without it, the parameter is required. */
  readonly default?: T;
}

/**
 * A value given when a flow runs (`flow.run({ parameters: { name: value } })`). Usable as the
 * input of any task, and as an option of `LazyProject` (`fpath` often is one). A flow that
 * uses a parameter has a task of the parameter's name for it.
 */
export class FlowParameter<T = unknown> {
  /** The parameter's name, the key in `run({ parameters })`. */
  readonly name: string;
  /** Whether the parameter has a default value. */
  readonly hasDefault: boolean;
  /** The default value, if any. */
  readonly default: T | undefined;
  /** @internal Carries the type of the value; never set. */
  declare readonly valueType?: T;

  /** @internal Use {@link Parameter}. */
  constructor(name: string, options: ParameterOptions<T>) {
    this.name = name;
    this.hasDefault = "default" in options;
    this.default = options.default;
  }
}

/** A flow parameter: the type of {@link Parameter}'s result. */
export type Parameter<T = unknown> = FlowParameter<T>;

/**
 * Declares a flow parameter. Declared inside a builder, it is added to that flow at once;
 * declared outside (as a `LazyProject`'s `fpath`), it is added to each flow that uses it.
 *
 * @example
 * ```ts
 * const fpath = Parameter("fpath", { default: "project.json" });
 * const initProject = new LazyProject({ fpath });
 * await flow.run({ parameters: { fpath: "other.json" } });
 * ```
 */
export function Parameter<T = unknown>(
  name: string,
  options: ParameterOptions<T> = {},
): FlowParameter<T> {
  const parameter = new FlowParameter(name, options);
  currentFlow()?.taskFor(parameter);
  return parameter;
}

/**
 * @internal The one door through which every lazy method records a task: finds the flow being
 * built (or throws a clear error naming `what`) and adds the task to it, made by `make` (a
 * plain {@link Task} without it).
 */
export function addTask<A extends readonly unknown[], R>(
  what: string,
  init: SpecInit<A, R>,
): Task<R>;
export function addTask<A extends readonly unknown[], R, X extends Task<R>>(
  what: string,
  init: SpecInit<A, R>,
  make: (node: TaskNode) => X,
): X;
export function addTask<A extends readonly unknown[], R>(
  what: string,
  init: SpecInit<A, R>,
  make?: (node: TaskNode) => Task<R>,
): Task<R> {
  const flow = requireFlow(what);
  return make === undefined ? flow.add(init) : flow.add(init, make);
}
