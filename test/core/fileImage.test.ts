import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinProjectRecords } from "../../src/format/pyjson/index.js";
import { spliceFor, wholeFile } from "../../src/project/fileImage.js";
import { type FileSplice, wholeContent } from "../../src/storage/storage.js";

/** A record's text: ASCII as written with ensure_ascii, or not (a hand-edited file). */
const text = fc.oneof(
  fc.constantFrom("{}", '{\n        "a": 1\n    }', '{\n        "b": 2.0\n    }'),
  fc.string({ maxLength: 6 }).map((s) => `{"${s}"}`),
  fc.constantFrom('{"café"}', '{"日本"}', '{"😀"}'),
);

/** The bytes that `splice` makes of `before`, as the backends that assemble them do. */
async function apply(before: Uint8Array, splice: FileSplice): Promise<Uint8Array> {
  const current = { version: "v", read: async () => before };
  return (await wholeContent(splice, current)) as Uint8Array;
}

describe("a project file's image", () => {
  it("writes the whole list as joinProjectRecords does, in UTF-8", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), (texts) => {
        const { content, image } = wholeFile(texts);
        expect(Buffer.from(content).toString("utf8")).toBe(joinProjectRecords(texts));
        expect(image.bytes).toBe(content.length);
      }),
    );
  });

  it("splices the old file into the new one, keeping its first and last records (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 8 }),
        fc.array(text, { maxLength: 3 }),
        fc.nat(8),
        fc.nat(3),
        async (old, inserted, at, removed) => {
          const cut = Math.min(at, old.length);
          const texts = [...old.slice(0, cut), ...inserted, ...old.slice(cut + removed)];
          const before = wholeFile(old).image;
          const spliced = spliceFor(before, texts);
          const expected = Buffer.from(joinProjectRecords(texts));
          if (spliced === undefined) {
            expect(texts.length === 0 || texts[0] !== old[0]).toBe(true);
            return;
          }
          const bytes = await apply(wholeFile(old).content, spliced.splice);
          expect(Buffer.from(bytes).equals(expected)).toBe(true);
          expect(spliced.image.bytes).toBe(expected.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("resumes with the file's own bytes after a record changed in the middle", () => {
    const old = ["{}", '{"a"}', '{"b"}', '{"c"}'];
    const spliced = spliceFor(wholeFile(old).image, ["{}", '{"x"}', '{"b"}', '{"c"}']);
    const file = joinProjectRecords(old);
    expect(spliced?.splice.keep).toBe(file.indexOf('{"a"}') - ",\n    ".length);
    expect(spliced?.splice.resume).toBe(file.indexOf('{"a"}') + '{"a"}'.length);
    expect(Buffer.from(spliced?.splice.tail as Uint8Array).toString()).toBe(',\n    {"x"}');
  });
});
