import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { slugify } from "../../src/slug/slug.js";
import { transliterate } from "../../src/slug/transliterate.js";

/** Written by scripts/generate-slug-fixture.py with python-slugify 8.0.4 + text-unidecode 1.3. */
const python = JSON.parse(
  readFileSync(new URL("../fixtures/slug/python-slugify-bmp.json", import.meta.url), "utf8"),
) as {
  unicode: string;
  blocks: string[];
  codePoints: Record<string, { first: number; slugs: string[] }>;
  samples: [string, string][];
};

/**
 * Code points that Node's Unicode (17) decomposes under NFKD but the fixture's Python
 * (Unicode 14) does not know: U+A7F1 MODIFIER LETTER CAPITAL S, assigned in Unicode 17. Their
 * slug follows the Unicode version of the runtime, in Python as here.
 */
const NEWER_THAN_FIXTURE = new Map([[0xa7f1, "asb"]]);

const slugOf = (codePoint: number) => slugify(`a${String.fromCharCode(codePoint)}b`);

describe("slugify against python-slugify 8.0.4 over the whole BMP", () => {
  it("gives Python's slug of a<c>b for every code point, block by block", () => {
    expect(python.blocks).toHaveLength(512);
    const differing: string[] = [];
    python.blocks.forEach((hash, block) => {
      const slugs: string[] = [];
      for (let c = block * 0x80; c < (block + 1) * 0x80; c++) {
        slugs.push(NEWER_THAN_FIXTURE.has(c) ? "a-b" : slugOf(c));
      }
      const ours = createHash("sha256").update(slugs.join("\n")).digest("hex").slice(0, 16);
      if (ours !== hash) differing.push(`U+${(block * 0x80).toString(16).padStart(4, "0")}`);
    });
    expect(differing).toEqual([]);
  });

  it("follows the runtime's Unicode for characters newer than the fixture's", () => {
    expect(python.unicode).toBe("14.0.0");
    for (const [codePoint, slug] of NEWER_THAN_FIXTURE) expect(slugOf(codePoint)).toBe(slug);
  });

  it.each(Object.entries(python.codePoints))("gives Python's slugs for the %s", (_name, range) => {
    const ours = range.slugs.map((_slug, i) => slugOf(range.first + i));
    expect(ours).toEqual(range.slugs);
  });

  it("drops C1 controls and marks Phonetic Extensions unknown, as text-unidecode does", () => {
    expect(slugify("a\u0085b")).toBe("ab");
    expect(slugify("a\u1d00b")).toBe("a-b");
    expect(transliterate("a\u0085b\u1d00\u1d04")).toBe("ab[?][?]");
    expect(transliterate("x\u{1F44D}\u{1F3FD}y\uFFFF")).toBe("xy");
  });

  it.each(python.samples)("slugify(%j) is Python's %j", (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});
