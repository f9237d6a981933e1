/**
 * A task's stream in one run: an Observable that replays every value the task gave, then its
 * completion or error, to each subscriber — what `shareReplay()` gives, written once here so
 * that the engine can also attach task runs as plain listeners (a run has one stream per task,
 * 10^5 and more in large flows: a listener costs no `Subscriber`, a lone one not even an array).
 *
 * @module
 */
import { Observable, type Subscriber, type TeardownLogic } from "rxjs";

/** What the engine attaches to a stream: called for each value and at the end. */
export interface StreamListener {
  /** A value; `final` when the stream has already completed after it. */
  onValue(value: unknown, final: boolean): void;
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
  #listeners: StreamListener | StreamListener[] | undefined;

  /** How many values the stream gave. */
  get count(): number {
    return this.#count;
  }

  /** The last value the stream gave (`undefined` if none). */
  get last(): unknown {
    return this.#more === undefined ? this.#first : this.#more[this.#more.length - 1];
  }

  /** Whether the stream has ended (completed or errored). */
  get ended(): boolean {
    return this.#state !== ACTIVE;
  }

  /** The stream's error, when it ended with one. */
  get failure(): unknown {
    return this.#state === ERRORED ? this.#error : undefined;
  }

  /** Attaches `listener`: replays the values so far (and the end, if the stream has ended). */
  listen(listener: StreamListener): void {
    const complete = this.#state === COMPLETE;
    if (this.#count > 0) listener.onValue(this.#first, complete && this.#count === 1);
    const more = this.#more;
    if (more !== undefined) {
      for (let i = 0; i < more.length; i++) {
        listener.onValue(more[i], complete && i === more.length - 1);
      }
    }
    if (complete) listener.onComplete();
    else if (this.#state === ERRORED) listener.onError(this.#error);
    else if (this.#listeners === undefined) this.#listeners = listener;
    else if (Array.isArray(this.#listeners)) this.#listeners.push(listener);
    else this.#listeners = [this.#listeners, listener];
  }

  /** Detaches `listener` (a no-op once the stream has ended). */
  unlisten(listener: StreamListener): void {
    const listeners = this.#listeners;
    if (listeners === listener) this.#listeners = undefined;
    else if (Array.isArray(listeners)) {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    }
  }

  /** Gives a value to every listener; with `last`, the stream completes right after it. */
  protected emit(value: unknown, last = false): void {
    if (this.#state !== ACTIVE) return;
    if (this.#count === 0) this.#first = value;
    else if (this.#more === undefined) this.#more = [value];
    else this.#more.push(value);
    this.#count += 1;
    if (last) this.#state = COMPLETE;
    const listeners = last ? this.#detach() : this.#listeners;
    if (listeners === undefined) return;
    if (!Array.isArray(listeners)) {
      listeners.onValue(value, last);
      if (last) listeners.onComplete();
      return;
    }
    // A copy: listeners attached meanwhile got the value as a replay; detached ones ignore it.
    for (const listener of last ? listeners : listeners.slice()) {
      listener.onValue(value, last);
      if (last) listener.onComplete();
    }
  }

  /** Ends the stream: the task succeeded. */
  protected end(): void {
    if (this.#state !== ACTIVE) return;
    this.#state = COMPLETE;
    const listeners = this.#detach();
    if (listeners === undefined) return;
    if (!Array.isArray(listeners)) listeners.onComplete();
    else for (const listener of listeners) listener.onComplete();
  }

  /** Ends the stream with an error: the task failed, or was not run. */
  protected endWithError(error: unknown): void {
    if (this.#state !== ACTIVE) return;
    this.#state = ERRORED;
    this.#error = error;
    const listeners = this.#detach();
    if (listeners === undefined) return;
    if (!Array.isArray(listeners)) listeners.onError(error);
    else for (const listener of listeners) listener.onError(error);
  }

  #detach(): StreamListener | StreamListener[] | undefined {
    const listeners = this.#listeners;
    this.#listeners = undefined;
    return listeners;
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
