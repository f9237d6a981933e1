/**
 * `Flow`: a named graph of tasks, recorded while its builder runs, and run as cold
 * observables.
 *
 * @module
 */
import {
  asapScheduler,
  catchError,
  defer,
  fromEvent,
  merge,
  Observable,
  subscribeOn,
  takeUntil,
  throwError,
} from "rxjs";
import { isPromiseLike } from "../guards.js";
import { buildWith, currentFlow } from "./context.js";
import { FlowContextError, FlowError } from "./errors.js";
import type { TaskRunEvent } from "./events.js";
import { Failure } from "./failure.js";
import { toMermaid } from "./mermaid.js";
import { EventReporter, SILENT } from "./reporter.js";
import { checkRunOptions, Run, type RunOptions } from "./run.js";
import { kindOf, type SpecInit, type TaskSpec } from "./spec.js";
import { type FlowState, StateRecorder } from "./state.js";
import { FlowParameter, Task, type TaskNode } from "./task.js";

const NONE: readonly Task<unknown>[] = [];

/** Filters of {@link Flow.getTasks}. */
export interface TaskFilter {
  /** Only the tasks with this name. */
  readonly name?: string;
}

/**
 * A flow: the graph of tasks its builder records. Nothing runs while the builder runs; each
 * `run()` (or subscription to `run$()`) runs every task once, in dependency order.
 *
 * @example
 * ```ts
 * const flow = new Flow("My experiment logging", () => {
 *   const project = new LazyProject({ fpath: "project.json" }).bind();
 *   project.log("My experiment", (exp) => exp.logMetric("build_time", "10M"));
 *   project.save();
 * });
 * const state = await flow.run();
 * state.isSuccessful(); // true
 * ```
 */
export class Flow {
  /** The flow's name. */
  readonly name: string;
  readonly #tasks: Task[] = [];
  /** Per task id: the one task, or the tasks, directly downstream (most tasks have one). */
  readonly #downstream: (Task | Task[] | undefined)[] = [];
  readonly #parameters = new Map<FlowParameter, Task>();

  /**
   * Records a flow: runs `builder`, in which lazy methods add tasks to this flow.
   *
   * @throws FlowError if the builder returns a promise (a graph is recorded synchronously).
   */
  constructor(name: string, builder: (flow: Flow) => void) {
    this.name = name;
    buildWith(this, () => {
      if (isPromiseLike(builder(this))) {
        throw new FlowError(
          `the builder of flow "${name}" returned a promise: a builder records tasks synchronously; put async work inside tasks`,
        );
      }
    });
  }

  /** Every task, in the order it was added (a topological order). */
  get tasks(): readonly Task[] {
    return this.#tasks;
  }

