/**
 * The errors of the workflow layer. They extend the core's {@link LazyscribeError}, so one
 * `instanceof LazyscribeError` check catches them with the rest.
 *
 * @module
 */
import { LazyscribeError } from "../errors.js";

/** Raised when a flow is built or run wrongly: a bad input, a missing parameter, a bad graph. */
export class FlowError extends LazyscribeError {}

/**
 * Raised when a lazy method (`task(...).bind()`, `project.log(...)`, `exp.logMetric(...)`...)
 * is called outside the builder of a `Flow`, or on a task of another flow.
 */
export class FlowContextError extends FlowError {}

/** What made a run fail: a task, and the error it raised. */
export interface TaskFailure {
  /** The task that failed. */
  readonly task: {
    /** The task's name, as the run error's message shows it. */
    readonly name: string;
  };
  /** What it threw, or the error its Observable or promise delivered. */
  readonly error: unknown;
}

/** How many failed tasks a {@link FlowRunError}'s message names. */
const SHOWN_FAILURES = 5;

/**
 * The error of a failed run: names the tasks that failed and their errors (the first five in
 * its message, all in `failures`). The first task's error is the `cause`.
 */
export class FlowRunError extends FlowError {
  /** The tasks that failed, in the order they failed. */
  readonly failures: readonly TaskFailure[];

  constructor(flowName: string, failures: readonly TaskFailure[]) {
    const shown = failures.slice(0, SHOWN_FAILURES);
    const list = shown.map((f) => `task "${f.task.name}" failed: ${describeError(f.error)}`);
    const more = failures.length - shown.length;
    if (more > 0) list.push(`and ${more} more failed tasks (see failures)`);
    super(`flow "${flowName}" failed: ${list.join("; ")}`, { cause: failures[0]?.error });
    this.failures = failures;
  }
}

/** A one-line description of a thrown value: `Name: message` for errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
