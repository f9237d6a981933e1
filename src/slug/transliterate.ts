/**
 * ASCII transliteration exactly as text-unidecode 1.3 (python-slugify 8.0.4's) does it: each
 * code point of the BMP is replaced by its table entry (`"[?] "` for those it does not know),
 * and code points beyond the BMP are dropped.
 *
 * @module
 */
import { BLOCKS, FIRST_CODE_POINT } from "./data/textUnidecode.js";

const BLOCK_SIZE = 0x80;
const decoded: (readonly string[] | undefined)[] = new Array(BLOCKS.length);

/** The entry of one code point of the BMP at or above {@link FIRST_CODE_POINT}. */
function entry(codePoint: number): string {
  const index = Math.floor((codePoint - FIRST_CODE_POINT) / BLOCK_SIZE);
  let block = decoded[index];
  if (block === undefined) {
    block = (BLOCKS[index] as string).split("\t");
    decoded[index] = block;
  }
  return block.length === 1 ? (block[0] as string) : (block[codePoint % BLOCK_SIZE] as string);
}

/**
 * text-unidecode's `unidecode(text)`.
 *
 * @example
 * ```ts
 * transliterate("Ærøskøbing"); // "AEroskobing"
 * transliterate("ᴀ");          // "[?]" (U+1D00, Phonetic Extensions: unknown to the table)
 * transliterate("a\u0085b");   // "ab" (C1 controls have empty entries)
 * ```
 */
export function transliterate(text: string): string {
  let out = "";
  let asciiFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < FIRST_CODE_POINT) continue;
    out += text.slice(asciiFrom, i);
    const codePoint = text.codePointAt(i) as number;
    if (codePoint > 0xffff) i++;
    else out += entry(codePoint);
    asciiFrom = i + 1;
  }
  return out + text.slice(asciiFrom);
}
