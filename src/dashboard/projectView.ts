/**
 * What the dashboard shows of a project: the file as last read from disk, with the
 * experiments that writable projects of this process hold (logged, saved or not) laid over
 * it by the merge rule (the newest record of each slug).
 *
 * Browsers hold a copy. Each change is announced as a new revision with the records that
 * changed since the previous revision (a delta), so that one experiment saved into a large
 * project costs its record, not the whole project.
 *
 * @module
 */

import type { ExperimentRecord } from "../format/schemas.js";
import type { Experiment } from "../model/experiment.js";
import { mergeExperiments } from "../project/merge.js";
import type { Project } from "../project/project.js";
import { toTabular } from "../project/tabular.js";
import { toJson } from "./json.js";

/** Past this many changed records, a revision carries no delta: browsers fetch everything. */
const MAX_DELTA = 500;

/** A new revision of the project, as announced to browsers. */
export interface Revision {
  /** The new revision. */
  readonly revision: number;
  /** The revision the delta applies to. */
  readonly base: number;
  /** Why the file could not be read, or `null`. */
  readonly error: string | null;
  /** The records added or changed since `base` (absent: fetch `/api/project`). */
  readonly upserts?: ExperimentRecord[];
  /** The slugs removed since `base`. */
  readonly removed?: string[];
}

interface Built {
  readonly stamp: number;
  readonly experiments: Experiment[];
  records?: ExperimentRecord[];
  bySlug?: Map<string, ExperimentRecord>;
  project?: string;
  tabular?: string;
}

/** The experiments the dashboard shows, their JSON payloads and their revisions. */
export class ProjectView {
  /** The project file shown (as given), when there is one. */
  fpath: string | undefined;
  #disk: Project | undefined;
  readonly #memory: Project[] = [];
  #stamp = 1;
  #revision = 0;
  #announced = new Map<string, number>();
  #error: string | null = null;
  #built: Built | undefined;

  constructor(fpath?: string) {
    this.fpath = fpath;
  }

  /** The last revision announced. */
  get revision(): number {
    return this.#revision;
  }

  /** Why the file could not be read last time, or `null`. */
  get error(): string | null {
    return this.#error;
  }

  /** Shows a project of this process (given to the dashboard, or opened by a flow). */
  addMemory(project: Project): void {
    if (!this.#memory.includes(project)) this.#memory.push(project);
    this.fpath ??= project.fpath;
    this.changed();
  }

  /** Shows the file as just read from disk. */
  setDisk(project: Project): void {
    this.#disk = project;
    this.#error = null;
    this.changed();
  }

  /** Records that the file could not be read (the last good view stays). */
  setError(message: string): void {
    this.#error = message;
    this.changed();
  }

  /** Marks the view as changed: payloads are built anew when next asked for. */
  changed(): void {
    this.#stamp++;
    this.#built = undefined;
  }

  #merged(): Experiment[] {
    if (this.#disk !== undefined) {
      const logged = this.#memory.filter((p) => p.mode !== "r").map((p) => p.experiments);
      if (logged.every((list) => list.length === 0)) return [...this.#disk.experiments];
      return mergeExperiments([this.#disk.experiments, ...logged]);
    }
    if (this.#memory.length === 1) return [...(this.#memory[0] as Project).experiments];
    return mergeExperiments(this.#memory.map((p) => p.experiments));
  }

  #build(): Built {
    if (this.#built?.stamp !== this.#stamp) {
      this.#built = { stamp: this.#stamp, experiments: this.#merged() };
    }
    return this.#built;
  }

  #records(): { records: ExperimentRecord[]; bySlug: Map<string, ExperimentRecord> } {
    const built = this.#build();
    if (built.records === undefined || built.bySlug === undefined) {
      built.records = built.experiments.map((e) => e.toJSON());
      built.bySlug = new Map(built.records.map((r) => [r.slug, r]));
    }
    return { records: built.records, bySlug: built.bySlug };
  }

  /** The experiments shown, oldest first. */
  experiments(): readonly Experiment[] {
    return this.#build().experiments;
  }

  /**
   * Starts a new revision: what changed since the last one (experiments whose `lastUpdated`
   * moved, new ones, removed ones), with the changed records when there are few.
   */
  announce(): Revision {
    const base = this.#revision;
    this.#revision++;
    if (this.#built !== undefined) {
      this.#built.project = undefined; // they name the revision
      this.#built.tabular = undefined;
    }
    const next = new Map<string, number>();
    const changed: Experiment[] = [];
    for (const experiment of this.experiments()) {
      const time = experiment.lastUpdated.getTime();
      next.set(experiment.slug, time);
      if (this.#announced.get(experiment.slug) !== time) changed.push(experiment);
    }
    const removed = [...this.#announced.keys()].filter((slug) => !next.has(slug));
    this.#announced = next;
    const head = { revision: this.#revision, base, error: this.#error };
    if (changed.length + removed.length > MAX_DELTA) return head;
    return { ...head, upserts: changed.map((e) => e.toJSON()), removed };
  }

  /** `{ fpath, revision, error, experiments }`: every experiment record, as JSON. */
  projectJson(): string {
    const built = this.#build();
    built.project ??= toJson({
      fpath: this.fpath ?? null,
      revision: this.#revision,
      error: this.#error,
      experiments: this.#records().records,
    });
    return built.project;
  }

  /** `{ revision, experiments, tests }`: the rows of `toTabular`, as JSON. */
  tabularJson(): string {
    const built = this.#build();
    built.tabular ??= toJson({ revision: this.#revision, ...toTabular(this.#records().records) });
    return built.tabular;
  }

  /** The record with this slug, or the latest one with this short slug. */
  record(slug: string): ExperimentRecord | undefined {
    const { records, bySlug } = this.#records();
    const exact = bySlug.get(slug);
    if (exact !== undefined) return exact;
    let latest: ExperimentRecord | undefined;
    for (const record of records) {
      if (
        record.short_slug === slug &&
        (latest === undefined || record.created_at >= latest.created_at)
      ) {
        latest = record;
      }
    }
    return latest;
  }
}
