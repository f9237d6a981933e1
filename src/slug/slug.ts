/**
 * Slugs exactly as python-slugify 8.0.4 (lazyscribe 2.2.1's dependency) makes them with its
 * defaults: transliterated to ASCII with text-unidecode 1.3's table, HTML entities and
 * character references decoded, lower case, and every run of other characters turned into
 * one `-`.
 *
 * @module
 */
import { HTML_ENTITIES } from "./entities.js";
import { transliterate } from "./transliterate.js";

const QUOTES = /'+/g;
const ASCII = /^\p{ASCII}*$/u;
const ENTITY = /&([A-Za-z0-9]+);/g;
const DECIMAL_REF = /&#(\d+);/g;
const HEX_REF = /&#x([\da-fA-F]+);/g;
const NUMBER_COMMA = /(?<=\d),(?=\d)/g;
const DISALLOWED = /[^-a-zA-Z0-9]+/g;
const DASH_RUNS = /-{2,}/g;
const EDGE_DASHES = /^-+|-+$/g;
const PLAIN_WORDS = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;

/**
 * The slug python-slugify's `slugify(text)` gives.
 *
 * @example
 * ```ts
 * slugify("Café résumé — naïve"); // "cafe-resume-naive"
 * slugify("日本語の実験");          // "ri-ben-yu-noshi-yan"
 * ```
 */
export function slugify(text: string): string {
  // Words of ASCII letters and digits between single spaces, as most names are: every step
  // below then only lowers the case and puts dashes for the spaces.
  if (PLAIN_WORDS.test(text)) return text.toLowerCase().replaceAll(" ", "-");
  let s = text.replace(QUOTES, "-");
  // NFKD and transliteration leave ASCII as it is.
  if (!ASCII.test(s)) s = transliterate(s.normalize("NFKD"));
  s = s.replace(ENTITY, (match, name: string) => {
    const code = HTML_ENTITIES.get(name);
    return code === undefined ? match : String.fromCodePoint(code);
  });
  s = replaceReferences(s, DECIMAL_REF, 10);
  s = replaceReferences(s, HEX_REF, 16);
  s = s.normalize("NFKD").toLowerCase();
  s = s.replace(QUOTES, "").replace(NUMBER_COMMA, "");
  s = s.replace(DISALLOWED, "-");
  return s.replace(DASH_RUNS, "-").replace(EDGE_DASHES, "");
}

/** Decodes `&#NN;` references; like Python, one invalid code point leaves them all as they were. */
function replaceReferences(s: string, pattern: RegExp, radix: number): string {
  try {
    return s.replace(pattern, (_match, digits: string) => {
      const code = Number.parseInt(digits, radix);
      if (code > 0x10ffff) throw new RangeError("code point out of range");
      return String.fromCodePoint(code);
    });
  } catch {
    return s;
  }
}

/**
 * An experiment's slug from its short slug and its `YYYYMMDDHHMMSS` stamp: the same as
 * `slugify(`${name}-${stamp}`)`, without slugifying the name twice.
 */
export function experimentSlug(shortSlug: string, stamp: string): string {
  return shortSlug === "" ? stamp : `${shortSlug}-${stamp}`;
}
