/**
 * The joins of a run: `forkJoin` over the streams of a task's ordering-only upstream tasks
 * (an append's over its experiment's logging streams, `Save project`'s over the end of every
 * append), and the observer that opens an append when its join emits.
 *
 * @module
 */
import { forkJoin, type Observable, type Observer } from "rxjs";
import type { TaskStream } from "./stream.js";

/**
 * The most sources one `forkJoin` joins. RxJS removes each finished source from its parent
 * subscription's list (`indexOf` and `splice`): over many pending sources (`Save project`
 * after 10^4 appends and more) that would cost time quadratic in their number.
 */
const GROUP = 1024;

/**
 * `forkJoin` over `sources`: emits once every one of them has completed with a value, errors
 * as soon as one errors. Over more than {@link GROUP} sources, a `forkJoin` of `forkJoin`s
 * over groups of them (the same join, its values nested).
 */
export function joinAll(sources: readonly Observable<unknown>[]): Observable<unknown> {
  if (sources.length <= GROUP) return forkJoin(sources);
  const groups: Observable<unknown>[] = [];
  for (let i = 0; i < sources.length; i += GROUP) {
    groups.push(forkJoin(sources.slice(i, i + GROUP)));
  }
  return joinAll(groups);
}

/** {@link joinAll} over the end of each stream, whatever its outcome: never errors. */
export function joinEnds(streams: readonly TaskStream[]): Observable<unknown> {
  return joinAll(streams.map(settledOf));
}

function settledOf(stream: TaskStream): Observable<void> {
  return stream.settled();
}

/** What a {@link Gate} opens: a task run waiting for its join. */
export interface Joiner<S> {
  /** The join emitted: the task takes its inputs (`sources`). */
  opened(sources: S): void;
  /** The join completed without emitting: a joined stream completed empty. */
  closedEmpty(): void;
  /** The join errored: a joined task failed (or was not run). */
  error(error: unknown): void;
}

/** The observer of a join that opens a task run (a class: no closures per task). */
export class Gate<S> implements Observer<unknown> {
  #opened = false;

  constructor(
    readonly joiner: Joiner<S>,
    readonly sources: S,
  ) {}

  next(): void {
    this.#opened = true;
    this.joiner.opened(this.sources);
  }

  error(error: unknown): void {
    this.joiner.error(error);
  }

  complete(): void {
    if (!this.#opened) this.joiner.closedEmpty();
  }
}
