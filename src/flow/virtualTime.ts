/**
 * Virtual time for flows: what runs in RxJS's stock `TestScheduler.run()`, and the one thing
 * that cannot (a task function that returns a promise).
 *
 * Everything the engine and the core do is an Observable: tasks that give values or
 * Observables, opening and saving a project (`Project.open$`, `project.save$`), appends and
 * logging. Inside `TestScheduler.run()` RxJS's own schedulers (the asap scheduler a run starts
 * on, the async scheduler of retry delays) are virtual, and on `memory://` the project's reads
 * and writes emit synchronously, so `expectObservable(flow.run$())` records a whole flow that
 * opens, logs to and saves a project, and the file is written by the time `run()` returns.
 *
 * A promise is another matter. `run()` calls `flush()` before it returns, and `flush()` is one
 * synchronous loop over the scheduled actions; a promise settles in a microtask, which
 * JavaScript runs only once that loop (the whole `run()` callback and its flush) has returned.
 * No API runs microtasks from inside it, so a task function that returns a promise (an `async`
 * function of the user's) cannot give its value before the expectations are checked, and
 * neither can `Open project` or `Save project` on a local path or S3, whose storage answers
 * with promises (`storageWork` turns the end of their Observable into one when it does not
 * complete at once). Inside `run()` such a task fails at once with a `FlowError` that says so,
 * instead of the run stopping there silently and finishing, in real time, after the test.
 *
 * For those, {@link flushVirtualTime} remains: give the `TestScheduler` to the run
 * (`flow.run$({ scheduler })` or `flow.run({ scheduler })`), declare expectations with
 * `scheduler.expectObservable(...)`, and `await flushVirtualTime(scheduler)`. It executes the
 * scheduler's actions one frame at a time and waits, between frames, for every promise a task
 * of the run returned, so virtual time never advances while one is pending; then it checks the
 * expectations (`scheduler.flush()`).
 *
 * How a promise under virtual time is recognised, without inspecting a scheduler's type: a
 * run's scheduler holds virtual time for a promise when `flushVirtualTime` is driving it (it
 * registers it here). Otherwise the clock tells: inside `TestScheduler.run()` RxJS points the
 * async scheduler's clock at the test's frame count, through delegates of its internal
 * timestamp provider that the package does not export, and the flow is given no handle on
 * the `TestScheduler` (stock `run()` passes none to the code under test). So "the async
 * scheduler's `now()` is far from `Date.now()`" is the only public sign that a run is inside
 * `run()`, and the same test on the run's own scheduler tells a virtual one that nothing
 * drives. Both clocks are read through `Date.now()` in real time, so a faked `Date` (vitest's
 * fake timers) moves them together and is not mistaken for virtual time.
 *
 * @module
 */
import {
  asyncScheduler,
  defer,
  finalize,
  from,
  lastValueFrom,
  type Observable,
  ReplaySubject,
  type SchedulerLike,
  VirtualTimeScheduler,
} from "rxjs";
import type { TestScheduler } from "rxjs/testing";
import { FlowError } from "./errors.js";

/** Per scheduler being driven by {@link flushVirtualTime}: the promises of tasks pending. */
const driven = new WeakMap<object, Set<PromiseLike<unknown>>>();

/** Whether `scheduler`'s clock is not the wall clock (see the module comment). */
function isVirtualClock(scheduler: SchedulerLike): boolean {
  return Math.abs(scheduler.now() - Date.now()) > 1_000;
}

/**
 * @internal `promise`, which task `task` waits for, as an Observable: time waits for it when
 * {@link flushVirtualTime} drives `scheduler` (the run's, if given); under a virtual clock
 * that nothing drives, the task fails at once with a `FlowError` saying where and what to do.
 *
 * @param what - what the task does, for the error (it returned the promise, by default).
 * @param instead - what to do instead, for the error.
 */
export function awaited<T>(
  scheduler: SchedulerLike | undefined,
  task: string,
  promise: PromiseLike<T>,
  what = "returned a promise",
  instead = "Return an Observable instead (of(value), defer(() => ...), a cold marble)",
): Observable<T> {
  const where = unwaitedPromise(scheduler, promise);
  if (where !== undefined) {
    Promise.resolve(promise).catch(() => undefined);
    throw new FlowError(
      `task "${task}" ${what} ${where}, where nothing waits for it: a promise settles only after the synchronous flush of virtual time has returned. ${instead}, or give the TestScheduler to flow.run$({ scheduler }) outside TestScheduler.run() and await flushVirtualTime(scheduler)`,
    );
  }
  return from(promise);
}

