/**
 * The places of a project's experiments. An experiment read from the file starts as its
 * validated record and the record's text; the {@link Experiment} is built on first access
 * (lazy materialisation), so that opening a large project costs little more than reading
 * its JSON, and a save writes the kept text of every experiment that did not change.
 *
 * @module
 */
import type { LoadedRecord } from "../format/projectFile.js";
import type { Experiment } from "../model/experiment.js";
import { experimentFromRecord, type RecordSource } from "./fromRecord.js";

/** One experiment of a project: built, or still the record it is built from. */
export class ExperimentSlot {
  #experiment: Experiment | undefined;
  #loaded: LoadedRecord | undefined;
  readonly #index: number;
  readonly #source: RecordSource | undefined;
  /**
   * The experiment's text in the file as the project last read or wrote it, and the slug it
   * was written with; `undefined` when it has none (a new experiment, or a file read whole).
   */
  #text: string | undefined;
  #textSlug: string | undefined;
  /** The record's slug and times, while the experiment is not built (read once: sorts ask often). */
  #recordSlug: string | undefined;
  #recordCreatedMs = 0;
  #recordLastUpdatedMs = 0;

  private constructor(
    experiment: Experiment | undefined,
    loaded: LoadedRecord | undefined,
    index: number,
    source: RecordSource | undefined,
  ) {
    this.#experiment = experiment;
    this.#loaded = loaded;
    this.#index = index;
    this.#source = source;
    this.#text = loaded?.read.text;
    this.#textSlug = loaded?.record.slug;
    if (loaded !== undefined) {
      this.#recordSlug = loaded.record.slug;
      this.#recordCreatedMs = loaded.record.created_at.date.getTime();
      this.#recordLastUpdatedMs = loaded.record.last_updated.date.getTime();
    }
  }

  /** The slot of an experiment made in code (or already built). */
  static of(experiment: Experiment): ExperimentSlot {
    return new ExperimentSlot(experiment, undefined, -1, undefined);
  }

  /**
   * The slot of record `index` of a file. A record without its slugs (older files) is built
   * at once: its slugs are derived as the experiment derives them.
   */
  static fromRecord(loaded: LoadedRecord, index: number, source: RecordSource): ExperimentSlot {
    const slot = new ExperimentSlot(undefined, loaded, index, source);
    if (loaded.record.slug === undefined || loaded.record.short_slug === undefined) {
      slot.experiment;
    }
    return slot;
  }

  /** The experiment, built from its record on first access. */
  get experiment(): Experiment {
    if (this.#experiment === undefined) {
      const { record, read } = this.#loaded as LoadedRecord;
      this.#experiment = experimentFromRecord(
        record,
        read.marks,
        this.#index,
        this.#source as RecordSource,
      );
      this.#textSlug ??= this.#experiment.slug;
      this.#loaded = undefined;
    }
    return this.#experiment;
  }

  /** The experiment if it is built, without building it. */
  get built(): Experiment | undefined {
    return this.#experiment;
  }

  /** The experiment's slug. */
  get slug(): string {
    return this.#experiment === undefined ? (this.#recordSlug as string) : this.#experiment.slug;
  }

  /** The slug of the experiment's name alone. */
  get shortSlug(): string {
    return this.#experiment?.shortSlug ?? (this.#loaded?.record.short_slug as string);
  }

  /** When the experiment was created (ms since the epoch). */
  get createdMs(): number {
    return this.#experiment === undefined ? this.#recordCreatedMs : this.#experiment.createdMs;
  }

  /** When the experiment last changed (ms since the epoch). */
  get lastUpdatedMs(): number {
    return this.#experiment === undefined
      ? this.#recordLastUpdatedMs
      : this.#experiment.lastUpdated.getTime();
  }

  /** The record as read, while the experiment is not built (for readers that need no more). */
  get record(): LoadedRecord["record"] | undefined {
    return this.#loaded?.record;
  }

  /**
   * The text that writes this experiment as it stands: its kept text while it cannot have
   * changed, else `undefined`. An experiment never built, or built read-only (frozen), cannot
   * have changed. A writable one that was built may have, and not only through what sets its
   * `dirty` flag (a test's metric or artifact, a write into its `metrics` object), so it is
   * always serialised again.
   */
  get keptText(): string | undefined {
    const built = this.#experiment;
    if (built === undefined) return this.#text;
    return built.readOnly && built.slug === this.#textSlug ? this.#text : undefined;
  }

  /** Records the text just written for this experiment. */
  wrote(text: string): void {
    this.#text = text;
    this.#textSlug = this.slug;
  }

  /** Python's `Experiment.__lt__` (see `insort`) between two slots, building neither. */
  static less(a: ExperimentSlot, b: ExperimentSlot): boolean {
    const aSlug = a.slug;
    return aSlug === b.slug ? a.lastUpdatedMs < b.lastUpdatedMs : a.createdMs < b.createdMs;
  }
}
