/**
 * What the dashboard shows of a flow: its graph (tasks and edges, and its Mermaid text) and
 * the state of each task in the current run, kept up to date from the run's events.
 *
 * The types are structural, so any flow of `lazyscribe/flow` fits them; the tasks of such a
 * flow are also grouped per experiment (see `taskGroups.ts`).
 *
 * @module
 */
import { type TaskNode, taskNodes } from "./taskGroups.js";

/** A task as the dashboard sees it. */
export interface DashboardTask {
  /** The task's name, as the graph shows it. */
  readonly name: string;
}

/** A flow as the dashboard sees it (`Flow` of `lazyscribe/flow`). */
export interface DashboardFlow {
  /** The flow's name. */
  readonly name: string;
  /** Every task of the flow, in the order they were recorded. */
  readonly tasks: readonly DashboardTask[];
  /** The tasks `task` waits for. */
  upstreamTasks(task: DashboardTask): readonly DashboardTask[];
  /** The graph as Mermaid text. */
  toMermaid(): string;
}

/** A task-run event as the dashboard sees it (`flow.run$()` emits them). */
export interface DashboardTaskEvent {
  /** What happened: `"started"`, `"value"`, `"retrying"`, `"succeeded"`, `"failed"` or `"not-run"`. */
  readonly type: string;
  /** The task it happened to. */
  readonly task: DashboardTask;
  /** A value the task emitted (`"value"` events). */
  readonly value?: unknown;
  /** The task's result (`"succeeded"` events). */
  readonly result?: unknown;
  /** Why the task failed, or why this attempt did (`"failed"`, `"retrying"`). */
  readonly error?: unknown;
  /** Which attempt is retrying (`"retrying"` events). */
  readonly attempt?: number;
  /** The failed task that kept this one from running (`"not-run"` events). */
  readonly upstream?: DashboardTask;
  /** For a task its trigger did not run: the trigger and what happened. */
  readonly reason?: string;
}

/** Where a task is in the current run. */
export type TaskStatus = "pending" | "running" | "retrying" | "succeeded" | "failed" | "not-run";

/** One task's state: its status and a short text (its last value, its error...). */
export interface TaskView {
  /** The task's index in `flow.tasks`. */
  readonly id: number;
  /** Where the task is in the run. */
  readonly status: TaskStatus;
  /** Its last value or its error, shortly, or null. */
  readonly detail: string | null;
}

/** Where the run is. */
export type RunStatus = "idle" | "running" | "succeeded" | "failed";

/** A short text for a value or an error (at most 120 characters). */
export function describe(value: unknown): string {
  let text: string;
  if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean" || value === null)
    text = String(value);
  else if (Array.isArray(value)) text = `[${value.length} values]`;
  else if (typeof value === "object") text = value.constructor?.name ?? "object";
  else text = String(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The graph of a flow and the state of its tasks in the current run. */
export class FlowView {
  readonly flow: DashboardFlow;
  readonly #ids = new Map<DashboardTask, number>();
  readonly #nodes: readonly TaskNode[];
  #states: TaskView[];
  #status: RunStatus = "idle";
  #seq = 0;

  constructor(flow: DashboardFlow) {
    this.flow = flow;
    flow.tasks.forEach((task, id) => {
      this.#ids.set(task, id);
    });
    this.#states = this.#pending();
    this.#nodes = taskNodes(flow.tasks);
  }

  /** Where the run is. */
  get status(): RunStatus {
    return this.#status;
  }

  #pending(): TaskView[] {
    return this.flow.tasks.map((_, id) => ({ id, status: "pending", detail: null }));
  }

  /**
   * How many changes of the task states so far: a browser that fetched the states (which
   * carry it) skips the task events it already holds.
   */
  get seq(): number {
    return this.#seq;
  }

  /** Resets every task to pending: a run starts. */
  start(): void {
    this.#seq++;
    this.#states = this.#pending();
    this.#status = "running";
  }

  /** Ends the run: failed if any task failed. */
  finish(error?: unknown): void {
    const failed = error !== undefined || this.#states.some((s) => s.status === "failed");
    this.#seq++;
    this.#status = failed ? "failed" : "succeeded";
  }

  /** Takes one event of the run; returns the task's new state (or `undefined` for a stranger). */
  record(event: DashboardTaskEvent): TaskView | undefined {
    const id = this.#ids.get(event.task);
    if (id === undefined) return undefined;
    const state = ((): TaskView => {
      switch (event.type) {
        case "started":
          return { id, status: "running", detail: null };
        case "value":
          return { id, status: "running", detail: describe(event.value) };
        case "retrying":
          return {
            id,
            status: "retrying",
            detail: `retry ${event.attempt}: ${describe(event.error)}`,
          };
        case "succeeded":
          return {
            id,
            status: "succeeded",
            detail: event.result === undefined ? null : describe(event.result),
          };
        case "failed":
          return { id, status: "failed", detail: describe(event.error) };
        case "not-run":
          return {
            id,
            status: "not-run",
            detail:
              event.reason !== undefined
                ? `not run: ${event.reason}`
                : event.upstream === undefined
                  ? "not run: a task upstream failed"
                  : `not run: "${event.upstream.name}" failed`,
          };
        default:
          return this.#states[id] as TaskView;
      }
    })();
    this.#states[id] = state;
    this.#seq++;
    return state;
  }

  /** The state of every task, by task index. */
  get tasks(): readonly TaskView[] {
    return this.#states;
  }

  /** How many tasks have finished (succeeded, failed or not run). */
  get finished(): number {
    return this.#states.filter(
      (s) => s.status === "succeeded" || s.status === "failed" || s.status === "not-run",
    ).length;
  }

  /**
   * `{ name, status, seq, mermaid, nodes, edges, tasks }`: the graph (each node with its
   * experiment group and what it logs) and the states, as of change `seq`.
   */
  toJSON(): object {
    const flow = this.flow;
    const edges: [number, number][] = [];
    flow.tasks.forEach((task, to) => {
      for (const upstream of flow.upstreamTasks(task)) {
        const from = this.#ids.get(upstream);
        if (from !== undefined) edges.push([from, to]);
      }
    });
    return {
      name: flow.name,
      status: this.#status,
      seq: this.#seq,
      mermaid: flow.toMermaid(),
      nodes: this.#nodes,
      edges,
      tasks: this.#states,
    };
  }
}
