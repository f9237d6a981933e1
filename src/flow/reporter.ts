/**
 * Where a run reports what its tasks do. `flow.run$()` turns each report into a task-run event
 * (with what a UI needs: the experiment, the kind and the key of a logging task, and the
 * events of the projects the run opens); `flow.run()` records the final states directly.
 *
 * @module
 */
import { type Subscriber, Subscription } from "rxjs";
import { Project } from "../index.js";
import type { LogFields, TaskRunEvent } from "./events.js";
import { logFieldsOf } from "./logFields.js";
import type { Task } from "./task.js";

/** @internal What a run reports, one call per task-run event, then `end()`. */
export interface RunReporter {
  started(task: Task<unknown>): void;
  value(task: Task<unknown>, value: unknown): void;
  retrying(task: Task<unknown>, attempt: number, error: unknown): void;
  succeeded(task: Task<unknown>, result: unknown): void;
  failed(task: Task<unknown>, error: unknown): void;
  notRun(task: Task<unknown>, upstream: Task<unknown>, reason?: string): void;
  /** Every task has finished. */
  end(): void;
}

/** @internal Reports nothing (a task subscribed on its own). */
export const SILENT: RunReporter = {
  started() {},
  value() {},
  retrying() {},
  succeeded() {},
  failed() {},
  notRun() {},
  end() {},
};

/** @internal Reports a run as task-run events to a subscriber (`flow.run$()`). */
export class EventReporter implements RunReporter {
  readonly #subscriber: Subscriber<TaskRunEvent>;
  readonly #now: () => number;
  readonly #slugOf: (task: Task<unknown>) => string | undefined;
  readonly #projects = new Subscription();
  readonly #watched = new WeakSet<Project>();

  constructor(
    subscriber: Subscriber<TaskRunEvent>,
    now: () => number,
    slugOf: (task: Task<unknown>) => string | undefined,
  ) {
    this.#subscriber = subscriber;
    this.#now = now;
    this.#slugOf = slugOf;
    subscriber.add(this.#projects);
  }

  #next(event: TaskRunEvent): void {
    this.#subscriber.next(event);
  }

  /** The logging fields of `task`'s events (none for other tasks). */
  #fields(task: Task<unknown>): LogFields | undefined {
    return logFieldsOf(task, this.#slugOf);
  }

  started(task: Task<unknown>): void {
    this.#next({ type: "started", task, time: this.#now(), ...this.#fields(task) });
  }
  value(task: Task<unknown>, value: unknown): void {
    this.#next({ type: "value", task, value, time: this.#now(), ...this.#fields(task) });
    if (value instanceof Project && !this.#watched.has(value)) this.#watch(task, value);
  }
  retrying(task: Task<unknown>, attempt: number, error: unknown): void {
    this.#next({
      type: "retrying",
      task,
      attempt,
      error,
      time: this.#now(),
      ...this.#fields(task),
    });
  }
  succeeded(task: Task<unknown>, result: unknown): void {
    this.#next({ type: "succeeded", task, result, time: this.#now(), ...this.#fields(task) });
  }
  failed(task: Task<unknown>, error: unknown): void {
    this.#next({ type: "failed", task, error, time: this.#now(), ...this.#fields(task) });
  }
  notRun(task: Task<unknown>, upstream: Task<unknown>, reason?: string): void {
    const time = this.#now();
    const fields = this.#fields(task);
    this.#next(
      reason === undefined
        ? { type: "not-run", task, upstream, time, ...fields }
        : { type: "not-run", task, upstream, reason, time, ...fields },
    );
  }
  end(): void {
    this.#projects.unsubscribe();
    this.#subscriber.complete();
  }

  /** Passes on the events of a project the run opened, until the run ends. */
  #watch(task: Task<unknown>, project: Project): void {
    this.#watched.add(project);
    this.#projects.add(
      project.events$.subscribe((event) =>
        this.#next({ type: "project", task, event, time: this.#now() }),
      ),
    );
  }
}
