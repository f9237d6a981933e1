/**
 * Tasks: the nodes of a flow's graph. `task(name, fn)` turns a function into a task that a
 * flow's builder binds to its inputs; `Parameter(name)` is a value given when the flow runs.
 *
 * @module
 */
import type { Observable, SchedulerLike } from "rxjs";
import { currentFlow, requireFlow } from "./context.js";
import { FlowError } from "./errors.js";
import type { Flow } from "./flow.js";

/**
 * What a task can take as an input: a plain value, an Observable (each emission is a value;
 * the task runs once per emission), another task (an edge of the graph: its result), or a
 * {@link Parameter} (a value given to `flow.run`).
 */
export type Input<T> = T | Observable<T> | Task<T> | FlowParameter<T>;

/** The inputs of a function's arguments: each argument may be any {@link Input}. */
export type Inputs<A extends readonly unknown[]> = { [K in keyof A]: Input<A[K]> };

/**
 * When a task runs with respect to its ordering-only upstream tasks, which a `forkJoin` joins:
 * - `"all-succeeded"`: only when all of them succeeded (the default): the `forkJoin` is over
 *   their streams, as an append's over its experiment's logging streams; if one fails, the
 *   task is not run;
 * - `"all-finished"`: once all of them finished, whatever their outcome: the `forkJoin` is over
 *   the end of each (`Save project` waits for every `Append experiment` this way, so one
 *   failed experiment does not stop the save).
 */
export type Trigger = "all-succeeded" | "all-finished";

/** Options of {@link task}. */
export interface TaskOptions {
  /** How many times to run the function again after it fails (default 0). */
  readonly retries?: number;
  /** How long to wait before a retry, in milliseconds of the run's scheduler (default 0). */
  readonly retryDelay?: number;
}

/** @internal What a running task can ask its run. */
export interface RunScope {
  /** The value of a parameter in this run. */
  parameter(name: string): unknown;
  /** The run's scheduler, if one was given. */
  readonly scheduler: SchedulerLike | undefined;
}

/** @internal How a task is recorded: its inputs, its ordering-only upstream tasks and its work. */
export interface TaskSpec {
  readonly name: string;
  /** Data inputs, in argument order: tasks, parameters, Observables or plain values. */
  readonly inputs: readonly unknown[];
  /** Tasks that must finish first (joined with `forkJoin`); their values are not inputs. */
  readonly upstream?: readonly Task[];
  readonly trigger?: Trigger;
  readonly retries?: number;
  readonly retryDelay?: number;
  /** The work: gets the inputs' values; returns a value, a promise or an Observable. */
  readonly run: (args: unknown[], scope: RunScope) => unknown;
}

/**
 * A task: a node of a flow's graph, named for users to query (`flow.getTasks({ name })`).
 * A task given as an input to another task is an edge. A task's result, once the flow has run,
 * is `state.result(task)`.
 *
 * Task objects that are not bound yet (`new LazyProject(...)` before `.bind()`) are templates:
 * they have a name but no flow.
 */
export class Task<T = unknown> {
  /** The task's name: `"Append experiment"`, an experiment's name, a user task's name... */
  readonly name: string;
  /** @internal The flow, or `undefined` for a template. */
  readonly boundTo: Flow | undefined;
  /** @internal The task's index in its flow (-1 for a template). */
  readonly id: number;
  /** @internal How the task runs (inputs resolved); `undefined` for a template. */
  readonly spec: ResolvedSpec | undefined;
  /** @internal Carries the type of the task's result; never set. */
  declare readonly resultType?: T;

  /** @internal Tasks are made by `task(...).bind()`, `Parameter` and the lazy classes. */
  constructor(name: string, node?: TaskNode) {
    this.name = node?.spec.name ?? name;
    this.boundTo = node?.flow;
    this.id = node?.id ?? -1;
    this.spec = node?.spec;
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

  /** `Task "<name>"`, for messages. */
  toString(): string {
    return `Task "${this.name}"`;
  }
}

/**
 * @internal A recorded spec: inputs resolved (parameters to their tasks), every field set, and
 * one shape for every task, so the engine's property reads stay monomorphic.
 */
export type ResolvedSpec = Required<TaskSpec>;

/** @internal Where a new task goes: its flow, its index there, and its resolved spec. */
export interface TaskNode {
  readonly flow: Flow;
  readonly id: number;
  readonly spec: ResolvedSpec;
}

/**
 * A function turned into a task template by {@link task}. Each `bind(...inputs)` in a flow's
 * builder adds one task to that flow.
 */
export class TaskFunction<A extends unknown[], R> {
  /** The name of the tasks this function makes. */
  readonly name: string;
  readonly #fn: (...args: A) => unknown;
  readonly #options: TaskOptions;

  /** @internal Use {@link task}. */
  constructor(name: string, fn: (...args: A) => unknown, options: TaskOptions) {
    this.name = name;
    this.#fn = fn;
    this.#options = options;
  }

  /**
   * Adds a task to the flow being built, with these inputs. Each input that is a task (or a
   * parameter) is an edge; an Observable makes the function run once per emission.
   *
   * @throws FlowContextError outside a flow's builder.
   */
  bind(...inputs: Inputs<A>): Task<R> {
    const fn = this.#fn;
    return addTask("task(...).bind()", {
      name: this.name,
      inputs,
      retries: this.#options.retries ?? 0,
      retryDelay: this.#options.retryDelay ?? 0,
      run: (args) => fn(...(args as A)),
    });
  }
}

/**
 * Turns a function into a task template. The function may return a value, a promise, or an
 * Observable (each emission is a value of the task, as a loss per epoch).
 *
 * @example
 * ```ts
 * const score = task("Score model", (model: Model, data: Data) => model.score(data), { retries: 2 });
 * const flow = new Flow("Evaluate", () => {
 *   const s = score.bind(trainTask, dataTask);
 * });
 * ```
 */
export function task<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => R | PromiseLike<R> | Observable<R>,
  options: TaskOptions = {},
): TaskFunction<A, R> {
  for (const key of ["retries", "retryDelay"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new FlowError(`task "${name}": ${key} must be a whole number >= 0, got ${value}`);
    }
  }
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
 * built (or throws a clear error naming `what`) and adds the task to it.
 */
export function addTask<X extends Task = Task>(
  what: string,
  spec: TaskSpec,
  make?: (node: TaskNode) => X,
): X {
  return requireFlow(what).add(spec, make);
}
