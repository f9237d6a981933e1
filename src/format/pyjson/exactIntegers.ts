/**
 * The integer literals of a record's text that `JSON.parse` reads otherwise than Python: an
 * integer of 16 digits or more (2**53 has 16; Python's integers are exact, a double is not
 * beyond 2**53) and `-0` (Python's integer `-0` is `0`). A record whose only such numbers are
 * these — the common case of a big seed or hash in a file Python wrote — is read by
 * `JSON.parse` with each literal put back as Python reads it, without the exact reader's
 * pass over every character.
 *
 * @module
 */
/**
 * An integer literal `JSON.parse` may read otherwise than Python, where a JSON number can
 * start (after `[`, `,`, `:` or a space) and not part of a float (no `.` or exponent after
 * it). Text inside a string that looks like one (`"a -0"`) is found too: see
 * {@link withExactIntegers} for why that is harmless.
 */
const INEXACT_INTEGER_LITERAL = /(?<=^|[\s[:,])(?:-?\d{16,}|-0)(?![\d.eE])/g;

/** Whether `text` may hold an integer literal that `JSON.parse` reads otherwise than Python. */
export function holdsInexactInteger(text: string): boolean {
  INEXACT_INTEGER_LITERAL.lastIndex = 0;
  return INEXACT_INTEGER_LITERAL.test(text);
}

/** Python's value of an integer literal: a number when it is a safe integer, else a `bigint`. */
function integerValue(literal: string): number | bigint {
  const n = Number(literal);
  return Number.isSafeInteger(n) ? n + 0 : BigInt(literal);
}

/**
 * `text` read by `JSON.parse` with every {@link INEXACT_INTEGER_LITERAL} read as Python reads
 * it; `undefined` when that cannot be done this way (then the exact reader must read it).
 *
 * Each literal is replaced by a sentinel string for `JSON.parse`, and each sentinel found as
 * a value is replaced by the literal's value. A literal found inside a string would put the
 * sentinel's quotes inside that string, which no longer parses (a string closes and `\`
 * follows it); a string of the text that reads as a sentinel would make one appear twice.
 * Either way the answer is `undefined`, so every sentinel put back is exactly one literal.
 */
export function withExactIntegers(text: string): unknown {
  const literals: string[] = [];
  const tag = sentinelTag(text);
  const replaced = text.replace(INEXACT_INTEGER_LITERAL, (literal) => {
    literals.push(literal);
    return `"\\u0000${tag}${literals.length - 1}"`;
  });
  let value: unknown;
  try {
    value = JSON.parse(replaced);
  } catch {
    return undefined;
  }
  const found = new Array<boolean>(literals.length).fill(false);
  const prefix = `\u0000${tag}`;
  /** The value of the sentinel `item`, or `item` itself; `undefined` when seen twice. */
  const put = (item: unknown): unknown => {
    if (typeof item !== "string" || !item.startsWith(prefix)) return item;
    const index = Number(item.slice(prefix.length));
    if (!(index < literals.length) || found[index]) return undefined;
    found[index] = true;
    return integerValue(literals[index] as string);
  };
  const ok = putBack(value, put);
  return ok && found.every(Boolean) ? value : undefined;
}

/** Replaces in place every value inside `container` by `put(value)`; false if one is `undefined`. */
function putBack(container: unknown, put: (item: unknown) => unknown): boolean {
  if (typeof container !== "object" || container === null) return true;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const item = put(container[i]);
      if (item === undefined || !putBack(item, put)) return false;
      container[i] = item;
    }
    return true;
  }
  const record = container as Record<string, unknown>;
  // Each key is the record's own (`__proto__` included), so an assignment writes to it.
  for (const key of Object.keys(record)) {
    const item = put(record[key]);
    if (item === undefined || !putBack(item, put)) return false;
    if (item !== record[key]) record[key] = item;
  }
  return true;
}

/** A tag such that no string of `text` is written as NUL + the tag (see `withExactIntegers`). */
function sentinelTag(text: string): string {
  for (let n = 0; ; n++) {
    if (!text.includes(`\\u0000int${n}:`)) return `int${n}:`;
  }
}
