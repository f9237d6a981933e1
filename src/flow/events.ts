/**
 * What `flow.run$()` reports: one event each time a task starts, gives a value, retries,
 * succeeds, fails, or is not run because a task it depends on failed.
 *
 * @module
 */
import type { Task } from "./task.js";

/** What every task-run event carries. */
export interface TaskEventBase {
  /** The task. */
  readonly task: Task;
  /** When: the run's scheduler's `now()` (virtual frames under a `TestScheduler`), else `Date.now()`. */
  readonly time: number;
}

/** The task's inputs were ready and its function was called for the first time. */
export interface TaskStartedEvent extends TaskEventBase {
  readonly type: "started";
}

/** The task gave a value (once for most tasks; once per emission for a streamed input). */
export interface TaskValueEvent extends TaskEventBase {
  readonly type: "value";
  readonly value: unknown;
}

/** The task's function failed and will be called again. */
export interface TaskRetryingEvent extends TaskEventBase {
  readonly type: "retrying";
  /** Which retry this is: 1 for the first. */
  readonly attempt: number;
  /** The error of the failed attempt. */
  readonly error: unknown;
}

/** The task finished without an error. */
export interface TaskSucceededEvent extends TaskEventBase {
  readonly type: "succeeded";
  /** The task's last value (`undefined` if it gave none). */
  readonly result: unknown;
}

/** The task failed (after its retries). */
export interface TaskFailedEvent extends TaskEventBase {
  readonly type: "failed";
  readonly error: unknown;
}

/** The task was not run because a task it depends on failed. */
export interface TaskNotRunEvent extends TaskEventBase {
  readonly type: "not-run";
  /** The failed task that stopped it (the first failure upstream). */
  readonly upstream: Task;
}

/** Everything `flow.run$()` reports. */
export type TaskRunEvent =
  | TaskStartedEvent
  | TaskValueEvent
  | TaskRetryingEvent
  | TaskSucceededEvent
  | TaskFailedEvent
  | TaskNotRunEvent;
