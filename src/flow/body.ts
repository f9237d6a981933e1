/**
 * A task's synchronous body. Most tasks of a flow are bookkeeping on plain values (starting an
 * experiment, `logMetric("x", 1)`, appending it): they are folded, when recorded, into the body
 * of the task they hang from (a project's experiments into the project's task; an experiment's
 * logging into the body its experiment is in), and run right after that task gives its value,
 * in the order they were recorded, one plain call each, instead of paying for a stream of
 * their own: a flow of N plain experiments runs as a handful of streams, not 40 N. They stay
 * tasks of the graph (named, with their edges), and each reports started, value and succeeded
 * (or failed, or not run) as any task does; a task that takes one of them as an input gets its
 * value as from any task, and a failure stops only the folded tasks that depend on it.
 *
 * A task is folded when it is bookkeeping (a short synchronous call on objects in memory, no
 * retries) and each of its inputs and waited-for tasks is a plain value, the body's task,
 * another folded task of the same body, or an input task of the body's task. Anything else (a
 * value given by another task or an Observable, an artifact to load) runs as a task stream of
 * its own.
 *
 * @module
 */
import { Failure } from "./failure.js";
import type { RunReporter } from "./reporter.js";
import type { RunContext } from "./run.js";
import { isPlain, type SpecInit, type TaskSpec } from "./spec.js";
import { Task } from "./task.js";

/** @internal A task (a project's, an experiment's) and the tasks folded into its body. */
export class Body {
  /** The folded tasks, in the order they were recorded. */
  readonly members: Task<unknown>[] = [];

  constructor(
    /** The task whose body it is. */
    readonly root: Task<unknown>,
  ) {}

  /** Whether a task recorded from `init` (its parameters resolved in `inputs`) can be folded. */
  admits<A extends readonly unknown[], R>(
    init: SpecInit<A, R>,
    inputs: readonly unknown[],
  ): boolean {
    if (init.bookkeeping !== true || (init.retries ?? 0) > 0) return false;
    // Indexed loops: this runs for every task recorded, and `for...of` allocates an iterator.
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (!(input instanceof Task ? this.#holds(input, true) : isPlain(input))) return false;
    }
    const upstream = init.upstream;
    if (upstream === undefined) return true;
    for (let i = 0; i < upstream.length; i++) {
      const t = upstream[i];
      if (t === undefined || !this.#holds(t, false)) return false;
    }
    return true;
  }

  #holds(task: Task<unknown>, asInput: boolean): boolean {
    if (task === this.root || task.body === this) return true;
    return asInput && this.root.inputs.includes(task);
  }

  /** Folds `task` into this body. */
  adopt(task: Task<unknown>): void {
    const spec: TaskSpec = task;
    spec.body = this;
    spec.member = this.members.length;
    this.members.push(task);
  }

  /**
   * Runs the folded tasks of one run of the body's task, which gave `value` for `rootArgs`;
   * reports each; puts each one's value, or its {@link Failure}, in `results`.
   */
  run(
    rootArgs: readonly unknown[],
    value: unknown,
    reporter: RunReporter,
    context: RunContext,
    results: unknown[],
  ): void {
    const members = this.members;
    // Bookkeeping functions read their arguments and keep none: one list serves every call.
    const args: unknown[] = [];
    for (let m = 0; m < members.length; m++) {
      const task = members[m];
      if (task === undefined) continue;
      const spec: TaskSpec = task;
      const blocked = this.#blocked(spec, results);
      if (blocked !== undefined) {
        reporter.notRun(task, blocked.task);
        results.push(blocked);
        continue;
      }
      const inputs = spec.inputs;
      args.length = inputs.length;
      for (let i = 0; i < inputs.length; i++) {
        args[i] = this.#valueOf(inputs[i], rootArgs, value, results);
      }
      reporter.started(task);
      try {
        const result = spec.work(args, context);
        reporter.value(task, result);
        reporter.succeeded(task, result);
        results.push(result);
      } catch (error) {
        reporter.failed(task, error);
        results.push(new Failure(task, error));
      }
    }
  }

  /** Reports every folded task not run: the body's task failed (`failure`). */
  skip(failure: Failure, reporter: RunReporter): void {
    for (const task of this.members) reporter.notRun(task, failure.task);
  }

  /** The first failure among the folded tasks `spec` depends on, if any. */
  #blocked(spec: TaskSpec, results: readonly unknown[]): Failure | undefined {
    const inputs = spec.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (input instanceof Task && input.body === this && input !== this.root) {
        const result = results[input.member];
        if (result instanceof Failure) return result;
      }
    }
    const upstream = spec.upstream;
    for (let i = 0; i < upstream.length; i++) {
      const t = upstream[i];
      if (t?.body !== this) continue;
      const result = results[t.member];
      if (result instanceof Failure) return result;
    }
    return undefined;
  }

  #valueOf(input: unknown, rootArgs: readonly unknown[], value: unknown, results: unknown[]) {
    if (!(input instanceof Task)) return input;
    if (input === this.root) return value;
    if (input.body === this) return results[input.member];
    return rootArgs[this.root.inputs.indexOf(input)];
  }
}
