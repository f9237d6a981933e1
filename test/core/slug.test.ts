import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { experimentSlug, slugify } from "../../src/slug/slug.js";

describe("slugify (python-slugify's defaults)", () => {
  it.each([
    ["My experiment", "my-experiment"],
    ["My experiment-20240301101530", "my-experiment-20240301101530"],
    ["Café résumé — naïve", "cafe-resume-naive"],
    ["Straße & Ärger 100%", "strasse-arger-100"],
    ["日本語の実験", "ri-ben-yu-noshi-yan"],
    ["Привет мир", "privet-mir"],
    ["don't stop", "don-t-stop"],
    ["1,000 trees", "1000-trees"],
    ["caf&eacute; &amp; &#233; &#x41;", "cafe-e-a"],
    ["  --Hello__World--  ", "hello-world"],
    ["½ price", "1-2-price"],
    ["", ""],
  ])("slugify(%j) is %j", (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it("gives only lower-case letters, digits and single inner dashes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const slug = slugify(text);
        expect(slug).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
        expect(slugify(slug)).toBe(slug);
      }),
      { numRuns: 500 },
    );
  });

  it("slugs words of ASCII letters and digits between single spaces as the general way does (property)", () => {
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const text = words.join(" ");
        // A leading space is no plain word: the same text then takes every step.
        expect(slugify(text)).toBe(slugify(` ${text}`));
        expect(slugify(text)).toBe(words.join("-").toLowerCase());
      }),
      { numRuns: 500 },
    );
  });
});

describe("experiment slugs", () => {
  it("are the short slug and the stamp joined by a dash, as slugify of the joined text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.stringMatching(/^\d{14}$/), (name, stamp) => {
        expect(experimentSlug(slugify(name), stamp)).toBe(slugify(`${name}-${stamp}`));
      }),
      { numRuns: 2000 },
    );
  });
});
