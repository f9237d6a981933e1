/**
 * A time of an experiment (`created_at`, `last_updated`) as the file holds it: the text read
 * is written back as it is (a file's offsets are kept), and a time set in code is written as
 * naive UTC to the second.
 *
 * @module
 */
import { formatTimestamp, type Timestamp } from "../format/timestamps.js";

/** A time, with the text a file gave it (`undefined` for a time set in code). */
export class FileTime {
  #ms: number;
  #text: string | undefined;

  /** @param time - a time set in code, or one read from a file. */
  constructor(time: Date | Timestamp) {
    this.#ms = (time instanceof Date ? time : time.date).getTime();
    this.#text = time instanceof Date ? undefined : time.text;
  }

  /** The time, in milliseconds since the Unix epoch. */
  get ms(): number {
    return this.#ms;
  }

  /** The text read from a file, if the time came from one. */
  get text(): string | undefined {
    return this.#text;
  }

  /** Sets the time in code (in place: `touch` runs on every logging call). */
  set(ms: number): void {
    this.#ms = ms;
    this.#text = undefined;
  }

  /** The time as a `Date`. */
  get date(): Date {
    return new Date(this.ms);
  }

  /** What the file holds for it: the text read, or naive UTC to the second. */
  format(): string {
    return this.text ?? formatTimestamp(this.date);
  }

  /** What an experiment is made from to keep this time and its text. */
  init(): Date | Timestamp {
    return this.text === undefined ? this.date : { date: this.date, text: this.text };
  }
}
