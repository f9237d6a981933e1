import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinProjectRecords } from "../../src/format/pyjson/index.js";
import { type FileImage, spliceFor, wholeFileParts } from "../../src/project/fileImage.js";
import { type FileSplice, joinParts, wholeContent } from "../../src/storage/storage.js";

/** A record's text: ASCII as written with ensure_ascii, or not (a hand-edited file). */
const text = fc.oneof(
  fc.constantFrom("{}", '{\n        "a": 1\n    }', '{\n        "b": 2.0\n    }'),
  fc.string({ maxLength: 6 }).map((s) => `{"${s}"}`),
  fc.constantFrom('{"café"}', '{"日本"}', '{"😀"}'),
);

/** The whole file of `texts`, its parts joined, and its image. */
function wholeFile(texts: readonly string[]): { content: Uint8Array; image: FileImage } {
  let image: FileImage | undefined;
  const content = joinParts(
    wholeFileParts(
      texts,
      (t) => t,
      (made) => {
        image = made;
      },
    ).parts,
  );
  if (image === undefined) throw new Error("the image was not given");
  return { content, image };
}

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

  it("makes the parts as they are read, each about 2 MiB of records, the image after the last", () => {
    const big = (c: string) => `{"${c.repeat(900_000)}"}`;
    const texts = [big("a"), big("b"), big("c"), "{}", big("d"), big("e")];
    const made: string[] = [];
    let image: FileImage | undefined;
    const parts = wholeFileParts(
      texts,
      (t) => {
        made.push(t);
        return t;
      },
      (done) => {
        image = done;
      },
    ).parts[Symbol.iterator]();
    expect(made).toHaveLength(0);
    const first = parts.next();
    // The first part closes once it holds 2 MiB of characters: three records of 900,004.
    expect(made).toHaveLength(3);
    expect(image).toBeUndefined();
    const rest: Uint8Array[] = [];
    for (let next = parts.next(); !next.done; next = parts.next()) rest.push(next.value);
    expect(rest).toHaveLength(1);
    const content = Buffer.concat([first.value as Uint8Array, ...rest]);
    expect(content.toString("utf8")).toBe(joinProjectRecords(texts));
    expect(image).toEqual({ texts, bytes: content.length });
  });

  it("gives an empty project as one part, []", () => {
    let image: FileImage | undefined;
    const parts = [
      ...wholeFileParts(
        [],
        (t: string) => t,
        (done) => {
          image = done;
        },
      ).parts,
    ];
    expect(parts.map((p) => Buffer.from(p).toString())).toEqual(["[]"]);
    expect(image).toEqual({ texts: [], bytes: 2 });
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
