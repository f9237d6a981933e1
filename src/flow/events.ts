/**
 * What `flow.run$()` reports: one event each time a task starts, gives a value, retries,
 * succeeds, fails, or is not run; and the events of each project the run opens. Events of
 * logging tasks say which experiment (name, and slug once the experiment exists in the run),
 * which kind of value and which key they log.
 *
 * @module
 */
import { filter, map, type Observable, type OperatorFunction } from "rxjs";
import type { ProjectEvent } from "../index.js";
import type { LogKind } from "./spec.js";
import type { Task } from "./task.js";

export type { LogKind } from "./spec.js";

/** What the events of a logging task carry besides the task. */
export interface LogFields {
  /** The experiment the value is logged on: its name, and its slug once it exists in the run. */
  readonly experiment: {
    /** The experiment's name, as given to `flow.experiment()`. */
    readonly name: string;
    /** The experiment's slug (name and creation time), once the experiment exists in the run. */
    readonly slug?: string;
  };
  /** The test, for a test's metric or parameter. */
  readonly test?: string;
  /** What is logged: a metric, a parameter, tags, a test (its append) or an artifact. */
  readonly kind: LogKind;
  /** The metric's, parameter's, test's or artifact's name; the tags, for plain tags. */
  readonly key: string | undefined;
}

/** What every task-run event carries. */
export interface TaskEventBase extends Partial<LogFields> {
  /** The task. */
  readonly task: Task<unknown>;
  /** When: the run's scheduler's `now()` (virtual frames under a `TestScheduler`). */
  readonly time: number;
}

/** The task's inputs were ready and its function was called for the first time. */
export interface TaskStartedEvent extends TaskEventBase {
  /** Always `"started"`. */
  readonly type: "started";
}

/** The task gave a value (once for most tasks; once per emission for a streamed input). */
export interface TaskValueEvent extends TaskEventBase {
  /** Always `"value"`. */
  readonly type: "value";
  /** The value the task gave. */
  readonly value: unknown;
}

/** The task's function failed and will be called again. */
export interface TaskRetryingEvent extends TaskEventBase {
  /** Always `"retrying"`. */
  readonly type: "retrying";
  /** Which retry this is: 1 for the first. */
  readonly attempt: number;
  /** The error of the failed attempt. */
  readonly error: unknown;
}

/** The task finished without an error. */
export interface TaskSucceededEvent extends TaskEventBase {
  /** Always `"succeeded"`. */
  readonly type: "succeeded";
  /** The task's last value (`undefined` if it gave none). */
  readonly result: unknown;
}

/** The task failed (after its retries). */
export interface TaskFailedEvent extends TaskEventBase {
  /** Always `"failed"`. */
  readonly type: "failed";
  /** The error of the last attempt. */
  readonly error: unknown;
}

/** The task was not run: a task it depends on failed, or its trigger refused to run it. */
export interface TaskNotRunEvent extends TaskEventBase {
  /** Always `"not-run"`. */
  readonly type: "not-run";
  /** The task that stopped it: the first failure upstream, or the one its trigger refused. */
  readonly upstream: Task<unknown>;
  /** Set when the task's trigger refused to run it: the trigger and what happened. */
  readonly reason?: string;
}

/** An event of a project the run opened (a metric logged, an experiment appended, a save). */
export interface ProjectRunEvent {
  /** Always `"project"`. */
  readonly type: "project";
  /** The task whose value the project is (`Open project`, `Merge projects`). */
  readonly task: Task<unknown>;
  /** The project's own event, as its `events$` reports it. */
  readonly event: ProjectEvent;
  /** When: the run's scheduler's `now()`, as for the task events. */
  readonly time: number;
}

/** Everything `flow.run$()` reports. */
export type TaskRunEvent =
  | TaskStartedEvent
  | TaskValueEvent
  | TaskRetryingEvent
  | TaskSucceededEvent
  | TaskFailedEvent
  | TaskNotRunEvent
  | ProjectRunEvent;

/**
 * The events of the projects a run opens, as one stream that completes when the run ends:
 * `flow.run$().pipe(projectEvents())`.
 */
export function projectEvents(): OperatorFunction<TaskRunEvent, ProjectEvent> {
  return (run$: Observable<TaskRunEvent>) =>
    run$.pipe(
      filter((e): e is ProjectRunEvent => e.type === "project"),
      map((e) => e.event),
    );
}
