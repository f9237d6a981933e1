/**
 * One-at-a-time runs per key, in this process: the updates of one file queue here, so that a
 * backend never races itself (and a local update does not spin on its own lock).
 *
 * The queue is made of Observables: a run whose key has nothing queued starts at once, in the
 * subscriber's call, so that a synchronous backend (`memory://`) updates synchronously; a run
 * unsubscribed from leaves the queue (the next one starts once those before it have ended).
 *
 * @module
 */
import { concat, defer, finalize, lastValueFrom, type Observable, ReplaySubject } from "rxjs";

/** Runs tasks one after the other for each key; tasks of different keys run side by side. */
export class KeyedQueue {
  /** Per key, what completes once the last run queued (and every one before it) has ended. */
  readonly #tails = new Map<string, Observable<never>>();

  /**
   * `work`, subscribed once every run queued before it for `key` has ended (completed,
   * failed or been unsubscribed from); at once when there is none.
   */
  run$<T>(key: string, work: Observable<T>): Observable<T> {
    return defer(() => {
      const before = this.#tails.get(key);
      const ended = new ReplaySubject<never>(1);
      const tail = ended.asObservable();
      this.#tails.set(key, tail);
      const end = () => {
        ended.complete();
        if (this.#tails.get(key) === tail) this.#tails.delete(key);
      };
      return (before === undefined ? work : concat(before, work)).pipe(
        // Ended only once the runs before it have: one unsubscribed from while it waited
        // must not let the next one overtake them.
        finalize(() => (before === undefined ? end() : before.subscribe({ complete: end }))),
      );
    });
  }

  /** Runs `task` once every task queued before it for `key` has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return lastValueFrom(this.run$(key, defer(task)));
  }
}
