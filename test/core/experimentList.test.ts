import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Experiment } from "../../src/index.js";
import { ExperimentList } from "../../src/project/experimentList.js";
import { insort } from "../../src/project/order.js";
import { ExperimentSlot } from "../../src/project/slots.js";

const T0 = Date.UTC(2024, 0, 1, 10, 0, 0);

/** An experiment of slug `slug`, created and last updated at the given seconds after T0. */
function slot(id: number, slug: string, created: number, updated: number): ExperimentSlot {
  return ExperimentSlot.of(
    new Experiment({
      name: `E${id}`,
      author: "a",
      slug,
      shortSlug: "e",
      createdAt: new Date(T0 + created * 1000),
      lastUpdated: new Date(T0 + updated * 1000),
    }),
  );
}

const names = (slots: readonly ExperimentSlot[]) => slots.map((s) => s.built?.name);

describe("ExperimentList (Python's insort, with the index of slugs)", () => {
  it("puts each slot where CPython's insort_right with Experiment.__lt__ puts it, slugs repeated or not", () => {
    const entry = fc.record({
      slug: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"),
      created: fc.integer({ min: 0, max: 4 }),
      updated: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (entries) => {
        const list = new ExperimentList();
        const expected: ExperimentSlot[] = [];
        entries.forEach((e, i) => {
          const s = slot(i, e.slug, e.created, e.created + e.updated);
          list.insert(s);
          insort(expected, s, ExperimentSlot.less);
        });
        expect(names(list.slots)).toEqual(names(expected));
        for (const s of expected) {
          expect(list.bySlug(s.slug)).toBe(expected.findLast((x) => x.slug === s.slug));
        }
      }),
    );
  });

  it("keeps finding a slug by its other holder when one of two slots holding it is renamed", () => {
    const list = new ExperimentList();
    const first = slot(0, "same", 0, 5);
    const second = slot(1, "same", 0, 6);
    list.insert(first);
    list.insert(second);
    expect(list.bySlug("same")).toBe(second);
    list.rename(second, "same-2");
    expect(list.bySlug("same")).toBe(first);
    expect(list.bySlug("same-2")).toBe(second);
    // Created earlier than both, updated later than `first`: Python's search compares it with
    // `second` by creation (before it), then with `first`, of the same slug, by last update
    // (after it). Compared by creation alone, it would go first.
    const third = slot(2, "same", -1, 9);
    list.insert(third);
    expect(names(list.slots)).toEqual(["E0", "E2", "E1"]);
    expect(list.bySlug("same")).toBe(third);
    list.rename(first, "other");
    list.rename(third, "third");
    expect(list.bySlug("same")).toBeUndefined();
  });
});
