/**
 * The recovery from an undo journal, on every state a killed in-place write can leave (each
 * byte from `keep` on old, new, or never written, at any size between the old and the new):
 * the file goes back to exactly its old bytes; and a file holding a byte that no such write
 * leaves is never written to.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StorageError } from "../../src/storage/index.js";
import { rollBack } from "../../src/storage/localInPlace.js";
import { type Journal, journalPathOf, writeJournal } from "../../src/storage/localJournal.js";
import { tempDir } from "../helpers/fixtures.js";

/** An old file and a splice of it, as the journal of an in-place write records them. */
const journaled = fc
  .record({
    old: fc.uint8Array({ minLength: 1, maxLength: 300 }),
    cut: fc.nat(),
    tail: fc.uint8Array({ maxLength: 120 }),
    sameLength: fc.boolean(),
    resumeAfter: fc.nat(),
  })
  .map(({ old, cut, tail, sameLength, resumeAfter }) => {
    const keep = cut % (old.length + 1);
    const bytes = Buffer.from(old);
    if (sameLength) {
      // The bytes after the change stay where they are: only [keep, keep + n) changes.
      const fresh = Buffer.from(tail.subarray(0, old.length - keep));
      const journal: Journal = {
        id: "0011223344556677",
        keep,
        oldSize: old.length,
        newSize: old.length,
        oldVersion: "",
        old: bytes.subarray(keep, keep + fresh.length),
        fresh,
      };
      return { bytes, journal };
    }
    const resume = keep + (resumeAfter % (old.length - keep + 1));
    const fresh = Buffer.concat([tail, bytes.subarray(resume)]);
    const journal: Journal = {
      id: "0011223344556677",
      keep,
      oldSize: old.length,
      newSize: keep + fresh.length,
      oldVersion: "",
      old: bytes.subarray(keep),
      fresh,
    };
    return { bytes, journal };
  });

/** What a write killed mid-way may leave: each byte old, new or zero, at a size in between. */
function tornState(bytes: Buffer, journal: Journal, picks: number[], sizePick: number): Buffer {
  const low = Math.min(journal.oldSize, journal.newSize);
  const high = Math.max(journal.oldSize, journal.newSize);
  const size = low + (sizePick % (high - low + 1));
  const out = Buffer.alloc(size);
  bytes.copy(out, 0, 0, Math.min(size, bytes.length));
  for (let at = journal.keep; at < size; at++) {
    const i = at - journal.keep;
    const choices = [
      i < journal.old.length ? journal.old[i] : undefined,
      i < journal.fresh.length ? journal.fresh[i] : undefined,
      at >= journal.oldSize ? 0 : undefined,
    ].filter((b) => b !== undefined) as number[];
    if (choices.length > 0) out[at] = choices[(picks[i] ?? 0) % choices.length] as number;
  }
  return out;
}

/** The file `path` holding `state`, with its journal beside it; `oldVersion` names its inode. */
async function leftBehind(path: string, state: Buffer, journal: Journal): Promise<void> {
  writeFileSync(path, state);
  const s = statSync(path, { bigint: true });
  await writeJournal(path, { ...journal, oldVersion: `${s.dev}:${s.ino}:0:0` });
}

describe("rolling back from a journal", () => {
  it("restores exactly the old bytes from any state a killed write leaves", async () => {
    const dir = tempDir("lazyscribe-journal-");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        journaled,
        fc.array(fc.nat(), { maxLength: 500 }),
        fc.nat(),
        async ({ bytes, journal }, picks, sizePick) => {
          const path = join(dir, `file-${run++}.json`);
          await leftBehind(path, tornState(bytes, journal, picks, sizePick), journal);
          await rollBack(path);
          expect(readFileSync(path)).toEqual(bytes);
          expect(() => readFileSync(journalPathOf(path))).toThrow(/ENOENT/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("never writes to a file holding a byte that neither the old nor the new bytes have", async () => {
    const dir = tempDir("lazyscribe-journal-");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(journaled, fc.nat(), async ({ bytes, journal }, where) => {
        const span = Math.max(journal.old.length, journal.fresh.length);
        fc.pre(span > 0);
        const i = where % Math.min(span, journal.oldSize - journal.keep || span);
        const foreign = [1, 2, 3].find((b) => b !== journal.old[i] && b !== journal.fresh[i]);
        const state = Buffer.from(bytes);
        fc.pre(journal.keep + i < state.length);
        state[journal.keep + i] = foreign as number;
        const path = join(dir, `file-${run++}.json`);
        await leftBehind(path, state, journal);
        const error = await rollBack(path).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StorageError);
        expect((error as StorageError).code).toBe("EJOURNAL");
        expect(readFileSync(path)).toEqual(state);
        expect(readFileSync(journalPathOf(path)).length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });
});