  /** The parameters the flow uses. */
  get parameters(): readonly FlowParameter[] {
    return [...this.#parameters.keys()];
  }

  /** The tasks that match `filter` (all of them without one), in the order they were added. */
  getTasks(filter: TaskFilter = {}): Task[] {
    return this.#tasks.filter((t) => filter.name === undefined || t.name === filter.name);
  }

  /** The tasks `task` directly depends on (its task inputs, then its ordering-only upstream). */
  upstreamTasks(task: Task | FlowParameter): Task[] {
    return edgesOf(this.taskFor(task));
  }

  /** The tasks that directly depend on `task`, in the order they were added. */
  downstreamTasks(task: Task | FlowParameter): Task[] {
    const downstream = this.#downstream[this.#id(task)];
    if (downstream === undefined) return [];
    return downstream instanceof Task ? [downstream] : [...downstream];
  }

  /** @internal The tasks directly downstream of `task`, as stored: one, several or none. */
  downstreamOf(task: Task): Task | readonly Task[] | undefined {
    return this.#downstream[task.id];
  }

  /** The graph as a Mermaid flowchart, task names as labels. */
  toMermaid(): string {
    return toMermaid(this);
  }

  /**
   * Runs the flow and resolves to its state once every task has finished. A failing task
   * does not reject the promise: the state is failed and names it.
   *
   * Given a `scheduler`, the run starts on it. For a marble test, `flow.run$()` inside
   * `TestScheduler.run()` is enough when no task function returns a promise (a `memory://`
   * project opens and saves synchronously); otherwise drive a `TestScheduler` given here with
   * `flushVirtualTime(scheduler)`: `const state = flow.run({ scheduler });
   * await flushVirtualTime(scheduler); await state;`.
   *
   * @throws FlowError (rejects) for a missing or unknown parameter or a bad option; rejects
   *   with the signal's reason when `signal` aborts (the run is then cancelled).
   */
  async run(options: RunOptions = {}): Promise<FlowState> {
    const parameters = checkRunOptions(this, options);
    const signal = options.signal;
    signal?.throwIfAborted();
    const recorder = new StateRecorder(this);
    const run = new Run(this, options, parameters, recorder);
    const scheduler = options.scheduler;
    const started = scheduler === undefined ? run.all$() : run.all$().pipe(subscribeOn(scheduler));
    const all$ =
      signal === undefined ? started : started.pipe(takeUntil(fromEvent(signal, "abort")));
    return new Promise<FlowState>((resolve, reject) => {
      all$.subscribe({
        error: reject,
        complete: () => {
          if (signal?.aborted) reject(signal.reason);
          else resolve(recorder.finish());
        },
      });
    });
  }

  /**
   * The same run as an Observable of task-run events (started, value, retrying, succeeded,
   * failed, not-run, and the events of the projects it opens). Cold: each subscription is a
   * new run, started on the run's scheduler (`asapScheduler` by default), never inside
   * `subscribe()`. Unsubscribing, or aborting `signal`, cancels the run: no task starts
   * afterwards, running task functions see their AbortSignal abort, retries and timers are
   * cancelled, and a save that has not yet replaced its file is abandoned.
   *
   * @throws FlowError at the call for a missing or unknown parameter or a bad option.
   */
  run$(options: RunOptions = {}): Observable<TaskRunEvent> {
    const parameters = checkRunOptions(this, options);
    const events$ = new Observable<TaskRunEvent>((subscriber) => {
      let run: Run | undefined;
      const reporter = new EventReporter(
        subscriber,
        () => run?.now() ?? 0,
        (t) => run?.experimentOf(t)?.slug,
      );
      run = new Run(this, options, parameters, reporter, true);
      return run.all$().subscribe({ complete: () => reporter.end() });
    }).pipe(subscribeOn(options.scheduler ?? asapScheduler));
    const signal = options.signal;
    return signal === undefined ? events$ : events$.pipe(takeUntil(fromEvent(signal, "abort")));
  }

  /**
   * @internal A run of `task` and the tasks it needs, with the default options: its values,
   * then its end (its error when it fails; a FlowError naming the failed task upstream when
   * it is not run).
   */
  runTask$<T>(task: Task<T>): Observable<T> {
    return defer(() => {
      const run = new Run(this, {}, checkRunOptions(this, {}), SILENT);
      const needed = this.#ancestors(task);
      const value$ = (run.stream(task) as Observable<T>).pipe(
        catchError((error: unknown) => throwError(() => unwrap(task, error))),
      );
      return merge(run.all$(needed), value$);
    });
  }

  /** `task`, the tasks it needs (inputs, waited-for tasks, its body's task), in id order. */
  #ancestors(task: Task<unknown>): Task<unknown>[] {
    const seen = new Set<Task<unknown>>();
    const stack = [task];
    for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
      if (seen.has(t)) continue;
      seen.add(t);
      const spec: TaskSpec = t;
      for (const input of spec.inputs) if (input instanceof Task) stack.push(input);
      stack.push(...spec.upstream);
      if (spec.body !== undefined) stack.push(spec.body.root);
    }
    return [...seen].sort((a, b) => a.id - b.id);
  }

  /**
   * The task of `task` in this flow: the task itself, or the task of a parameter.
   *
   * @throws FlowError when `task` is neither a task nor a parameter of this flow.
   */
  taskFor(task: Task | FlowParameter): Task {
    if (task instanceof FlowParameter) {
      const existing = this.#parameters.get(task);
      if (existing !== undefined) return existing;
      if (currentFlow() !== this) {
        throw new FlowError(`flow "${this.name}" has no parameter "${task.name}"`);
      }
      for (const known of this.#parameters.keys()) {
        if (known.name === task.name) {
          throw new FlowError(`flow "${this.name}" already has a parameter "${task.name}"`);
        }
      }
      const parameter = task;
      const node = this.add({
        name: parameter.name,
        inputs: [],
        bookkeeping: true,
        work: (_: readonly [], context) => context.parameter(parameter.name),
      });
      this.#parameters.set(parameter, node);
      return node;
    }
    if (!(task instanceof Task)) {
      throw new FlowError(
        `flow "${this.name}": expected a task or a parameter, got ${describeValue(task)}: pass a task bound in this flow's builder`,
      );
    }
    if (task.boundTo === undefined) {
      throw new FlowContextError(
        `task "${task.name}" is not bound to a flow: call .bind() inside the builder first`,
      );
    }
    if (task.boundTo !== this) {
      throw new FlowContextError(
        `task "${task.name}" belongs to flow "${task.boundTo.name}", not to flow "${this.name}"`,
      );
    }
    return task;
  }

  /** @internal Records a task. Use `addTask` (task.ts), which finds the flow being built. */
  add<A extends readonly unknown[], R>(init: SpecInit<A, R>): Task<R>;
  add<A extends readonly unknown[], R, X extends Task<R>>(
    init: SpecInit<A, R>,
    make: (node: TaskNode) => X,
  ): X;
  add<A extends readonly unknown[], R>(
    init: SpecInit<A, R>,
    make?: (node: TaskNode) => Task<R>,
  ): Task<R> {
    if (currentFlow() !== this) {
      throw new FlowContextError(
        `task "${init.name}" cannot be added to flow "${this.name}": its builder is not running`,
      );
    }
    const inputs = this.#resolve(init.inputs);
    const upstream = init.upstream ?? NONE;
    // Indexed loops in here: it runs for every task recorded, and `for...of` costs an iterator.
    for (let i = 0; i < upstream.length; i++) {
      const t = upstream[i];
      if (t !== undefined) this.taskFor(t);
    }
    const node: TaskNode = {
      flow: this,
      id: this.#tasks.length,
      name: init.name,
      inputs,
      upstream,
      kind: kindOf(init),
    };
    const task = make === undefined ? new Task<R>(init.name, node) : make(node);
    if (init.body?.admits(init, inputs)) init.body.adopt(task);
    this.#tasks.push(task);
    this.#downstream.push(undefined);
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task) this.#link(input, task);
    }
    for (let i = 0; i < upstream.length; i++) {
      const t = upstream[i];
      if (t !== undefined) this.#link(t, task);
    }
    return task;
  }

  /** `inputs`, each task checked and each parameter replaced by its task (a copy if any). */
  #resolve(inputs: readonly unknown[]): readonly unknown[] {
    let parameters = false;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task) {
        if (input.boundTo !== this) this.taskFor(input);
      } else if (input instanceof FlowParameter) parameters = true;
    }
    if (!parameters) return inputs;
    return inputs.map((input) => (input instanceof FlowParameter ? this.taskFor(input) : input));
  }

  /** Records the edge `from` → `to` (once: `to`'s edges are recorded one after the other). */
  #link(from: Task, to: Task): void {
    const list = this.#downstream[from.id];
    if (list === undefined) this.#downstream[from.id] = to;
    else if (list instanceof Task) {
      if (list === to) return;
      this.#downstream[from.id] = [list, to];
    } else if (list[list.length - 1] === to) return;
    else list.push(to);
  }

  #id(task: Task | FlowParameter): number {
    return this.taskFor(task).id;
  }
}

/** The tasks a task depends on: its task inputs, then its waited-for tasks, each once. */
function edgesOf(spec: TaskSpec): Task[] {
  const edges = new Set<Task>();
  for (const input of spec.inputs) if (input instanceof Task) edges.add(input);
  for (const t of spec.upstream) edges.add(t);
  return [...edges];
}

/** What a task subscribed on its own errors with: its own error, or why it was not run. */
function unwrap(task: Task<unknown>, error: unknown): unknown {
  if (!(error instanceof Failure)) return error;
  if (error.task === task) return error.error;
  return new FlowError(`task "${task.name}" was not run: task "${error.task.name}" failed`, {
    cause: error.error,
  });
}

/** A short description of a value that is not a task, for messages. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  return `${typeof value} ${String(value)}`;
}
