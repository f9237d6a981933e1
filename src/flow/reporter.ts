/**
 * Where a run reports what its tasks do. `flow.run$()` turns each report into a task-run event;
 * `flow.run()` records the final states directly, without building events.
 *
 * @module
 */
import type { Subscriber } from "rxjs";
import type { TaskRunEvent } from "./events.js";
import type { Task } from "./task.js";

/** @internal What a run reports, one call per task-run event, then `end()`. */
export interface RunReporter {
  /** Whether the listener is gone (the run stops). */
  readonly closed: boolean;
  started(task: Task): void;
  value(task: Task, value: unknown): void;
  retrying(task: Task, attempt: number, error: unknown): void;
  succeeded(task: Task, result: unknown): void;
  failed(task: Task, error: unknown): void;
  notRun(task: Task, upstream: Task): void;
  /** Every task has finished. */
  end(): void;
}

/** @internal Reports a run as task-run events to a subscriber (`flow.run$()`). */
export class EventReporter implements RunReporter {
  readonly #subscriber: Subscriber<TaskRunEvent>;
  readonly #now: () => number;

  constructor(subscriber: Subscriber<TaskRunEvent>, now: () => number) {
    this.#subscriber = subscriber;
    this.#now = now;
  }

  get closed(): boolean {
    return this.#subscriber.closed;
  }
  started(task: Task): void {
    this.#subscriber.next({ type: "started", task, time: this.#now() });
  }
  value(task: Task, value: unknown): void {
    this.#subscriber.next({ type: "value", task, value, time: this.#now() });
  }
  retrying(task: Task, attempt: number, error: unknown): void {
    this.#subscriber.next({ type: "retrying", task, attempt, error, time: this.#now() });
  }
  succeeded(task: Task, result: unknown): void {
    this.#subscriber.next({ type: "succeeded", task, result, time: this.#now() });
  }
  failed(task: Task, error: unknown): void {
    this.#subscriber.next({ type: "failed", task, error, time: this.#now() });
  }
  notRun(task: Task, upstream: Task): void {
    this.#subscriber.next({ type: "not-run", task, upstream, time: this.#now() });
  }
  end(): void {
    this.#subscriber.complete();
  }
}
