/**
 * The error the reader throws for text it refuses, with the exact place and cause.
 *
 * @module
 */

/** Where a position of a text is, as people count: line and column from 1. */
export interface TextPlace {
  /** The line, from 1. */
  readonly line: number;
  /** The column, from 1, in characters (a character above U+FFFF counts once, as in Python). */
  readonly column: number;
}

/** The line and column of `position` (a UTF-16 index) in `text`; linear in `position`. */
export function placeOf(text: string, position: number): TextPlace {
  const end = Math.min(position, text.length);
  let line = 1;
  let lineStart = 0;
  let at = text.indexOf("\n");
  while (at !== -1 && at < end) {
    line++;
    lineStart = at + 1;
    at = text.indexOf("\n", lineStart);
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    // The second half of a surrogate pair does not start a character.
    if (!(c >= 0xdc00 && c <= 0xdfff && i > lineStart && isHighSurrogate(text.charCodeAt(i - 1)))) {
      column++;
    }
  }
  return { line, column: column + Math.max(0, position - end) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/**
 * Text that is not the JSON Python's `json.loads` reads, or that nests deeper than the
 * limit. The message says what is wrong and where: `"not JSON at line 1, column 1"`,
 * `"unterminated string (opened at line 3, column 9) at line 5, column 1"`...
 */
export class PyJsonSyntaxError extends SyntaxError {
  override readonly name = "PyJsonSyntaxError";
  /** What is wrong, without the place: `"expected ',' or ']' after an array item"`. */
  readonly reason: string;
  /** The UTF-16 index in the text where the problem is. */
  readonly position: number;
  /** The line of {@link position}, from 1. */
  readonly line: number;
  /** The column of {@link position}, from 1. */
  readonly column: number;

  constructor(text: string, position: number, reason: string) {
    const { line, column } = placeOf(text, position);
    super(`${reason} at line ${line}, column ${column}`);
    this.reason = reason;
    this.position = position;
    this.line = line;
    this.column = column;
  }
}
