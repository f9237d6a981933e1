/**
 * What a project reports on its `events$` stream.
 *
 * @module
 */
import type { JsonValue, MetricValue } from "./format/schemas.js";

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
  readonly type: "metric-logged";
  readonly name: string;
  readonly value: MetricValue;
}

/** A parameter was logged (on an experiment, or on one of its tests). */
export interface ParameterLoggedEvent extends EventSource {
  readonly type: "parameter-logged";
  readonly name: string;
  readonly value: JsonValue;
}

/** The tags of an experiment changed. */
export interface TagsChangedEvent extends EventSource {
  readonly type: "tags-changed";
  readonly tags: readonly string[];
}

/** A test finished and was added to its experiment. */
export interface TestLoggedEvent extends EventSource {
  readonly type: "test-logged";
}

/** An experiment finished and was appended to the project. */
export interface ExperimentLoggedEvent extends EventSource {
  readonly type: "experiment-logged";
}

/** The project was written to its file. */
export interface SavedEvent {
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

/** Receives the events of an experiment or a test (a project's `events$` is one). */
export type EventSink = (event: ProjectEvent) => void;
