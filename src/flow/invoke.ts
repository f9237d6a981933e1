/**
 * One call of a task function as an Observable: `defer` calls it on subscription, its value,
 * promise or Observable becomes the stream, and `retry({ count, delay })` calls it again after
 * a failure, waiting on the run's scheduler.
 *
 * @module
 */
import {
  asyncScheduler,
  defer,
  isObservable,
  type Observable,
  of,
  retry,
  type SchedulerLike,
  timer,
} from "rxjs";
import { isPromiseLike } from "../guards.js";

/** @internal How to call a task function. */
export interface CallOptions {
  /** How many times to call it again after a failure. */
  readonly retries: number;
  /** How long to wait before each retry, on `scheduler`. */
  readonly retryDelay: number;
  /** The run's scheduler (`asyncScheduler` when none was given). */
  readonly scheduler: SchedulerLike | undefined;
  /** Told of each retry (1 for the first) and the error that caused it. */
  readonly onRetry: (attempt: number, error: unknown) => void;
  /** Turns a promise the function returned into an Observable (virtual time holds for it). */
  readonly fromPromise: (promise: PromiseLike<unknown>) => Observable<unknown>;
}

/** @internal The calls of `call`, retried as `options` say, as one stream of values. */
export function invoke(call: () => unknown, options: CallOptions): Observable<unknown> {
  const once = defer(() => asObservable(call(), options.fromPromise));
  if (options.retries === 0) return once;
  const { retryDelay, scheduler, onRetry } = options;
  return once.pipe(
    retry({
      count: options.retries,
      delay: (error: unknown, attempt: number) => {
        onRetry(attempt, error);
        return retryDelay === 0 ? of(0) : timer(retryDelay, scheduler ?? asyncScheduler);
      },
    }),
  );
}

/** @internal A function's result as an Observable: itself, its promise's value, or the value. */
export function asObservable(
  result: unknown,
  fromPromise: (promise: PromiseLike<unknown>) => Observable<unknown>,
): Observable<unknown> {
  if (isObservable(result)) return result;
  if (isPromiseLike(result)) return fromPromise(result);
  return of(result);
}
