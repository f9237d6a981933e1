/**
 * Virtual time for flows. Core calls return promises, which settle outside any scheduler; so
 * a run on a virtual-time scheduler (RxJS's `TestScheduler`) moves the scheduler itself, one
 * frame at a time, and lets promises settle between frames: async work takes no virtual time.
 *
 * @module
 */
import { type SchedulerLike, VirtualTimeScheduler } from "rxjs";

interface Driver {
  active: number;
  done: Promise<void>;
}

const drivers = new WeakMap<VirtualTimeScheduler, Driver>();

/** @internal Whether `scheduler` keeps virtual time (a `TestScheduler` does). */
export function isVirtualTime(
  scheduler: SchedulerLike | undefined,
): scheduler is VirtualTimeScheduler {
  return scheduler instanceof VirtualTimeScheduler;
}

/** @internal Keeps the scheduler's time moving while a run is active; returns the release. */
export function holdVirtualTime(scheduler: VirtualTimeScheduler): () => void {
  const driver = driverFor(scheduler);
  driver.active += 1;
  let held = true;
  return () => {
    if (held) driver.active -= 1;
    held = false;
  };
}

/**
 * Runs a virtual-time scheduler until nothing is left to do: every scheduled action, and every
 * flow run on it, finished. Between frames, promises settle. Then calls `scheduler.flush()`,
 * which, for a `TestScheduler`, checks the `expectObservable(...)` expectations.
 *
 * Use it instead of `scheduler.flush()` (or `scheduler.run()`) to marble-test a flow.
 *
 * @example
 * ```ts
 * const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.expectObservable(flow.run$({ scheduler }).pipe(succeededNames)).toBe("(ab|)", names);
 * await flushVirtualTime(scheduler);
 * ```
 */
export async function flushVirtualTime(scheduler: VirtualTimeScheduler): Promise<void> {
  await driverFor(scheduler).done;
  scheduler.flush();
}

function driverFor(scheduler: VirtualTimeScheduler): Driver {
  let driver = drivers.get(scheduler);
  if (driver === undefined) {
    const created: Driver = { active: 0, done: Promise.resolve() };
    created.done = drive(scheduler, created);
    created.done.catch(() => undefined);
    drivers.set(scheduler, created);
    driver = created;
  }
  return driver;
}

async function drive(scheduler: VirtualTimeScheduler, driver: Driver): Promise<void> {
  const limit = scheduler.maxFrames;
  try {
    for (;;) {
      await nextTurn();
      setUpHotObservables(scheduler);
      const next = scheduler.actions[0];
      if (next !== undefined && next.delay <= limit) {
        step(scheduler, next.delay);
      } else if (driver.active === 0) {
        return;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  } finally {
    drivers.delete(scheduler);
  }
}

/** Executes the actions of one frame (and those they schedule for the same frame). */
function step(scheduler: VirtualTimeScheduler, frame: number): void {
  const maxFrames = scheduler.maxFrames;
  scheduler.maxFrames = frame;
  try {
    VirtualTimeScheduler.prototype.flush.call(scheduler);
  } finally {
    scheduler.maxFrames = maxFrames;
  }
}

/** Hot observables of a `TestScheduler` start emitting when set up, as its `flush()` does. */
function setUpHotObservables(scheduler: VirtualTimeScheduler): void {
  const hot = (scheduler as { hotObservables?: { setup(): void }[] }).hotObservables;
  while (hot !== undefined && hot.length > 0) hot.shift()?.setup();
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
