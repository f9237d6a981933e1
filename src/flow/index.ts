/**
 * lazyscribe/flow: the reactive workflow layer. A flow records a graph of tasks (the Python
 * integration's graph, with the same task names); running it subscribes to each task as a
 * cold observable.
 *
 * @example
 * ```ts
 * import { Flow, LazyProject, task } from "lazyscribe/flow";
 *
 * const initProject = new LazyProject({ fpath: "project.json", author: "alice" });
 * const flow = new Flow("My experiment logging", () => {
 *   const project = initProject.bind();
 *   const score = task("Score model", () => 0.93).bind();
 *   project.log("My experiment", (exp) => exp.logMetric("score", score));
 *   project.save();
 * });
 * const state = await flow.run();
 * ```
 *
 * @packageDocumentation
 */
export {
  describeError,
  FlowContextError,
  FlowError,
  FlowRunError,
  type TaskFailure,
} from "./errors.js";
export type * from "./events.js";
export { projectEvents } from "./events.js";
export { Flow, type TaskFilter } from "./flow.js";
export {
  LazyExperiment,
  type LazyExperimentOptions,
  type LazyLogTestOptions,
} from "./lazyExperiment.js";
export {
  type AfterAppendsOptions,
  LazyProject,
  type LazyProjectOptions,
  OPEN_PROJECT,
} from "./lazyProject.js";
export { LazyTest, type LazyTestOptions } from "./lazyTest.js";
export { toMermaid } from "./mermaid.js";
export type { MetricAtStep, MetricInput } from "./metricStep.js";
export type { RunContext, RunOptions } from "./run.js";
export { type FailedTask, FlowState, type TaskState } from "./state.js";
export {
  FlowParameter,
  type Input,
  type Inputs,
  Parameter,
  type ParameterOptions,
  Task,
  type TaskContext,
  TaskFunction,
  type TaskOptions,
  task,
} from "./task.js";
export { TRIGGERS, type Trigger } from "./trigger.js";
export { flushVirtualTime } from "./virtualTime.js";
