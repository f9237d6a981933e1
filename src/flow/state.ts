/**
 * The state of a finished run: whether it succeeded, each task's final state and result.
 *
 * @module
 */
import { describeError, FlowError, FlowRunError, type TaskFailure } from "./errors.js";
import type { Flow } from "./flow.js";
import type { RunReporter } from "./reporter.js";
import type { FlowParameter, Task } from "./task.js";

/** The final state of one task in a run. */
export type TaskState<T = unknown> =
  | {
      /** The task finished without an error. */
      readonly status: "succeeded";
      /** The task's last value (`undefined` if it gave none). */
      readonly result: T | undefined;
    }
  | {
      /** The task failed (after its retries). */
      readonly status: "failed";
      /** What it threw, or the error its Observable or promise delivered. */
      readonly error: unknown;
    }
  | {
      /** The task was not run: a task it depends on failed, or its trigger refused to run it. */
      readonly status: "not-run";
      /** The task that stopped this one: the first failure upstream, or the one its trigger refused. */
      readonly upstream: Task;
      /** Set when the task's trigger refused to run it: the trigger and what happened. */
      readonly reason?: string;
    };

/** A failed task of a run and its error. */
export interface FailedTask extends TaskFailure {
  readonly task: Task;
}

/**
 * The state of a finished run of a flow: `isSuccessful()`, each task's {@link TaskState}, and
 * its result.
 */
export class FlowState {
  /** The flow that ran. */
  readonly flow: Flow;
  /** The tasks that failed, in the order they failed (empty for a successful run). */
  readonly failures: readonly FailedTask[];
  /** For a failed run, the error that names each failed task and its error. */
  readonly error: FlowRunError | undefined;
  readonly #stateOf: (id: number) => TaskState;

  /** @internal Made by a run. */
  constructor(flow: Flow, stateOf: (id: number) => TaskState, failures: readonly FailedTask[]) {
    this.flow = flow;
    this.#stateOf = stateOf;
    this.failures = failures;
    this.error = failures.length === 0 ? undefined : new FlowRunError(flow.name, failures);
  }

  /** `"succeeded"` when every task succeeded, else `"failed"`. */
  get status(): "succeeded" | "failed" {
    return this.failures.length === 0 ? "succeeded" : "failed";
  }

  /** Whether every task succeeded. */
  isSuccessful(): boolean {
    return this.failures.length === 0;
  }

  /** Whether a task failed. */
  isFailed(): boolean {
    return !this.isSuccessful();
  }

  /** A one-line summary: `flow "X" succeeded`, or the failed tasks and their errors. */
  get message(): string {
    return this.error?.message ?? `flow "${this.flow.name}" succeeded`;
  }

  /** The final state of a task (or of a parameter's task) of this flow. */
  taskState<T>(task: Task<T> | FlowParameter<T>): TaskState<T> {
    return this.#stateOf(this.flow.taskFor(task).id) as TaskState<T>;
  }

  /**
   * The result of a task: its last value (the `Project` of a `LazyProject`, the `Experiment`
   * of an experiment task, the rows of `Create tabular data`...).
   *
   * @throws FlowError when the task failed or was not run.
   */
  result<T>(task: Task<T> | FlowParameter<T>): T {
    const state = this.taskState(task);
    if (state.status === "succeeded") return state.result as T;
    const why =
      state.status === "failed"
        ? `it failed: ${describeError(state.error)}`
        : state.reason !== undefined
          ? `it was not run: ${state.reason}`
          : `it was not run because task "${state.upstream.name}" failed`;
    throw new FlowError(`task "${task.name}" of flow "${this.flow.name}" has no result: ${why}`);
  }
}

const SUCCEEDED = 1;
const FAILED = 2;
const NOT_RUN = 3;

/** @internal Records a run's final states (a reporter of `flow.run()`), then builds the state. */
export class StateRecorder implements RunReporter {
  readonly #flow: Flow;
  /** Per task id: 0 (not finished), SUCCEEDED, FAILED or NOT_RUN. */
  readonly #status: Uint8Array;
  /** Per task id: the result, the error, or the upstream task that failed. */
  readonly #detail: unknown[];
  readonly #failures: FailedTask[] = [];
  /** Per task id, for tasks not run by their trigger: why. */
  readonly #reasons = new Map<number, string>();

  constructor(flow: Flow) {
    this.#flow = flow;
    this.#status = new Uint8Array(flow.tasks.length);
    this.#detail = flow.tasks.map(() => undefined);
  }

  started(): void {}
  value(): void {}
  retrying(): void {}
  succeeded(task: Task, result: unknown): void {
    this.#status[task.id] = SUCCEEDED;
    this.#detail[task.id] = result;
  }
  failed(task: Task, error: unknown): void {
    this.#status[task.id] = FAILED;
    this.#detail[task.id] = error;
    this.#failures.push({ task, error });
  }
  notRun(task: Task, upstream: Task, reason?: string): void {
    this.#status[task.id] = NOT_RUN;
    this.#detail[task.id] = upstream;
    if (reason !== undefined) this.#reasons.set(task.id, reason);
  }
  end(): void {}

  /** The state, once every task has finished. */
  finish(): FlowState {
    const status = this.#status;
    const detail = this.#detail;
    const reasons = this.#reasons;
    const stateOf = (id: number): TaskState => {
      switch (status[id]) {
        case SUCCEEDED:
          return { status: "succeeded", result: detail[id] };
        case FAILED:
          return { status: "failed", error: detail[id] };
        default: {
          const reason = reasons.get(id);
          const upstream = detail[id] as Task;
          return reason === undefined
            ? { status: "not-run", upstream }
            : { status: "not-run", upstream, reason };
        }
      }
    };
    return new FlowState(this.#flow, stateOf, this.#failures);
  }
}
