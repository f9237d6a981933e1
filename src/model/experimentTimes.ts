/**
 * An experiment's two times, `created_at` and `last_updated`, as its file holds them: the
 * text read from a file is written back as it is (a file's offsets are kept), and a time set
 * in code is written as naive UTC to the second. Both live in one object of plain numbers,
 * and the `createdAt` Date is made only when someone asks for it: a project holds thousands
 * of experiments, and most of their dates are never read.
 *
 * @module
 */
import { formatTimestamp, type Timestamp } from "../format/timestamps.js";

/** A time set in code, or one read from a file with its text. */
export type TimeInit = Date | Timestamp;

function msOf(time: TimeInit): number {
  return (time instanceof Date ? time : time.date).getTime();
}

function textOf(time: TimeInit): string | undefined {
  return time instanceof Date ? undefined : time.text;
}

/** What an experiment is made from to keep a time and its text. */
function initOf(ms: number, text: string | undefined): TimeInit {
  return text === undefined ? new Date(ms) : { date: new Date(ms), text };
}

/** When an experiment was created and when it last changed. */
export class ExperimentTimes {
  readonly #createdMs: number;
  readonly #createdText: string | undefined;
  /** The `createdAt` Date, made on first use and then given to every caller. */
  #createdAt: Date | undefined;
  #lastUpdatedMs: number;
  #lastUpdatedText: string | undefined;

  constructor(created: TimeInit, lastUpdated: TimeInit) {
    this.#createdMs = msOf(created);
    this.#createdText = textOf(created);
    this.#lastUpdatedMs = msOf(lastUpdated);
    this.#lastUpdatedText = textOf(lastUpdated);
  }

  /** When the experiment was created, as one `Date` (made on first use). */
  get createdAt(): Date {
    this.#createdAt ??= new Date(this.#createdMs);
    return this.#createdAt;
  }

  /** When the experiment was created, in milliseconds since the Unix epoch. */
  get createdMs(): number {
    return this.#createdMs;
  }

  /** When the experiment last changed, in milliseconds since the Unix epoch. */
  get lastUpdatedMs(): number {
    return this.#lastUpdatedMs;
  }

  /** Records a change at `ms` (in place: it happens on every logging call). */
  touch(ms: number): void {
    this.#lastUpdatedMs = ms;
    this.#lastUpdatedText = undefined;
  }

  /** What the file holds for `created_at`: the text read, or naive UTC to the second. */
  createdText(): string {
    return this.#createdText ?? formatTimestamp(new Date(this.#createdMs));
  }

  /** What the file holds for `last_updated`: the text read, or naive UTC to the second. */
  lastUpdatedText(): string {
    return this.#lastUpdatedText ?? formatTimestamp(new Date(this.#lastUpdatedMs));
  }

  /** What a copy of the experiment is made from to keep both times and their texts. */
  init(): { createdAt: TimeInit; lastUpdated: TimeInit } {
    return {
      createdAt: initOf(this.#createdMs, this.#createdText),
      lastUpdated: initOf(this.#lastUpdatedMs, this.#lastUpdatedText),
    };
  }
}
