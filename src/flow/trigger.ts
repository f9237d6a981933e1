/**
 * Triggers (Prefect 1's, named as strings in kebab case): when a task runs with respect to the
 * tasks it waits for without taking their values. The join is a `forkJoin` over those tasks'
 * streams; with no such task, every trigger lets the task run.
 *
 * - `"all-successful"` (the default of most tasks): every one succeeded; the join errors as soon
 *   as one fails, and the task is not run.
 * - `"all-finished"`: every one finished, whatever its outcome.
 * - `"any-successful"` (the default of `Save project`, `Merge projects`, `Create tabular data`):
 *   every one finished and at least one succeeded; so a run in which no experiment could be
 *   appended writes nothing.
 * - `"all-failed"`: every one finished and every one failed.
 *
 * @module
 */
import { catchError, endWith, forkJoin, ignoreElements, map, type Observable, of } from "rxjs";
import { FlowError } from "./errors.js";
import { Failure, TriggerSkip } from "./failure.js";
import type { Task } from "./task.js";

/** The triggers a task takes (see the module's documentation). */
export const TRIGGERS = ["all-successful", "all-finished", "any-successful", "all-failed"] as const;

/** When a task runs with respect to the tasks it waits for (see {@link TRIGGERS}). */
export type Trigger = (typeof TRIGGERS)[number];

/**
 * @internal Checks a trigger given by a user.
 *
 * @throws FlowError naming `owner` and the triggers there are.
 */
export function checkTrigger(trigger: unknown, owner: string): void {
  if (trigger === undefined || TRIGGERS.some((t) => t === trigger)) return;
  throw new FlowError(
    `${owner}: unknown trigger ${JSON.stringify(trigger)}: use one of ${TRIGGERS.map((t) => `"${t}"`).join(", ")}`,
  );
}

/**
 * The most sources one `forkJoin` joins. RxJS removes each finished source from its parent
 * subscription's list (`indexOf` and `splice`): over many pending sources (`Save project`
 * after 10^4 appends and more) that would cost time quadratic in their number.
 */
const GROUP = 1024;

/**
 * `forkJoin` over `sources`, as one array of their last values; over more than
 * {@link GROUP} sources, a `forkJoin` of `forkJoin`s over groups of them, flattened.
 */
export function joinAll<T>(sources: Observable<T>[]): Observable<T[]> {
  if (sources.length <= GROUP) return forkJoin(sources);
  const groups: Observable<T[]>[] = [];
  for (let i = 0; i < sources.length; i += GROUP) {
    groups.push(forkJoin(sources.slice(i, i + GROUP)));
  }
  return joinAll(groups).pipe(map(concatenate));
}

/** The lists `parts`, one after the other. */
function concatenate<T>(parts: readonly (readonly T[])[]): T[] {
  const all: T[] = [];
  for (const part of parts) all.push(...part);
  return all;
}

/**
 * @internal The end of `task`'s stream as its outcome: `[undefined]` when it succeeded, else
 * `[its failure]` (one outcome in a list, as the outcomes of a body's folded tasks come).
 */
export function settled(stream: Observable<unknown>, task: Task<unknown>): Observable<Outcome[]> {
  return stream.pipe(
    ignoreElements(),
    endWith(SUCCEEDED),
    catchError((error: unknown) => of([asFailure(error, task)])),
  );
}

/** @internal The end of a task's stream as one value, or its error at once. */
export function succeeded(stream: Observable<unknown>): Observable<undefined> {
  return stream.pipe(ignoreElements(), endWith(undefined));
}

/** How a waited-for task ended: `undefined` when it succeeded, else its failure. */
export type Outcome = Failure | undefined;

const SUCCEEDED: Outcome[] = [undefined];

/** @internal The error of `task`'s stream as a failure (one of its own, if not one already). */
export function asFailure(error: unknown, task: Task<unknown>): Failure {
  return error instanceof Failure ? error : new Failure(task, error);
}

/**
 * @internal The join of the tasks a task waits for, for `trigger`. `all-successful`: a
 * `forkJoin` over `succeeded$` (each emits once its tasks succeeded, errors at once with the
 * first failure). The others: a `forkJoin` over `outcomes$` (each emits the outcomes of its
 * tasks, `tasks` in the same order, flattened). Emits once when the trigger lets the task
 * run; else errors with the upstream {@link Failure} or a {@link TriggerSkip}.
 */
export function joinUpstream(
  tasks: readonly Task<unknown>[],
  trigger: Trigger,
  succeeded$: () => Observable<unknown>[],
  outcomes$: () => Observable<Outcome[]>[],
): Observable<void> {
  if (tasks.length === 0) return of(undefined);
  if (trigger === "all-successful") return joinAll(succeeded$()).pipe(map(() => undefined));
  return joinAll(outcomes$()).pipe(
    map((parts) => {
      const skip = refusal(trigger, tasks, concatenate(parts));
      if (skip !== undefined) throw skip;
    }),
  );
}
/** Why `trigger` refuses these outcomes, or `undefined` when it lets the task run. */
function refusal(
  trigger: Trigger,
  tasks: readonly Task<unknown>[],
  outcomes: readonly (Failure | undefined)[],
): TriggerSkip | undefined {
  if (trigger === "any-successful") {
    const [first] = outcomes;
    if (first === undefined || outcomes.includes(undefined)) return undefined;
    return new TriggerSkip(
      first.task,
      `trigger "any-successful": none of the tasks it waits for succeeded`,
    );
  }
  if (trigger === "all-failed") {
    const task = tasks[outcomes.indexOf(undefined)];
    if (task === undefined) return undefined;
    return new TriggerSkip(task, `trigger "all-failed": task "${task.name}" succeeded`);
  }
  return undefined;
}
