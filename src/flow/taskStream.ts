/**
 * One task's stream in one run, composed from RxJS operators:
 *
 * ```text
 * join(waited-for tasks, trigger)          forkJoin over their streams (see trigger.ts)
 *   concatMap(() => inputs)                 combineLatest over its streaming inputs
 *   concatMap(args => call(args))           defer + retry + the run's concurrency limits
 *   tap(report value; run the body)         the tasks folded into it run here (body.ts)
 *   catchError(report failed / not run)
 *   share(ReplaySubject)                    runs once per run, replayed to every consumer
 * ```
 *
 * So `Save project` is chained with `concatMap` after a `forkJoin` over every `Append
 * experiment`, its trigger (`"any-successful"`) deciding whether it runs. An append whose
 * experiment logs a value given by a task or an Observable waits, the same way, for that
 * stream and for the body its plain logging ran in; an append of plain logging is folded into
 * its project's body, right after that logging. A folded task's stream is its body's result.
 *
 * @module
 */
import {
  catchError,
  concatMap,
  defer,
  map,
  type Observable,
  ReplaySubject,
  share,
  tap,
  throwError,
} from "rxjs";
import type { Body } from "./body.js";
import { FlowError } from "./errors.js";
import { Failure, TriggerSkip } from "./failure.js";
import { combineInputs } from "./inputs.js";
import type { Run } from "./run.js";
import type { TaskSpec } from "./spec.js";
import type { Task } from "./task.js";
import { joinUpstream, settled, succeeded } from "./trigger.js";

/** @internal The stream of `task` in `run`: made once per run, shared and replayed. */
export function taskStream(task: Task<unknown>, run: Run): Observable<unknown> {
  const spec: TaskSpec = task;
  if (spec.body !== undefined) return run.memberStream(task, spec.body);
  return defer(() => {
    let started = false;
    let last: unknown;
    const reporter = run.reporter;
    const onStart = () => {
      if (started) return;
      started = true;
      reporter.started(task);
    };
    const body = spec.owns;
    const inputs$ = combineInputs(spec.inputs, (input) => run.source(input));
    const args$ =
      spec.upstream.length === 0 ? inputs$ : join(spec, run).pipe(concatMap(() => inputs$));
    let calledWith: readonly unknown[] = [];
    return args$.pipe(
      spec.bookkeeping
        ? // A short synchronous call giving one value: `map` is enough.
          map((args) => {
            calledWith = args;
            onStart();
            return spec.work(args, run.context(task));
          })
        : concatMap((args) => {
            calledWith = args;
            return run.invoke(task, args, onStart);
          }),
      tap({
        next: (value) => {
          last = value;
          reporter.value(task, value);
          if (body !== undefined) run.runBody(body, calledWith, value);
        },
        complete: () => {
          if (!started)
            throw new FlowError(`task "${task.name}" got no value: an input completed empty`);
          reporter.succeeded(task, last);
        },
      }),
      catchError((error: unknown) => {
        const failure = report(task, error, started, run);
        if (body !== undefined) body.skip(failure, reporter);
        return throwError(() => failure);
      }),
    );
  }).pipe(
    share({
      connector: () => new ReplaySubject<unknown>(),
      resetOnError: false,
      resetOnComplete: false,
      resetOnRefCountZero: true,
    }),
  );
}

/**
 * The join of the tasks a task waits for without taking their values: the folded tasks of
 * one body are joined as one stream (their body's end), the others each by its own stream.
 */
function join(spec: TaskSpec, run: Run): Observable<void> {
  const streamed: Task<unknown>[] = [];
  const bodies = new Map<Body, Task<unknown>[]>();
  for (const t of spec.upstream) {
    const body = t.body;
    if (body === undefined) streamed.push(t);
    else {
      const list = bodies.get(body);
      if (list === undefined) bodies.set(body, [t]);
      else list.push(t);
    }
  }
  const groups = [...bodies];
  const tasks =
    groups.length === 0 ? streamed : [...streamed, ...groups.flatMap(([, list]) => list)];
  return joinUpstream(
    tasks,
    spec.policy.trigger,
    () => [
      ...streamed.map((t) => succeeded(run.stream(t))),
      ...groups.map(([body, list]) => run.membersDone(body, list)),
    ],
    () => [
      ...streamed.map((t) => settled(run.stream(t), t)),
      ...groups.map(([body, list]) => run.memberOutcomes(body, list)),
    ],
  );
}

/** Reports how `task` ended with `error`; returns what its stream errors with. */
function report(task: Task<unknown>, error: unknown, started: boolean, run: Run): Failure {
  const reporter = run.reporter;
  if (error instanceof TriggerSkip) {
    reporter.notRun(task, error.upstream, error.reason);
    return new Failure(task, new FlowError(`task "${task.name}" was not run: ${error.reason}`));
  }
  if (error instanceof Failure && !started) {
    reporter.notRun(task, error.task);
    return error;
  }
  const own =
    error instanceof Failure
      ? new FlowError(
          `task "${error.task.name}", an input of "${task.name}", failed while "${task.name}" was running`,
          { cause: error.error },
        )
      : error;
  reporter.failed(task, own);
  return new Failure(task, own);
}
