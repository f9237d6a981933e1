/**
 * Which positions of a JSON text lie inside strings, settled lazily and only forward: from
 * the last settled position, or from the start of a position's line when a newline lies
 * between (a JSON string holds no raw newline), hopping from quote to quote with `indexOf`.
 *
 * @module
 */
import { find, isEscaped, NotJson } from "./chars.js";

/** The strings of one text, settled as positions are asked about in increasing order. */
export class Strings {
  /** A position known to be outside any string, with every string before it settled. */
  private settled = 0;
  /** The first newline at or after `settled`, the first quote at or after it (-1: unknown). */
  private nextNewline = -1;
  private nextQuote = -1;
  /** The last string met: its opening and closing quotes. */
  private start = -1;
  private end = -1;

  constructor(private readonly text: string) {}

  /**
   * The closing quote of the string around `p`, or -1 when `p` is outside strings. Settles
   * strings from the last settled position, or from the start of `p`'s line when a newline
   * lies between (a newline is never inside a JSON string).
   */
  around(p: number): number {
    if (p > this.start && p <= this.end) return this.end;
    const { text } = this;
    if (this.nextNewline < this.settled) this.nextNewline = find(text, "\n", this.settled);
    if (this.nextNewline < p) {
      this.settled = text.lastIndexOf("\n", p) + 1;
      this.nextNewline = find(text, "\n", p);
    }
    for (;;) {
      if (this.nextQuote < this.settled) this.nextQuote = find(text, '"', this.settled);
      const quote = this.nextQuote;
      if (quote > p) {
        this.settled = p;
        return -1;
      }
      let end = text.indexOf('"', quote + 1);
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) throw new NotJson();
      this.start = quote;
      this.end = end;
      this.settled = end + 1;
      if (end >= p) return end;
    }
  }
}
