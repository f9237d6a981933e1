/**
 * The lazy objects whose `log(...)` or `logTest(...)` body has finished: logging on them then
 * would not be waited for by their append, so it is refused.
 *
 * @module
 */
import { isPromiseLike } from "../guards.js";
import { FlowContextError, FlowError } from "./errors.js";
import type { Task } from "./task.js";

const closed = new WeakSet<Task>();

/** @internal Runs a body that logs on `target`, then closes `target` to further logging. */
export function runBody<T extends Task>(target: T, body: (target: T) => unknown): void {
  const result = body(target);
  closed.add(target);
  if (isPromiseLike(result)) {
    throw new FlowError(
      `the body for "${target.name}" returned a promise: a body records tasks synchronously; put async work inside tasks and pass them as values`,
    );
  }
}

/** @internal Throws when `target`'s body has finished. */
export function assertOpen(target: Task, what: string): void {
  if (closed.has(target)) {
    throw new FlowContextError(
      `${what} was called after the body for "${target.name}" finished: log inside the body, so that the append waits for it`,
    );
  }
}
