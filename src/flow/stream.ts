/**
 * A task's stream in one run: an Observable that replays every value the task gave, then its
 * completion or error, to each subscriber — what `shareReplay()` gives, written once here so
 * that the engine can also attach task runs as plain listeners (a run has one stream per task,
 * 10^5 and more in large flows: a listener costs no `Subscriber`, a lone one not even an array),
 * and so that subscribing to a stream that has ended (as a `forkJoin` over an experiment's
 * logging streams mostly does) costs no listener at all.
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

/** What a {@link Forward} gives its subscriber: the stream's values, or one value at its end. */
const VALUES = 0;
const SETTLE = 1;
type ForwardMode = typeof VALUES | typeof SETTLE;

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

  /**
   * An Observable that gives one value (`undefined`) when the stream ends, whatever the
   * outcome (completed, failed, or not run), then completes: what a join waits for when it
   * runs after its upstream tasks have finished, failed or not.
   */
  settled(): Observable<void> {
    return new Settled(this);
  }

  /**
   * @internal Called by `Observable.subscribe` (as `Subject` overrides it). An ended stream is
   * replayed straight to the subscriber: joining finished streams costs no listener.
   */
  protected _subscribe(subscriber: Subscriber<unknown>): TeardownLogic {
    if (this.#state === ACTIVE) return this.#forward(subscriber, VALUES);
    const more = this.#more;
    if (this.#count > 0) subscriber.next(this.#first);
    if (more !== undefined) for (const value of more) subscriber.next(value);
    if (this.#state === COMPLETE) subscriber.complete();
    else subscriber.error(this.#error);
    return undefined;
  }

  /** @internal Gives `subscriber` one value when the stream ends, then completes it. */
  settle(subscriber: Subscriber<unknown>): TeardownLogic {
    if (this.#state === ACTIVE) return this.#forward(subscriber, SETTLE);
    subscriber.next(undefined);
    subscriber.complete();
    return undefined;
  }

  #forward(subscriber: Subscriber<unknown>, mode: ForwardMode): Forward {
    const listener = new Forward(this, subscriber, mode);
    this.listen(listener);
    return listener;
  }
}

/** The end of a stream as one value (a class: no closure per join). */
class Settled extends Observable<void> {
  constructor(readonly stream: TaskStream) {
    super();
  }

  /** @internal Called by `Observable.subscribe`. */
  protected _subscribe(subscriber: Subscriber<unknown>): TeardownLogic {
    return this.stream.settle(subscriber);
  }
}

/** Forwards a stream (or its end) to a subscriber; unsubscribing detaches it. */
class Forward implements StreamListener {
  constructor(
    readonly stream: TaskStream,
    readonly subscriber: Subscriber<unknown>,
    readonly mode: ForwardMode,
  ) {}
  unsubscribe(): void {
    this.stream.unlisten(this);
  }
  onValue(value: unknown): void {
    if (this.mode === VALUES) this.subscriber.next(value);
  }
  onError(error: unknown): void {
    if (this.mode === VALUES) this.subscriber.error(error);
    else this.onComplete();
  }
  onComplete(): void {
    if (this.mode === SETTLE) this.subscriber.next(undefined);
    this.subscriber.complete();
  }
}
