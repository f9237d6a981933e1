/**
 * Virtual time for flows. A virtual-time scheduler (RxJS's `TestScheduler`) is recognised by
 * its shape (`flush`, `frame`, `maxFrames`, `actions`), not with `instanceof`, so a second copy
 * of rxjs in an app still works; inside `TestScheduler.run()`, where RxJS's own schedulers are
 * virtual, the clock of `asyncScheduler` gives it away.
 *
 * Tasks that return values or Observables need nothing more: `TestScheduler.run()` and
 * `expectObservable(flow.run$())` work as for any Observable. A promise, though (opening or
 * saving a project, an async task), settles outside any scheduler, and a synchronous
 * `flush()` cannot wait for it. {@link flushVirtualTime} runs the scheduler one frame at a
 * time and waits, between frames, for every promise a task returned: virtual time never
 * advances while one is pending. Without it, such a task fails with a `FlowError` that says so.
 *
 * @module
 */
import { asyncScheduler, type SchedulerLike, VirtualTimeScheduler } from "rxjs";

/** The public shape of a virtual-time scheduler (`VirtualTimeScheduler`, `TestScheduler`). */
export interface VirtualClock extends SchedulerLike {
  frame: number;
  maxFrames: number;
  readonly actions: readonly { readonly delay: number }[];
  flush(): void;
}

/** Per driven scheduler: the promises of tasks still pending. */
const driven = new WeakMap<object, Set<PromiseLike<unknown>>>();

/** @internal Whether `scheduler` keeps virtual time (by its shape). */
export function isVirtualTime(scheduler: SchedulerLike | undefined): scheduler is VirtualClock {
  const s = scheduler as Partial<VirtualClock> | undefined;
  return (
    typeof s?.flush === "function" &&
    typeof s.frame === "number" &&
    typeof s.maxFrames === "number" &&
    Array.isArray(s.actions)
  );
}

/** @internal Whether this runs inside `TestScheduler.run()` (RxJS's clock is virtual there). */
export function inVirtualRun(): boolean {
  return Math.abs(asyncScheduler.now() - Date.now()) > 1_000;
}

/**
 * @internal Holds virtual time for `promise` when `scheduler` is being driven by
 * {@link flushVirtualTime} (or a virtual `flow.run()`); returns whether it could.
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
 * Runs a virtual-time scheduler until nothing is left to do, one frame at a time, waiting
 * between frames for every promise a flow's task returned; then calls `scheduler.flush()`,
 * which, for a `TestScheduler`, checks the `expectObservable(...)` expectations. Use it
 * instead of `scheduler.flush()` for flows whose tasks return promises.
 *
 * @example
 * ```ts
 * const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.expectObservable(flow.run$({ scheduler }).pipe(succeededNames)).toBe("(ab|)", names);
 * await flushVirtualTime(scheduler);
 * ```
 */
export async function flushVirtualTime(scheduler: SchedulerLike): Promise<void> {
  if (!isVirtualTime(scheduler)) {
    throw new TypeError("flushVirtualTime() needs a virtual-time scheduler (a TestScheduler)");
  }
  await drive(scheduler, () => false);
  scheduler.flush();
}

/** @internal Runs `scheduler` frame by frame until `done()` or nothing is left to do. */
export async function drive(scheduler: VirtualClock, done: () => boolean): Promise<void> {
  const outer = driven.get(scheduler);
  const pending = outer ?? new Set<PromiseLike<unknown>>();
  driven.set(scheduler, pending);
  try {
    for (;;) {
      while (pending.size > 0) await Promise.all(pending);
      await new Promise((resolve) => setImmediate(resolve));
      if (pending.size > 0) continue;
      if (done()) return;
      setUpHotObservables(scheduler);
      const next = scheduler.actions[0];
      if (next === undefined || next.delay > scheduler.maxFrames) return;
      step(scheduler, next.delay);
    }
  } finally {
    if (outer === undefined) driven.delete(scheduler);
  }
}

/** Executes the actions of one frame (and those they schedule for the same frame). */
function step(scheduler: VirtualClock, frame: number): void {
  const maxFrames = scheduler.maxFrames;
  scheduler.maxFrames = frame;
  try {
    // The base class's flush: a TestScheduler's own would also check its expectations.
    VirtualTimeScheduler.prototype.flush.call(scheduler as unknown as VirtualTimeScheduler);
  } finally {
    scheduler.maxFrames = maxFrames;
  }
}

/** Hot observables of a `TestScheduler` start emitting when set up, as its `flush()` does. */
function setUpHotObservables(scheduler: VirtualClock): void {
  const hot = (scheduler as { hotObservables?: { setup(): void }[] }).hotObservables;
  while (hot !== undefined && hot.length > 0) hot.shift()?.setup();
}