/**
 * @internal Work of task `task` on a project's storage (its open or save), which emits once:
 * as it is when it completes in the subscriber's call (`memory://`); else its end is a
 * promise, {@link awaited} as a task's promise is, so that virtual time never runs ahead of a
 * local file or S3. Unsubscribing unsubscribes from `work` (a save not yet written is
 * abandoned).
 */
export function storageWork<T>(
  scheduler: SchedulerLike | undefined,
  task: string,
  work: Observable<T>,
): Observable<T> {
  return defer(() => {
    const result = new ReplaySubject<T>();
    const subscription = work.subscribe(result);
    if (subscription.closed) return result;
    try {
      return awaited(
        scheduler,
        task,
        lastValueFrom(result),
        "waits for its project's storage",
        "Use a memory:// project, whose storage answers at once",
      ).pipe(finalize(() => subscription.unsubscribe()));
    } catch (error) {
      subscription.unsubscribe();
      throw error;
    }
  });
}

/** Why nothing can wait for `promise` under `scheduler`: `undefined` when something can. */
function unwaitedPromise(
  scheduler: SchedulerLike | undefined,
  promise: PromiseLike<unknown>,
): string | undefined {
  if (holdFor(scheduler, promise)) return undefined;
  if (isVirtualClock(asyncScheduler)) return "inside TestScheduler.run()";
  if (scheduler !== undefined && isVirtualClock(scheduler)) {
    return `on a virtual-time scheduler (its clock reads ${scheduler.now()}) that flushVirtualTime() is not driving`;
  }
  return undefined;
}

/**
 * Holds virtual time for `promise` when {@link flushVirtualTime} drives `scheduler`; returns
 * whether it does.
 */
function holdFor(scheduler: SchedulerLike | undefined, promise: PromiseLike<unknown>): boolean {
  const pending = scheduler === undefined ? undefined : driven.get(scheduler);
  if (pending === undefined) return false;
  const settled: Promise<boolean> = Promise.resolve(promise).then(
    () => pending.delete(settled),
    () => pending.delete(settled),
  );
  pending.add(settled);
  return true;
}

/**
 * Runs a `TestScheduler` until nothing is left to do, one frame at a time, waiting between
 * frames for every promise a flow's task returned (so virtual time never advances while one is
 * pending); then calls `scheduler.flush()`, which checks the `expectObservable(...)`
 * expectations. Use it instead of `TestScheduler.run()` or `scheduler.flush()` for flows whose
 * task functions return promises (an `async` task of yours; a project on a local path or S3),
 * and give the same scheduler to the run. A flow whose tasks give values or Observables, with
 * its project on `memory://`, needs none of this: test it in stock `TestScheduler.run()`. See
 * the module's documentation for why `TestScheduler.run()` cannot wait for a promise.
 *
 * @example
 * ```ts
 * const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.expectObservable(flow.run$({ scheduler }).pipe(succeededNames)).toBe("(ab|)", names);
 * await flushVirtualTime(scheduler);
 * // or: const state = flow.run({ scheduler }); await flushVirtualTime(scheduler); await state;
 * ```
 */
export async function flushVirtualTime(scheduler: TestScheduler): Promise<void> {
  if (driven.has(scheduler)) {
    throw new TypeError("flushVirtualTime(): this scheduler is already being flushed");
  }
  const pending = new Set<PromiseLike<unknown>>();
  driven.set(scheduler, pending);
  try {
    for (;;) {
      while (pending.size > 0) await Promise.all(pending);
      // A turn of the event loop: what the settled promises started settles too.
      await new Promise((resolve) => setImmediate(resolve));
      if (pending.size > 0) continue;
      // Hot observables start emitting when set up, as TestScheduler's flush() does it.
      for (
        let hot = scheduler.hotObservables.shift();
        hot;
        hot = scheduler.hotObservables.shift()
      ) {
        hot.setup();
      }
      const next = scheduler.actions[0];
      if (next === undefined || next.delay > scheduler.maxFrames) break;
      step(scheduler, next.delay);
    }
  } finally {
    driven.delete(scheduler);
  }
  scheduler.flush();
}

/**
 * Executes the actions of one frame (and those they schedule for it): the base class's
 * `flush()` up to that frame, which, unlike TestScheduler's own, checks no expectation yet.
 */
function step(scheduler: TestScheduler, frame: number): void {
  const maxFrames = scheduler.maxFrames;
  scheduler.maxFrames = frame;
  try {
    VirtualTimeScheduler.prototype.flush.call(scheduler);
  } finally {
    scheduler.maxFrames = maxFrames;
  }
}
