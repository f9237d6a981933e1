/**
 * What the dashboard shows of a project: the file as last read from disk, with the
 * experiments that writable projects of this process hold (logged, saved or not) laid over
 * it by the merge rule (the newest record of each slug). Payloads are built once per version.
 *
 * @module
 */
import type { Experiment } from "../experiment.js";
import type { ExperimentRecord } from "../format/schemas.js";
import { mergeExperiments } from "../merge.js";
import type { Project } from "../project.js";
import { toTabular } from "../tabular.js";
import { toJson } from "./json.js";

interface Built {
  readonly version: number;
  readonly records: ExperimentRecord[];
  readonly bySlug: Map<string, ExperimentRecord>;
  project?: string;
  tabular?: string;
}

/** The experiments the dashboard shows, and their JSON payloads. */
export class ProjectView {
  /** The project file shown (as given), when there is one. */
  fpath: string | undefined;
  #disk: Project | undefined;
  readonly #memory: Project[] = [];
  #version = 1;
  #error: string | null = null;
  #built: Built | undefined;

  constructor(fpath?: string) {
    this.fpath = fpath;
  }

  /** Changes each time what is shown may have changed. */
  get version(): number {
    return this.#version;
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

  /** Marks the view as changed: the next payload is built anew. */
  changed(): void {
    this.#version++;
    this.#built = undefined;
  }

  /** The experiments shown, oldest first. */
  experiments(): Experiment[] {
    if (this.#disk !== undefined) {
      const logged = this.#memory.filter((p) => p.mode !== "r").map((p) => p.experiments);
      if (logged.every((list) => list.length === 0)) return [...this.#disk.experiments];
      return mergeExperiments([this.#disk.experiments, ...logged]);
    }
    if (this.#memory.length === 1) return [...(this.#memory[0] as Project).experiments];
    return mergeExperiments(this.#memory.map((p) => p.experiments));
  }

  #build(): Built {
    if (this.#built?.version !== this.#version) {
      const records = this.experiments().map((e) => e.toJSON());
      const bySlug = new Map<string, ExperimentRecord>();
      for (const record of records) bySlug.set(record.slug, record);
      this.#built = { version: this.#version, records, bySlug };
    }
    return this.#built;
  }

  /** `{ fpath, version, error, experiments }`: every experiment record, as JSON. */
  projectJson(): string {
    const built = this.#build();
    built.project ??= toJson({
      fpath: this.fpath ?? null,
      version: built.version,
      error: this.#error,
      experiments: built.records,
    });
    return built.project;
  }

  /** `{ version, experiments, tests }`: the rows of `toTabular`, as JSON. */
  tabularJson(): string {
    const built = this.#build();
    built.tabular ??= toJson({ version: built.version, ...toTabular(built.records) });
    return built.tabular;
  }

  /** The record with this slug, or the latest one with this short slug. */
  record(slug: string): ExperimentRecord | undefined {
    const built = this.#build();
    const exact = built.bySlug.get(slug);
    if (exact !== undefined) return exact;
    let latest: ExperimentRecord | undefined;
    for (const record of built.records) {
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
