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

/** The experiments of a project, in Python's order, by slug. */
export class ExperimentList {
  readonly #slots: ExperimentSlot[] = [];
  /** The slot `get(slug)` finds for each slug: the last in the order. */
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
   * Whether no two slots ever held the same slug and the slots stand in insort's order: then
   * Python's comparison between slots is by creation time alone, a strict weak order, so the
   * slots are sorted by it and insort's binary search for a new slug ends at the end exactly
   * when it was created no earlier than the last slot. A merge's `push` and a `rename` end it.
   */
  #byCreation = true;

  /** Python's `insort(self.experiments, experiment)`: see {@link insort}. */
  insert(slot: ExperimentSlot): void {
    const current = this.#bySlug.get(slot.slug);
    const last = this.#slots[this.#slots.length - 1];
    if (
      this.#byCreation &&
      current === undefined &&
      (last === undefined || slot.createdMs >= last.createdMs)
    ) {
      // A file in creation order (as lazyscribe writes it) loads without a binary search.
      this.#slots.push(slot);
    } else {
      insort(this.#slots, slot, ExperimentSlot.less);
      if (current !== undefined) this.#byCreation = false;
    }
    this.#built = undefined;
    if (current !== undefined) this.#repeated.add(slot.slug);
    if (current === undefined || this.#slots.indexOf(current) < this.#slots.indexOf(slot)) {
      this.#bySlug.set(slot.slug, slot);
    }
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
    this.#byCreation = false;
    this.#slots.push(slot);
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

  /** Gives the experiment of `slot` the slug `slug`, and indexes it there. */
  rename(slot: ExperimentSlot, slug: string): void {
    this.#byCreation = false;
    if (this.#bySlug.get(slot.slug) === slot) this.#bySlug.delete(slot.slug);
    slot.experiment.renameSlug(slug);
    this.#bySlug.set(slug, slot);
  }
}
