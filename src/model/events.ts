/**
 * What a project reports on its `events$` stream.
 *
 * @module
 */
import type { JsonValue, MetricValue } from "../format/schemas.js";

/** Where a logged value belongs: an experiment, and the test inside it when there is one. */
export interface EventSource {
  /** The experiment's name. */
  readonly experiment: string;
  /** The experiment's slug. */
  readonly slug: string;
  /** The test's name, when the value was logged on a test. */
  readonly test?: string;
}

/** A metric was logged (on an experiment, or on one of its tests). */
export interface MetricLoggedEvent extends EventSource {
  /** The kind of event. */
  readonly type: "metric-logged";
  /** The metric's name. */
  readonly name: string;
  /** The value logged. */
  readonly value: MetricValue;
  /**
   * The step it was logged at (see `logMetric`); `undefined` only for a value logged without a
   * step on an experiment read from a file whose saved history is not loaded yet (its step is
   * known once `metricHistory` has read it).
   */
  readonly step?: number | undefined;
}

/** A parameter was logged (on an experiment, or on one of its tests). */
export interface ParameterLoggedEvent extends EventSource {
  /** The kind of event. */
  readonly type: "parameter-logged";
  /** The parameter's name. */
  readonly name: string;
  /** The value logged. */
  readonly value: JsonValue;
}

/** The tags of an experiment changed. */
export interface TagsChangedEvent extends EventSource {
  /** The kind of event. */
  readonly type: "tags-changed";
  /** The experiment's tags now. */
  readonly tags: readonly string[];
}

/** A test finished and was added to its experiment. */
export interface TestLoggedEvent extends EventSource {
  /** The kind of event; `test` names the test. */
  readonly type: "test-logged";
}

/** An experiment finished and was appended to the project. */
export interface ExperimentLoggedEvent extends EventSource {
  /** The kind of event. */
  readonly type: "experiment-logged";
}

/** The project was written to its file. */
export interface SavedEvent {
  /** The kind of event. */
  readonly type: "saved";
  /** The project file that was written. */
  readonly fpath: string;
  /** How many experiments the file holds. */
  readonly experiments: number;
}

/** Everything a project reports on `events$`. */
export type ProjectEvent =
  | MetricLoggedEvent
  | ParameterLoggedEvent
  | TagsChangedEvent
  | TestLoggedEvent
  | ExperimentLoggedEvent
  | SavedEvent;

/**
 * Receives the events of experiments and tests (an RxJS `Subject` is one). Events are built
 * only while `observed` is true, so logging costs nothing extra when nobody listens.
 */
export interface EventSink {
  /** Whether anyone listens. */
  readonly observed: boolean;
  /** Delivers an event. */
  next(event: ProjectEvent): void;
}

/**
 * What an experiment or a test reports, before it is stamped with where it happened.
 *
 * @internal
 */
export type EventBody =
  | {
      readonly type: "metric-logged";
      readonly name: string;
      readonly value: MetricValue;
      readonly step: number | undefined;
    }
  | { readonly type: "parameter-logged"; readonly name: string; readonly value: JsonValue }
  | { readonly type: "tags-changed"; readonly tags: readonly string[] }
  | { readonly type: "test-logged"; readonly test: string };
