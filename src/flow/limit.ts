/**
 * Concurrency limits as RxJS builds them: jobs pushed into a `Subject` and run by `mergeMap`
 * with a concurrency. A limited Observable waits for a free place before its work is
 * subscribed, and gives the place back when it ends or is unsubscribed.
 *
 * @module
 */
import {
  catchError,
  defer,
  EMPTY,
  ignoreElements,
  mergeMap,
  Observable,
  Subject,
  type Subscription,
  takeUntil,
  tap,
} from "rxjs";

/** @internal At most `limit` of the Observables given to {@link Limiter.limit} run at once. */
export class Limiter {
  readonly #jobs = new Subject<Observable<never>>();
  readonly #subscription: Subscription;

  constructor(limit: number) {
    this.#subscription = this.#jobs.pipe(mergeMap((job) => job, limit)).subscribe();
  }

  /** `work`, subscribed once a place is free (never, if unsubscribed before). */
  limit<T>(work: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const released = new Subject<void>();
      this.#jobs.next(
        defer(() => (subscriber.closed ? EMPTY : work)).pipe(
          takeUntil(released),
          tap(subscriber),
          ignoreElements(),
          catchError(() => EMPTY),
        ),
      );
      return () => {
        released.next();
        released.complete();
      };
    });
  }

  /** Drops the jobs still waiting. */
  close(): void {
    this.#subscription.unsubscribe();
  }
}
