/**
 * Object keys in the order Python's `sort_keys=True` writes them: by code point. JavaScript's
 * default sort compares UTF-16 code units, which agrees except where surrogates (characters
 * above U+FFFF) meet characters from U+E000 to U+FFFF.
 *
 * @module
 */

/** Whether a string has UTF-16 surrogates (characters above U+FFFF, or lone ones). */
export function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/** Compares strings by code point, as Python does. */
export function byCodePoint(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) as number);
  const cb = Array.from(b, (c) => c.codePointAt(0) as number);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const d = (ca[i] as number) - (cb[i] as number);
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** Object keys in Python's `sort_keys` order (by code point). */
export function sortedKeys(record: object): string[] {
  const keys = Object.keys(record).sort();
  return keys.some(hasSurrogate) ? keys.sort(byCodePoint) : keys;
}
