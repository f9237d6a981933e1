/**
 * How a failure travels between the tasks of a run: a task's stream errors with a
 * {@link Failure} naming the task that failed first, so that each task downstream can say
 * which task stopped it.
 *
 * @module
 */
import type { Task } from "./task.js";

/** @internal What a task's stream errors with: the task that failed (or was skipped) and why. */
export class Failure {
  constructor(
    /** The task that failed first, or that its trigger skipped. */
    readonly task: Task<unknown>,
    /** Its error. */
    readonly error: unknown,
  ) {}
}

/** @internal Why a trigger did not let its task run: the upstream task that decided it. */
export class TriggerSkip {
  constructor(
    /** The upstream task whose outcome the trigger refused. */
    readonly upstream: Task<unknown>,
    /** A sentence for the user: the trigger and what happened. */
    readonly reason: string,
  ) {}
}
