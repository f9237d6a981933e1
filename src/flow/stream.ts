/**
 * A task's stream in one run: an Observable that replays every value the task gave, then its
 * completion or error, to each subscriber — what `shareReplay()` gives, written once here so
 * that the engine can also attach its task runs as plain listeners. A run has one stream per
 * task (10^5 and more in large flows): listeners cost no `Subscriber`, and are all dropped at
 * once when the stream ends.
 *
 * @module
 */
import { Observable, type Subscriber, type TeardownLogic } from "rxjs";

/** What the engine attaches to a stream: called for each value and at the end. */
export interface StreamListener {
  onValue(value: unknown): void;
  onError(error: unknown): void;
  onComplete(): void;
}

const ACTIVE = 0;
const COMPLETE = 1;
const ERRORED = 2;

/** @internal A task's shared, replayed stream in one run. */
export class TaskStream extends Observable<unknown> {
  #first: unknown;
  #more: unknown[] | undefined;
  #count = 0;
  #state = ACTIVE;
  #error: unknown;
  #listeners: StreamListener[] | undefined;

  /** Attaches `listener`: replays the values so far (and the end, if the stream has ended). */
  listen(listener: StreamListener): void {
    if (this.#count > 0) listener.onValue(this.#first);
    for (const value of this.#more ?? []) listener.onValue(value);
    if (this.#state === COMPLETE) listener.onComplete();
    else if (this.#state === ERRORED) listener.onError(this.#error);
    else if (this.#listeners === undefined) this.#listeners = [listener];
    else this.#listeners.push(listener);
  }

  /** Detaches `listener` (a no-op once the stream has ended). */
  unlisten(listener: StreamListener): void {
    const index = this.#listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.#listeners?.splice(index, 1);
  }

  /** One value of the task. */
  next(value: unknown): void {
    if (this.#state !== ACTIVE) return;
    if (this.#count === 0) this.#first = value;
    else if (this.#more === undefined) this.#more = [value];
    else this.#more.push(value);
    this.#count += 1;
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    // A copy: listeners attached meanwhile got the value as a replay; detached ones ignore it.
    const current = listeners.length === 1 ? listeners : listeners.slice();
    for (const listener of current) listener.onValue(value);
  }

  /** The task succeeded. */
  complete(): void {
    if (this.#state !== ACTIVE) return;
    this.#state = COMPLETE;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    for (const listener of listeners ?? []) listener.onComplete();
  }

  /** The task failed, or was not run. */
  error(error: unknown): void {
    if (this.#state !== ACTIVE) return;
    this.#state = ERRORED;
    this.#error = error;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    for (const listener of listeners ?? []) listener.onError(error);
  }

  /**
   * A `null` once the task has finished. With `evenIfFailed`, a failure counts as finished;
   * otherwise the failure is the error. What `forkJoin` gates join.
   */
  finished(evenIfFailed: boolean): Observable<null> {
    return new Finished(this, evenIfFailed);
  }

  /** @internal Called by `Observable.subscribe` (as `Subject` overrides it). */
  protected _subscribe(subscriber: Subscriber<unknown>): TeardownLogic {
    const listener = new Forward(this, subscriber);
    this.listen(listener);
    return listener;
  }
}

/** Forwards a stream to a subscriber; unsubscribing detaches it. */
class Forward implements StreamListener {
  constructor(
    readonly stream: TaskStream,
    readonly subscriber: Subscriber<unknown>,
  ) {}
  unsubscribe(): void {
    this.stream.unlisten(this);
  }
  onValue(value: unknown): void {
    this.subscriber.next(value);
  }
  onError(error: unknown): void {
    this.subscriber.error(error);
  }
  onComplete(): void {
    this.subscriber.complete();
  }
}

/** A `null` when a stream has finished (see {@link TaskStream.finished}). */
class Finished extends Observable<null> {
  constructor(
    readonly stream: TaskStream,
    readonly evenIfFailed: boolean,
  ) {
    super();
  }

  /** @internal Called by `Observable.subscribe`. */
  protected _subscribe(subscriber: Subscriber<null>): TeardownLogic {
    const listener = new OnFinish(this.stream, subscriber, this.evenIfFailed);
    this.stream.listen(listener);
    return listener;
  }
}

class OnFinish implements StreamListener {
  constructor(
    readonly stream: TaskStream,
    readonly subscriber: Subscriber<null>,
    readonly evenIfFailed: boolean,
  ) {}
  unsubscribe(): void {
    this.stream.unlisten(this);
  }
  onValue(): void {}
  onError(error: unknown): void {
    if (this.evenIfFailed) this.onComplete();
    else this.subscriber.error(error);
  }
  onComplete(): void {
    this.subscriber.next(null);
    this.subscriber.complete();
  }
}
