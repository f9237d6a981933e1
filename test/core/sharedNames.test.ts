import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sharedName } from "../../src/model/sharedNames.js";

/** A string equal to `text` but made anew (not the literal the engine shares). */
const fresh = (text: string) => [...text].join("");

// A string's identity cannot be seen from JavaScript, so these tests hold what can be: the
// name given back is always equal to the name given, whatever came before at its position.
// That the copies are shared is measured, not tested (retained bytes per experiment).
describe("sharedName (one string for a name logged again and again)", () => {
  it("gives back a name equal to the one given, at any position or none", () => {
    const first = fresh("shared-name-a");
    expect(sharedName(first, 3)).toBe(first);
    expect(sharedName(fresh("shared-name-a"), 3)).toBe(first);
    expect(sharedName(fresh("shared-name-a"), 40)).toBe(first);
    expect(sharedName(fresh("shared-name-a"))).toBe(first);
    expect(sharedName(fresh("shared-name-a"), 1000)).toBe(first);
  });

  it("gives back names that alternate at a position (an experiment's and its test's) unchanged", () => {
    const a = sharedName(fresh("alternate-a"), 0);
    const b = sharedName(fresh("alternate-b"), 0);
    for (let i = 0; i < 5; i++) {
      expect(sharedName(fresh("alternate-a"), 0)).toBe(a);
      expect(sharedName(fresh("alternate-b"), 0)).toBe(b);
    }
  });

  it("always gives a string equal to the name, whatever names came before", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.nat({ max: 80 })), { maxLength: 60 }),
        (calls) => {
          for (const [name, position] of calls)
            expect(sharedName(fresh(name), position)).toBe(name);
        },
      ),
    );
  });

  it("keeps returning equal strings once its table is full", () => {
    for (let i = 0; i < 5000; i++) expect(sharedName(`filler-${i}`)).toBe(`filler-${i}`);
    const late = fresh("late-name-after-the-table-is-full");
    expect(sharedName(late)).toBe(late);
    expect(sharedName(fresh("late-name-after-the-table-is-full"), 2)).toBe(late);
  });
});
