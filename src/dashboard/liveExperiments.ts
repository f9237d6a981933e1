/**
 * What is known of the experiments being logged in this process before they reach the
 * project: their author and creation time (from the experiment task's value), their
 * parameters, tags, metrics and tests as their tasks finish, and whether one failed, with its
 * error. Kept so that a browser that opens an experiment's page mid-run sees everything known
 * so far, not only what arrives after it connected.
 *
 * @module
 */
import type { JsonValue, MetricValue } from "../format/schemas.js";
import type { ProjectEvent } from "../model/events.js";
import { Experiment } from "../model/experiment.js";
import { type DashboardTaskEvent, describe } from "./flowView.js";

/** Where an experiment of this process is. */
export type LiveStatus = "running" | "failed" | "logged";

/** An experiment being logged, as the dashboard shows it. */
export interface LiveExperiment {
  readonly name: string;
  readonly slug: string;
  author: string;
  created_at: string;
  status: LiveStatus;
  /** Why it failed (the failed task and its error), or `null`. */
  error: string | null;
  readonly parameters: Record<string, JsonValue>;
  readonly metrics: Record<string, MetricValue>;
  tags: readonly string[];
  /** The names of the tests appended to it so far. */
  readonly tests: string[];
}

/** What the browsers are told when an experiment starts or fails (with the event's seq). */
export type LiveExperimentEvent =
  | { readonly type: "experiment-opened"; readonly slug: string; readonly record: LiveExperiment }
  | {
      readonly type: "experiment-failed";
      readonly slug: string;
      readonly experiment: string;
      readonly error: string;
    };

/** The events of logging tasks: the experiment they log on (see `LogFields` of the flow). */
type LoggingTaskEvent = DashboardTaskEvent & {
  readonly experiment?: { readonly name: string; readonly slug?: string };
};

/** The experiments of this process not in the project yet, by slug. */
export class LiveExperiments {
  readonly #bySlug = new Map<string, LiveExperiment>();
  /** The slugs appended to their project: a later value of theirs (`Append experiment`'s) is not news. */
  readonly #appended = new Set<string>();
  /** Why each failed task of the run failed: a task not run because of it says so. */
  readonly #failures = new WeakMap<object, string>();

  #entry(slug: string, name: string): LiveExperiment {
    let entry = this.#bySlug.get(slug);
    if (entry === undefined) {
      entry = {
        name,
        slug,
        author: "",
        created_at: "",
        status: "running",
        error: null,
        parameters: {},
        metrics: {},
        tags: [],
        tests: [],
      };
      this.#bySlug.set(slug, entry);
    }
    return entry;
  }

  /** The experiment with this slug, if it is being (or failed to be) logged here. */
  get(slug: string): LiveExperiment | undefined {
    return this.#bySlug.get(slug);
  }

  /** Takes an event of a project: what it logs on an experiment not appended yet. */
  project(event: ProjectEvent): void {
    if (event.type === "saved") return;
    if (event.type === "experiment-logged") {
      this.#bySlug.delete(event.slug);
      this.#appended.add(event.slug);
      return;
    }
    const entry = this.#entry(event.slug, event.experiment);
    if (event.test !== undefined) {
      if (event.type === "test-logged" && !entry.tests.includes(event.test)) {
        entry.tests.push(event.test);
      }
      return;
    }
    if (event.type === "metric-logged") entry.metrics[event.name] = event.value;
    else if (event.type === "parameter-logged") entry.parameters[event.name] = event.value;
    else if (event.type === "tags-changed") entry.tags = [...event.tags];
  }

  /**
   * Takes an event of a tracked run: an experiment task's value opens the experiment (its
   * author and creation time); a logging task that failed, or was not run, fails its
   * experiment. Returns what to tell the browsers, if anything.
   */
  task(event: LoggingTaskEvent): LiveExperimentEvent | undefined {
    if (event.type === "value" && event.value instanceof Experiment) {
      const experiment = event.value;
      if (this.#appended.has(experiment.slug)) return undefined;
      const entry = this.#entry(experiment.slug, experiment.name);
      entry.author = experiment.author;
      entry.created_at = experiment.toJSON().created_at;
      return { type: "experiment-opened", slug: entry.slug, record: entry };
    }
    if (event.type === "failed") this.#failures.set(event.task, describe(event.error));
    const slug = event.experiment?.slug;
    if ((event.type !== "failed" && event.type !== "not-run") || slug === undefined) {
      return undefined;
    }
    const entry = this.#entry(slug, event.experiment?.name ?? slug);
    if (entry.status === "failed") return undefined;
    entry.status = "failed";
    entry.error =
      event.type === "failed"
        ? `${event.task.name}: ${describe(event.error)}`
        : this.#notRun(event);
    return { type: "experiment-failed", slug, experiment: entry.name, error: entry.error };
  }

  #notRun(event: LoggingTaskEvent): string {
    const upstream = event.upstream;
    if (upstream === undefined) return `${event.task.name}: not run, a task upstream failed`;
    const why = this.#failures.get(upstream);
    return `${event.task.name}: not run, "${upstream.name}" failed${why === undefined ? "" : ` (${why})`}`;
  }

  /** Every experiment known, oldest first. */
  toJSON(): LiveExperiment[] {
    return [...this.#bySlug.values()];
  }
}
