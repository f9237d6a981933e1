/**
 * Virtual time for flows, and why a flow that opens or saves a project cannot be marble-tested
 * inside RxJS's stock `TestScheduler.run()`.
 *
 * Tasks that give values or Observables need nothing: inside `TestScheduler.run()` RxJS's own
 * schedulers (the asap scheduler a run starts on, the async scheduler of retry delays) are
 * virtual, and `expectObservable(flow.run$())` works as for any Observable.
 *
 * A promise is another matter. `run()` calls `flush()` before it returns, and `flush()` is one
 * synchronous loop over the scheduled actions; a promise settles in a microtask, and
 * JavaScript runs microtasks only once the running synchronous code (the whole `run()`
 * callback and its flush) has returned. No API runs them from inside: a task that awaits a
 * promise (opening or saving a project, even on `memory://`, whose storage is asynchronous
 * like every backend) cannot give its value before the expectations are checked. So inside
 * `run()` (and inside any synchronous `flush()`) such a task fails at once with a `FlowError`
 * that says what to do, instead of the run stopping there silently and finishing, in real
 * time, after the test.
 *
 * What to do: give the `TestScheduler` to the run (`flow.run$({ scheduler })`, or
 * `flow.run({ scheduler })`), declare expectations with `scheduler.expectObservable(...)`, and
 * `await flushVirtualTime(scheduler)`. It executes the scheduler's actions one frame at a time
 * and waits, between frames, for every promise a task of the run returned, so virtual time never
 * advances while one is pending; then it checks the expectations (`scheduler.flush()`).
 *
 * The engine never inspects a scheduler's type: a run's scheduler holds virtual time for a
 * promise when {@link flushVirtualTime} is driving it (it registers it here), and a clock that
 * is not the wall clock (`now()` far from `Date.now()`) is what tells a virtual one that
 * nothing drives.
 *
 * @module
 */
import { asyncScheduler, type SchedulerLike, VirtualTimeScheduler } from "rxjs";
import type { TestScheduler } from "rxjs/testing";

/** Per scheduler being driven by {@link flushVirtualTime}: the promises of tasks pending. */
const driven = new WeakMap<object, Set<PromiseLike<unknown>>>();

/**
 * @internal Whether `scheduler` (RxJS's async scheduler when none is given) keeps virtual
 * time: its clock is not the wall clock. Inside `TestScheduler.run()`, RxJS's own clock is
 * the test's frame count.
 */
export function isVirtualClock(scheduler: SchedulerLike | undefined): boolean {
  return Math.abs((scheduler ?? asyncScheduler).now() - Date.now()) > 1_000;
}

/**
 * @internal Holds virtual time for `promise` when {@link flushVirtualTime} drives `scheduler`;
 * returns whether it does.
 */
export function holdFor(
  scheduler: SchedulerLike | undefined,
  promise: PromiseLike<unknown>,
): boolean {
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
 * tasks return promises (opening and saving a project do), and give the same scheduler to the
 * run. See the module's documentation for why `TestScheduler.run()` cannot wait for them.
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
