/**
 * `Flow`: a named graph of tasks, recorded while its builder runs, and run as cold
 * observables.
 *
 * @module
 */
import type { Observable } from "rxjs";
import { buildWith, currentFlow } from "./context.js";
import { EdgeCounts } from "./counts.js";
import { FlowContextError, FlowError } from "./errors.js";
import type { TaskRunEvent } from "./events.js";
import { toMermaid } from "./mermaid.js";
import { type RunOptions, runFlow, startRun } from "./run.js";
import { type FlowState, StateRecorder } from "./state.js";
import { FlowParameter, type ResolvedSpec, Task, type TaskNode, type TaskSpec } from "./task.js";

const NONE: readonly Task[] = [];

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
  /** @internal The edge counts each run starts from. */
  readonly counts = new EdgeCounts();

  /**
   * Records a flow: runs `builder`, in which lazy methods add tasks to this flow.
   *
   * @throws FlowError if the builder returns a promise (a graph is recorded synchronously).
   */
  constructor(name: string, builder: (flow: Flow) => void) {
    this.name = name;
    buildWith(this, () => {
      const result: unknown = builder(this);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
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
    return edgesOf(this.taskFor(task).spec as ResolvedSpec);
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
   * With a virtual-time `scheduler` (RxJS's `TestScheduler`), the run moves virtual time
   * forward itself, one frame at a time, letting promises settle in between.
   *
   * @throws FlowError (rejects) for a missing or unknown parameter.
   */
  run(options: RunOptions = {}): Promise<FlowState> {
    return new Promise((resolve, reject) => {
      let stop: (() => void) | undefined;
      let ended = false;
      const recorder = new StateRecorder(this, () => {
        ended = true;
        stop?.();
        resolve(recorder.finish());
      });
      try {
        stop = startRun(this, options, recorder);
      } catch (error) {
        reject(error);
        return;
      }
      if (ended) stop();
    });
  }

  /**
   * The same run as an Observable of task-run events (started, value, succeeded, failed,
   * not-run, retrying). Cold: each subscription is a new run. Unsubscribing stops the run.
   */
  run$(options: RunOptions = {}): Observable<TaskRunEvent> {
    return runFlow(this, options);
  }

  /** The task of `task` in this flow: the task itself, or the task of a parameter. */
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
        run: (_, scope) => scope.parameter(parameter.name),
      });
      this.#parameters.set(parameter, node);
      return node;
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
  add<X extends Task = Task>(spec: TaskSpec, make?: (node: TaskNode) => X): X {
    if (currentFlow() !== this) {
      throw new FlowContextError(
        `task "${spec.name}" cannot be added to flow "${this.name}": its builder is not running`,
      );
    }
    let inputs = spec.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task) {
        if (input.boundTo !== this) this.taskFor(input);
      } else if (input instanceof FlowParameter) {
        if (inputs === spec.inputs) inputs = inputs.slice();
        (inputs as unknown[])[i] = this.taskFor(input);
      }
    }
    const resolved: ResolvedSpec = {
      name: spec.name,
      inputs,
      upstream: spec.upstream ?? NONE,
      trigger: spec.trigger ?? "all-succeeded",
      retries: spec.retries ?? 0,
      retryDelay: spec.retryDelay ?? 0,
      run: spec.run,
    };
    for (const t of resolved.upstream) if (t.boundTo !== this) this.taskFor(t);
    const node: TaskNode = { flow: this, id: this.#tasks.length, spec: resolved };
    const task = make === undefined ? (new Task(spec.name, node) as X) : make(node);
    this.#tasks.push(task);
    this.#downstream.push(undefined);
    this.counts.addTask();
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task) this.#link(input, task);
    }
    const upstream = resolved.upstream;
    for (let i = 0; i < upstream.length; i++) {
      const up = upstream[i] as Task;
      this.#link(up, task);
      this.counts.addJoin(up.id);
    }
    return task;
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
    this.counts.addEdge(from.id, to.id);
  }

  #id(task: Task | FlowParameter): number {
    return this.taskFor(task).id;
  }
}

/** The tasks a task depends on: its task inputs, then its ordering-only upstream, each once. */
function edgesOf(spec: ResolvedSpec): Task[] {
  const edges = new Set<Task>();
  for (const input of spec.inputs) if (input instanceof Task) edges.add(input);
  for (const t of spec.upstream) edges.add(t);
  return [...edges];
}
