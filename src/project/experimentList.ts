/**
 * A project's experiments in Python 2.2.1's order, with the index `get(slug)` uses: each
 * record read or experiment appended goes in with `bisect.insort` and Python's comparison
 * (see `insort`), so mostly oldest first. The list holds {@link ExperimentSlot}s: an
 * experiment read from the file is built only when it is asked for.
 *
 * @module
 */
import type { Experiment } from "../model/experiment.js";
import { insort } from "./order.js";
import { ExperimentSlot } from "./slots.js";

/** Python's comparison of two experiments of different slugs, on their creation times. */
const earlier = (a: number, b: number): boolean => a < b;

/** Inserts `item` at `position` of `list` (at the end: a push, which makes no array). */
function insertAt<T>(list: T[], position: number, item: T): void {
  if (position === list.length) list.push(item);
  else list.splice(position, 0, item);
}

/** The experiments of a project, in Python's order, by slug. */
export class ExperimentList {
  readonly #slots: ExperimentSlot[] = [];
  /**
   * Each slot's creation time (ms since the epoch), in the order of `#slots`: what Python's
   * comparison reads when no other slot has the slug of the one inserted, kept side by side
   * so that the binary search reads one array of numbers instead of an object a step.
   */
  readonly #createdMs: number[] = [];
  /**
   * The slot `get(slug)` finds for each slug: the last in the order. Every slug a slot holds
   * is a key (see `rename`).
   */
  readonly #bySlug = new Map<string, ExperimentSlot>();
  /** The built experiments of {@link ExperimentList.experiments}, until the list changes. */
  #built: Experiment[] | undefined;
  /** The slugs inserted while a slot already held them. */
  readonly #repeated = new Set<string>();

  /** The slots, in Python's order. */
  get slots(): readonly ExperimentSlot[] {
    return this.#slots;
  }

  /** How many experiments the list holds. */
  get size(): number {
    return this.#slots.length;
  }

  /** Every experiment, built (once) if it was not yet. */
  get experiments(): readonly Experiment[] {
    this.#built ??= this.#slots.map((slot) => slot.experiment);
    return this.#built;
  }

  /**
   * Python's `insort(self.experiments, experiment)`: see {@link insort}. When no slot has the
   * slug of `slot`, Python's comparison of `slot` with any of them is their creation times'
   * alone, and the search runs on those times (the same steps, the same place).
   */
  insert(slot: ExperimentSlot): void {
    const current = this.#bySlug.get(slot.slug);
    if (current === undefined) {
      this.insertNew(slot);
      return;
    }
    const position = insort(this.#slots, slot, ExperimentSlot.less);
    insertAt(this.#createdMs, position, slot.createdMs);
    this.#built = undefined;
    this.#repeated.add(slot.slug);
    if (this.#slots.indexOf(current) < position) this.#bySlug.set(slot.slug, slot);
  }

  /** {@link insert} of a slot whose slug no slot of the list holds (the caller checked it). */
  insertNew(slot: ExperimentSlot): void {
    const position = insort(this.#createdMs, slot.createdMs, earlier);
    insertAt(this.#slots, position, slot);
    this.#built = undefined;
    this.#bySlug.set(slot.slug, slot);
  }

  /**
   * The slug of every slot whose slug another slot inserted also held (none, at once, when
   * no slug was inserted twice): what a warning about repeated slugs needs to count.
   */
  repeatedSlugs(): string[] {
    if (this.#repeated.size === 0) return [];
    return this.#slots.map((slot) => slot.slug).filter((slug) => this.#repeated.has(slug));
  }

  /** Appends `slot` at the end, keeping the order it is given in (a merge's result). */
  push(slot: ExperimentSlot): void {
    this.#slots.push(slot);
    this.#createdMs.push(slot.createdMs);
    this.#built = undefined;
    this.#bySlug.set(slot.slug, slot);
  }

  /** The slot with exactly this slug (the last in the order, for a slug several hold). */
  bySlug(slug: string): ExperimentSlot | undefined {
    return this.#bySlug.get(slug);
  }

  /**
   * The slot with this slug or, failing that, the last one with this short slug: as in
   * Python, the one appended last.
   */
  find(slug: string): ExperimentSlot | undefined {
    const exact = this.#bySlug.get(slug);
    if (exact !== undefined) return exact;
    for (let i = this.#slots.length - 1; i >= 0; i--) {
      const slot = this.#slots[i] as ExperimentSlot;
      if (slot.shortSlug === slug) return slot;
    }
    return undefined;
  }

  /**
   * Gives the experiment of `slot` the slug `slug`, and indexes it there. The old slug stays
   * a key while another slot holds it (the last such in the order).
   */
  rename(slot: ExperimentSlot, slug: string): void {
    const old = slot.slug;
    slot.experiment.renameSlug(slug);
    if (this.#bySlug.get(old) === slot) {
      const holder = this.#slots.findLast((s) => s.slug === old);
      if (holder === undefined) this.#bySlug.delete(old);
      else this.#bySlug.set(old, holder);
    }
    this.#bySlug.set(slug, slot);
  }
}
